"""HTTP routes of a place for residents: the building's intake page and its JSON, and the public
page (公示) with ratings from home. Read-only pages; every change is a POST answered with a code."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from aiohttp import web
from aiohttp.typedefs import Handler

from facilitator.i18n import normalize_lang
from facilitator.intake import commands as c
from facilitator.intake.messages import refusal
from facilitator.ledger.followup import place_matches
from facilitator.minutes import minutes_html
from facilitator.server import intake_views as views
from facilitator.server.intake_api import (
    IntakeContext,
    Refused,
    building_of,
    device_of,
    fail,
    int_field,
    json_body,
    lang_of,
    ledger_of,
    limit,
    ok,
    place_of,
    read_raise_form,
    rid_of,
    run,
)
from facilitator.server.intake_pages import intake_page, message_page, public_page

INTAKE = web.AppKey("intake", IntakeContext)


def _guard(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Refused as refused:
            return fail(request, refused)

    return guarded


def _html_guard(handler: Handler) -> Handler:
    """For the pages: a refusal (an unknown code, say) is a small readable page, not JSON."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Refused as refused:
            lang = normalize_lang(request.query.get("lang"))
            message = refusal(refused.code, refused.params, lang)
            page = message_page(message, lang)
            return web.Response(
                text=page, status=refused.status, content_type="text/html", charset="utf-8"
            )

    return guarded


def _today(ctx: IntakeContext) -> dt.date:
    return ctx.hub.clock().date()


