"""What only a district admin (or the operator) may do over the staff API: create places and
manage staff accounts — the same as ``facilitator place create`` and ``facilitator staff``.

A new account's secret, or a reset one, is generated and returned in that one answer, never again
(like the command line prints it once); it is never logged.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from facilitator.i18n import LANGS
from facilitator.intake import commands as c
from facilitator.place_hub.staff import Identity, StaffError, StaffErrorCode, new_secret
from facilitator.server.intake_api import IntakeContext, Refused, json_body, ok, run, text_field
from facilitator.server.staff_auth import Wrap, authenticate, refused
from facilitator.store.accounts import ROLES, Account


def _admin(request: web.Request, ctx: IntakeContext) -> Identity:
    who = authenticate(request, ctx, None)
    if who.role not in ("admin", "operator"):
        raise Refused(StaffErrorCode.FORBIDDEN.value, 403)
    return who


def _view(account: Account) -> dict[str, Any]:
    places = None if account.role == "admin" else list(account.places)
    return {
        "name": account.name,
        "role": account.role,
        "places": places,
        "disabled": account.disabled,
    }


def _places(ctx: IntakeContext, body: dict[str, Any], name: str = "places") -> tuple[str, ...]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise Refused("bad_request", field=name)
    for place_id in value:
        if place_id not in ctx.hub.place_ids():
            raise Refused("unknown_place", 404)
    return tuple(value)


def add_admin_routes(app: web.Application, ctx: IntakeContext, guard: Wrap) -> None:
    async def create_place(request: web.Request) -> web.StreamResponse:
        who = _admin(request, ctx)
        body = await json_body(request)
        place_id = text_field(body, "place_id", limit=40)
        lang = body.get("lang") or LANGS[0]
        if lang not in LANGS:
            raise Refused("bad_request", field="lang")
        categories = _strings(body, "categories")
        command = c.CreatePlace(
            at=ctx.hub.clock(),
            place_id=place_id,
            name=text_field(body, "name", limit=100),
            lang=lang,
            categories=categories,
        )
        await run(ctx, place_id, command, who.actor, None)
        return ok(place={"id": place_id, "name": command.name})

    async def accounts(request: web.Request) -> web.StreamResponse:
        _admin(request, ctx)
        return ok(accounts=[_view(a) for a in ctx.hub.staff.accounts()])

    async def add_account(request: web.Request) -> web.StreamResponse:
        _admin(request, ctx)
        body = await json_body(request)
        role = body.get("role") or "staff"
        if role not in ROLES:
            raise Refused("bad_request", field="role")
        name, places, secret = text_field(body, "name", limit=100), _places(ctx, body), new_secret()
        try:
            account = ctx.hub.staff.add(name, str(role), places, secret)
        except StaffError as error:
            raise refused(error) from None
        return ok(account=_view(account), secret=secret)

    async def change(request: web.Request) -> web.StreamResponse:
        _admin(request, ctx)
        name, action = request.match_info["name"], request.match_info["action"]
        body = await json_body(request) if request.can_read_body else {}
        staff, secret = ctx.hub.staff, ""
        try:
            match action:
                case "grant" | "revoke":
                    place = text_field(body, "place", limit=40)
                    if action == "grant" and place not in ctx.hub.place_ids():
                        raise Refused("unknown_place", 404)
                    change = staff.grant if action == "grant" else staff.revoke
                    account = change(name, place)
                case "disable" | "enable":
                    account = staff.set_disabled(name, action == "disable")
                case "reset-secret":
                    secret = new_secret()
                    staff.reset_secret(name, secret)
                    account = staff.account(name)
                case _:
                    raise Refused("unknown_action", 404)
        except StaffError as error:
            raise refused(error) from None
        return ok(account=_view(account), **({"secret": secret} if secret else {}))

    app.router.add_post("/api/staff/places", guard(create_place))
    app.router.add_get("/api/staff/accounts", guard(accounts))
    app.router.add_post("/api/staff/accounts", guard(add_account))
    app.router.add_post("/api/staff/accounts/{name}/{action}", guard(change))


def _strings(body: dict[str, Any], name: str) -> tuple[str, ...]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise Refused("bad_request", field=name)
    return tuple(x.strip() for x in value)
