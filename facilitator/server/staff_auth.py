"""Who is calling the staff API: sign-in, sign-out, ``me``, and the check every staff route makes.

``Authorization: Bearer <token>`` carries either a staff account's session token (from
``POST /api/staff/login``) or the operator token this server printed at start (docs/intake.md,
"Staff accounts"). Failed sign-ins are limited per name and per address; a successful one costs
nothing; the counters are forgotten once their window has passed and never exceed a fixed number
(limits.BoundedRateLimiter). Neither the secret nor a token ever appears in a log line or an
answer's message.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler

from facilitator.place_hub.staff import (
    Identity,
    StaffError,
    StaffErrorCode,
    check_secret,
    operator,
)
from facilitator.server.intake_api import IntakeContext, Refused, json_body, ok, text_field
from facilitator.server.limits import BoundedRateLimiter, Rate, RateLimits, wait_seconds
from facilitator.store import StoreError

Wrap = Callable[[Handler], Handler]  # a guard around a route's handler

_STATUS = {
    StaffErrorCode.LOGIN_FAILED: 401,
    StaffErrorCode.NOT_SIGNED_IN: 401,
    StaffErrorCode.SESSION_EXPIRED: 401,
    StaffErrorCode.ACCOUNT_DISABLED: 403,
    StaffErrorCode.FORBIDDEN: 403,
    StaffErrorCode.UNKNOWN_ACCOUNT: 404,
    StaffErrorCode.ACCOUNT_EXISTS: 409,
}


@dataclass(frozen=True, slots=True)
class LoginLimits(RateLimits):
    """Failed sign-ins: 5 at once then one a minute per name; 20 then one per 15 s per address."""

    login_name: Rate = Rate(burst=5, per_s=1 / 60)
    login_address: Rate = Rate(burst=20, per_s=1 / 15)


LOGIN_LIMITER = web.AppKey("login_limiter", BoundedRateLimiter)


def storage_guard(guard: Wrap) -> Wrap:
    """``guard`` that also answers a database that cannot be used (a PostgreSQL server down, a
    locked or full disk) as ``storage_error`` (503) with a sentence, never a 500."""

    def wrap(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except StoreError:
                raise Refused("storage_error", 503) from None

        return guard(guarded)

    return wrap


def refused(error: StaffError) -> Refused:
    return Refused(error.code.value, _STATUS.get(error.code, 400), **error.params)


def bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


def authenticate(request: web.Request, ctx: IntakeContext, place_id: str | None) -> Identity:
    """The caller, allowed to act on ``place_id`` (any place when ``None``), else refused."""
    given = bearer(request)
    if not given:
        raise Refused(StaffErrorCode.NOT_SIGNED_IN.value, 401)
    if hmac.compare_digest(given.encode(), ctx.staff_token.encode()):
        who = operator("token")
    else:
        try:
            who = ctx.hub.staff.identify(given)
        except StaffError as error:
            raise refused(error) from None
    if place_id is not None and not who.may_act(place_id):
        raise Refused(StaffErrorCode.FORBIDDEN.value, 403)
    return who


def _places(ctx: IntakeContext, who: Identity) -> list[dict[str, str]]:
    return [{"id": p, "name": ctx.hub.state(p).name} for p in ctx.hub.place_ids() if who.may_act(p)]


def add_auth_routes(app: web.Application, ctx: IntakeContext, guard: Wrap) -> None:
    app[LOGIN_LIMITER] = BoundedRateLimiter(LoginLimits())
    # scrypt takes 32 MiB and a third of a second: a flood of sign-ins must not take the laptop's
    # memory, so at most two are checked at once (the others wait their turn).
    checks = asyncio.Semaphore(2)

    async def login(request: web.Request) -> web.StreamResponse:
        body = await json_body(request)
        name, secret = text_field(body, "name", limit=100), text_field(body, "secret", limit=200)
        # the address first: a flood of made-up names from one address stops there, before each
        # name gets a bucket of its own
        keys = (("login_address", f"addr:{request.remote}"), ("login_name", f"name:{name}"))
        limiter = request.app[LOGIN_LIMITER]
        for n, (kind, key) in enumerate(keys):
            wait = limiter.check(kind, key)
            if wait:
                for earlier, taken in keys[:n]:
                    limiter.refund(earlier, taken)
                raise Refused("too_many_logins", 429, seconds=wait_seconds(wait))
        staff = ctx.hub.staff
        stored = staff.stored_secret(name)
        async with checks:
            checked = await asyncio.to_thread(check_secret, secret, stored)
        try:
            done = staff.start_session(name, checked)
        except StaffError as error:
            raise refused(error) from None
        for kind, key in keys:  # only failures count
            limiter.refund(kind, key)
        who = done.identity
        return ok(
            token=done.token,
            expires_at=done.expires_at.isoformat(),
            account={"name": who.name, "role": who.role, "places": _places(ctx, who)},
        )

    async def logout(request: web.Request) -> web.StreamResponse:
        who = authenticate(request, ctx, None)
        if who.role != "operator":
            ctx.hub.staff.logout(bearer(request))
        return ok()

    async def me(request: web.Request) -> web.StreamResponse:
        who = authenticate(request, ctx, None)
        return ok(account={"name": who.name, "role": who.role, "places": _places(ctx, who)})

    app.router.add_post("/api/staff/login", guard(login))
    app.router.add_post("/api/staff/logout", guard(logout))
    app.router.add_get("/api/staff/me", guard(me))