async def building_info(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place, building = building_of(ctx, request.match_info["code"])
    device = device_of(request, required=False)
    tonight = None
    for session in ctx.live():
        if place_matches(session.place, place.name):
            # tonight the same QR code leads to the session too, with the building filled in
            href = f"/j/{session.join_code}?b={quote(building.name)}"
            tonight = {"title": session.title, "href": href}
            break
    return ok(
        place={"id": place.place_id, "name": place.name, "lang": place.lang},
        building={"code": building.code, "name": building.name, "units": list(building.units)},
        categories=list(place.categories),
        requests=views.open_requests(place, device, lang_of(request, place)),
        live=tonight,
    )


async def raise_request(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place, building = building_of(ctx, request.match_info["code"])
    device = device_of(request)
    assert device is not None
    keys = (("raise_building", f"building:{building.code}"), ("raise_device", f"device:{device}"))
    taken = []
    photo = ""
    try:
        for kind, key in keys:  # before the photo is read: a flood costs no disk
            limit(ctx, kind, key)
            taken.append((kind, key))
        fields, photo = await read_raise_form(request, ctx)
        command = c.RaiseRequest(
            at=ctx.hub.clock(),
            device_key=device,
            building=building.code,
            unit=fields.get("unit", ""),
            category=fields.get("category", ""),
            text=fields.get("text", ""),
            contact=fields.get("contact", ""),
            photo=photo,
            signature=fields.get("signature", ""),
        )
        done = await run(ctx, place.place_id, command, device, fields.get("rid") or None)
    except Refused:
        taken.reverse()  # a typo or a refusal costs the resident nothing
        for kind, key in taken:
            ctx.limiter.refund(kind, key)
        forget_photo(ctx, place.place_id, photo)
        raise
    if done.replayed:  # a retry is not a new request
        for kind, key in taken:
            ctx.limiter.refund(kind, key)
    number = getattr(done.events[0], "number", None) if done.events else None
    return ok(number=number, replayed=done.replayed)


def forget_photo(ctx: IntakeContext, place_id: str, photo: str) -> None:
    """A refused request's photo is not kept (unless another request holds the same picture)."""
    if not photo:
        return
    place = ctx.hub.state(place_id)
    if not any(r.photo == photo for r in place.requests.values()):
        (ctx.photos / photo).unlink(missing_ok=True)


async def support_request(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place, _ = building_of(ctx, request.match_info["code"])
    device = device_of(request)
    assert device is not None
    body = await json_body(request)
    limit(ctx, "support_device", f"device:{device}")
    command = c.SupportRequest(
        at=ctx.hub.clock(), number=int_field(body, "number"), device_key=device
    )
    done = await run(ctx, place.place_id, command, device, rid_of(body))
    supporters = len(done.state.root(command.number).supporters)
    return ok(supporters=supporters, replayed=done.replayed)


async def mine(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place, _ = building_of(ctx, request.match_info["code"])
    device = device_of(request)
    assert device is not None
    lang = lang_of(request, place)
    return ok(requests=views.my_requests(place, device, ledger_of(ctx), ctx.hub.clock(), lang))


async def public_data(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place = place_of(ctx, request.match_info["place"])
    device = device_of(request, required=False)
    return ok(**views.public_place(place, ledger_of(ctx), _today(ctx), device))


async def rate(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place = place_of(ctx, request.match_info["place"])
    device = device_of(request)
    assert device is not None
    body = await json_body(request)
    ref, stars = body.get("ref"), int_field(body, "stars")
    limit(ctx, "rate_device", f"device:{device}")
    entry = next((x for x in views.place_entries(place, ledger_of(ctx)) if x.ref == ref), None)
    if entry is None or not isinstance(ref, str):
        raise Refused("unknown_item", 404, item=str(ref)[:40])
    if entry.status.value != "done":
        raise Refused("not_rateable", 409)
    command = c.RateItem(at=ctx.hub.clock(), ref=ref, device_key=device, stars=stars)
    done = await run(ctx, place.place_id, command, device, rid_of(body))
    item = views.public_item(place, ledger_of(ctx).get(ref) or entry, _today(ctx), device)
    return ok(item=item, replayed=done.replayed)


async def intake_html(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place, building = building_of(ctx, request.match_info["code"])
    lang = request.query.get("lang") or place.lang
    return web.Response(
        text=intake_page(place, building, lang), content_type="text/html", charset="utf-8"
    )


async def public_html(request: web.Request) -> web.StreamResponse:
    ctx = request.app[INTAKE]
    place = place_of(ctx, request.match_info["place"])
    lang = request.query.get("lang") or place.lang
    data = views.public_place(place, ledger_of(ctx), _today(ctx), None)
    href = f"/p/{place.place_id}/minutes/"
    page = public_page(data, lang, live=True, minutes_href=href)
    return web.Response(text=page, content_type="text/html", charset="utf-8")


async def minutes_page(request: web.Request) -> web.StreamResponse:
    """A past session's minutes, linked from the public page: only the place's held sessions."""
    ctx = request.app[INTAKE]
    place = place_of(ctx, request.match_info["place"])
    wanted = request.match_info["session"]
    data = views.public_place(place, ledger_of(ctx), _today(ctx), None)
    if ctx.store is None or wanted not in {s["session_id"] for s in data["sessions"]}:
        raise Refused("unknown_session", 404)
    events = [stored.event for stored in ctx.store.load(wanted)]
    page = minutes_html(events, request.query.get("lang") or place.lang)
    return web.Response(text=page, content_type="text/html", charset="utf-8")


def add_intake_routes(app: web.Application, ctx: IntakeContext) -> None:
    """Register the places' resident routes (and the staff API) on ``app``."""
    from facilitator.server.staff_api import add_staff_routes
    from facilitator.server.staff_page import staff_html

    app[INTAKE] = ctx
    g = _guard
    app.router.add_get("/b/{code}", _html_guard(intake_html))
    app.router.add_get("/api/b/{code}", g(building_info))
    app.router.add_post("/api/b/{code}/requests", g(raise_request))
    app.router.add_post("/api/b/{code}/support", g(support_request))
    app.router.add_get("/api/b/{code}/mine", g(mine))
    app.router.add_get("/p/{place}", _html_guard(public_html))
    app.router.add_get("/p/{place}/minutes/{session}.html", _html_guard(minutes_page))
    app.router.add_get("/api/p/{place}", g(public_data))
    app.router.add_post("/api/p/{place}/rate", g(rate))
    app.router.add_get("/staff", staff_html)
    add_staff_routes(app, ctx, g)
