"""The staff API of a place: list requests, screen them (accept, merge, reject, answer, fix,
schedule), record progress of intake items, see residents' photos.

Every call names its caller (facilitator/server/staff_auth.py): a staff account acts only on the
places granted to it, and the events it writes carry ``staff:<name>`` as their actor. Photos are
served only here, to those who may act on the photo's place: they may show someone's door.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from facilitator.intake import ItemProgress, Urgency
from facilitator.intake import commands as c
from facilitator.server import intake_views as views
from facilitator.server.intake_api import (
    IntakeContext,
    Refused,
    int_field,
    json_body,
    ok,
    place_of,
    rid_of,
    run,
    text_field,
)
from facilitator.server.photos import NAME
from facilitator.server.staff_admin import add_admin_routes
from facilitator.server.staff_auth import Wrap, add_auth_routes, authenticate, storage_guard


def _date(body: dict[str, Any], name: str) -> dt.date | None:
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused("bad_request", field=name) from None


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(name) or default
    if value not in allowed:
        raise Refused("bad_request", field=name)
    return str(value)


def _by(body: dict[str, Any], name: str) -> str:
    """Who the resident reads did it: as given, else the account's name."""
    return text_field(body, "by", limit=60) or name


def screening_command(
    action: str, number: int, body: dict[str, Any], at: dt.datetime, name: str = ""
) -> c.Command:
    """The engine command for a staff action on request ``number``."""
    by = _by(body, name)
    match action:
        case "accept":
            urgency = _choice(body, "urgency", tuple(Urgency), Urgency.NORMAL)
            category = text_field(body, "category")
            return c.AcceptRequest(
                at=at, number=number, category=category, urgency=Urgency(urgency), by=by
            )
        case "merge":
            return c.MergeRequest(at=at, number=number, into=int_field(body, "into"), by=by)
        case "reject":
            return c.RejectRequest(at=at, number=number, reason=text_field(body, "reason"), by=by)
        case "answer":
            return c.AnswerRequest(at=at, number=number, text=text_field(body, "text"), by=by)
        case "fix":
            return c.FixRequest(
                at=at,
                number=number,
                item_id=f"r{number}",
                title=text_field(body, "title"),
                owner=text_field(body, "owner"),
                deadline=_date(body, "deadline"),
                by=by,
            )
        case "schedule":
            return c.ScheduleRequest(at=at, number=number, note=text_field(body, "note"), by=by)
    raise Refused("unknown_action", 404)


def add_staff_routes(app: web.Application, ctx: IntakeContext, guard: Wrap) -> None:
    guard = storage_guard(guard)
    add_auth_routes(app, ctx, guard)
    add_admin_routes(app, ctx, guard)

    async def requests(request: web.Request) -> web.StreamResponse:
        authenticate(request, ctx, request.match_info["place"])
        place = place_of(ctx, request.match_info["place"])
        return ok(
            place={"id": place.place_id, "name": place.name, "staff": list(place.staff)},
            categories=list(place.categories),
            requests=views.staff_requests(place, ctx.hub.clock()),
        )

    async def act(request: web.Request) -> web.StreamResponse:
        who = authenticate(request, ctx, request.match_info["place"])
        place = place_of(ctx, request.match_info["place"])
        try:
            number = int(request.match_info["number"])
        except ValueError:
            raise Refused("bad_request", field="number") from None
        body = await json_body(request)
        action, now = request.match_info["action"], ctx.hub.clock()
        command = screening_command(action, number, body, now, who.name)
        done = await run(ctx, place.place_id, command, who.actor, rid_of(body))
        view = next(
            r for r in views.staff_requests(done.state, command.at) if r["number"] == number
        )
        return ok(request=view, replayed=done.replayed)

    async def feedback(request: web.Request) -> web.StreamResponse:
        who = authenticate(request, ctx, request.match_info["place"])
        place = place_of(ctx, request.match_info["place"])
        body = await json_body(request)
        status = body.get("status")
        if status not in (None, *ItemProgress):
            raise Refused("bad_request", field="status")
        command = c.RecordItemFeedback(
            at=ctx.hub.clock(),
            item_id=request.match_info["item"],
            text=text_field(body, "text"),
            status=ItemProgress(status) if status else None,
            by=_by(body, who.name),
        )
        done = await run(ctx, place.place_id, command, who.actor, rid_of(body))
        return ok(replayed=done.replayed)

    async def photo(request: web.Request) -> web.StreamResponse:
        who = authenticate(request, ctx, None)
        name = request.match_info["name"]
        path = ctx.photos / name
        if not NAME.fullmatch(name) or not path.is_file():
            raise Refused("unknown_photo", 404)
        holders = [p for p in ctx.hub.place_ids() if _holds(ctx, p, name)]
        if who.places is not None and not any(who.may_act(p) for p in holders):
            raise Refused("forbidden", 403)
        return web.FileResponse(path, headers={"Cache-Control": "private, no-store"})

    app.router.add_get("/api/staff/{place}/requests", guard(requests))
    app.router.add_post("/api/staff/{place}/requests/{number}/{action}", guard(act))
    app.router.add_post("/api/staff/{place}/items/{item}/feedback", guard(feedback))
    app.router.add_get("/api/staff/photo/{name}", guard(photo))


def _holds(ctx: IntakeContext, place_id: str, photo: str) -> bool:
    return any(r.photo == photo for r in ctx.hub.state(place_id).requests.values())
