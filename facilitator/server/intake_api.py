"""The residents' side of a place, as JSON over HTTP: a building's intake (raise, support, one's own
requests) and the public page's data and ratings.

Every answer is ``{"ok": true, ...}`` or ``{"ok": false, "error": CODE, "message": ...}`` with an
HTTP status; nothing a person sends can produce a 500. A phone is known by the ``X-Device`` token
its page keeps; only the token's hash reaches the engine.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from facilitator.i18n import normalize_lang
from facilitator.intake import Building, IntakeError, PlaceState
from facilitator.intake import commands as c
from facilitator.intake.messages import refusal
from facilitator.ledger import Ledger
from facilitator.place_hub import IntakeOutcome, PlaceHub
from facilitator.server.limits import (
    BoundedRateLimiter,
    Rate,
    RateLimiter,
    RateLimits,
    wait_seconds,
)
from facilitator.server.participant import device_key
from facilitator.server.photos import MAX_BYTES as MAX_PHOTO
from facilitator.server.photos import PhotoRefused, store_photo
from facilitator.store import EventLog, StorageUnavailable

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_RID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_STATUS = {"unknown_request": 404, "unknown_item": 404, "unknown_building": 404, "no_place": 404}
MAX_BODY = 9 * 1024 * 1024  # a photo and its form


@dataclass(frozen=True, slots=True)
class IntakeLimits(RateLimits):
    """How fast a phone (and a building's code) may raise, support and rate."""

    raise_device: Rate = Rate(burst=5, per_s=1 / 600)  # five at once, then one per 10 minutes
    raise_building: Rate = Rate(burst=40, per_s=1 / 60)
    support_device: Rate = Rate(burst=30, per_s=0.2)
    rate_device: Rate = Rate(burst=20, per_s=0.2)


@dataclass(frozen=True, slots=True)
class LiveSession:
    """The session this server runs right now (a building's QR code leads to it that evening)."""

    title: str
    place: str
    join_code: str


@dataclass
class IntakeContext:
    hub: PlaceHub
    store: EventLog | None
    photos: Path
    staff_token: str
    limiter: RateLimiter = field(default_factory=lambda: BoundedRateLimiter(IntakeLimits()))
    live: Callable[[], tuple[LiveSession, ...]] = tuple  # the sessions served, not closed


class Refused(Exception):
    def __init__(self, code: str, status: int = 400, **params: Any) -> None:
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


def lang_of(request: web.Request, place: PlaceState | None = None) -> str:
    asked = request.query.get("lang")
    return normalize_lang(asked or (place.lang if place else None))


def fail(request: web.Request, refused: Refused, place: PlaceState | None = None) -> web.Response:
    message = refusal(refused.code, refused.params, lang_of(request, place))
    body = {"ok": False, "error": refused.code, "message": message}
    return web.json_response(body, status=refused.status, headers={"Cache-Control": "no-store"})


def ok(**body: Any) -> web.Response:
    return web.json_response({"ok": True, **body}, headers={"Cache-Control": "no-store"})


def device_of(request: web.Request, *, required: bool = True) -> str | None:
    token = request.headers.get("X-Device", "")
    if not token and not required:
        return None
    if not _TOKEN.fullmatch(token):
        raise Refused("bad_device")
    return device_key(token)


def rid_of(body: dict[str, Any]) -> str | None:
    rid = body.get("rid")
    if rid is None:
        return None
    if not isinstance(rid, str) or not _RID.fullmatch(rid):
        raise Refused("bad_request", field="rid")
    return rid


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        raise Refused("bad_request", field="body") from None
    if not isinstance(body, dict):
        raise Refused("bad_request", field="body")
    return body


def text_field(body: Any, name: str, *, limit: int = 4000) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise Refused("bad_request", field=name)
    return value


def int_field(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if type(value) is not int:
        raise Refused("bad_request", field=name)
    return value


def limit(ctx: IntakeContext, kind: str, *keys: str) -> None:
    wait = ctx.limiter.check(kind, *keys)
    if wait:
        raise Refused("rate_limited", 429, seconds=wait_seconds(wait))


async def run(
    ctx: IntakeContext, place_id: str, command: c.Command, actor: str, rid: str | None
) -> IntakeOutcome:
    try:
        return await ctx.hub.dispatch(place_id, command, actor=actor, request_id=rid)
    except IntakeError as error:
        raise Refused(
            error.code.value, _STATUS.get(error.code.value, 409), **error.params
        ) from None
    except StorageUnavailable:
        raise Refused("storage_error", 503) from None


def building_of(ctx: IntakeContext, code: str) -> tuple[PlaceState, Building]:
    found = ctx.hub.find_building(code) if code.isalnum() else None
    if found is None:
        raise Refused("unknown_code", 404)
    return found


def place_of(ctx: IntakeContext, place_id: str) -> PlaceState:
    if place_id not in ctx.hub.place_ids():
        raise Refused("unknown_place", 404)
    return ctx.hub.state(place_id)


def ledger_of(ctx: IntakeContext) -> Ledger:
    return ctx.hub.ledger(ctx.store)


TEXT_PART = 16 * 1024  # a form's text field; the engine's own limits are far below


async def _read_capped(part: Any, cap: int, refusal: Exception) -> bytes:
    """A multipart part, refused once it passes ``cap`` bytes (never read whole first)."""
    data = bytearray()
    while chunk := await part.read_chunk():
        data += chunk
        if len(data) > cap:
            raise refusal
    return bytes(data)


async def read_raise_form(request: web.Request, ctx: IntakeContext) -> tuple[dict[str, str], str]:
    """The raise form (multipart with an optional photo, or JSON); returns fields and photo name."""
    if request.content_type != "multipart/form-data":
        body = await json_body(request)
        fields = {
            k: text_field(body, k) for k in ("text", "category", "unit", "contact", "signature")
        }
        fields["rid"] = rid_of(body) or ""
        return fields, ""
    fields, photo = {}, ""
    try:
        reader = await request.multipart()
        async for part in reader:
            name = getattr(part, "name", None) or ""
            if name == "photo" and getattr(part, "filename", None):
                data = await _read_capped(part, MAX_PHOTO, PhotoRefused("photo_too_large"))
                if data:  # decoding a big photo takes a moment: not on the event loop
                    photo = await asyncio.to_thread(store_photo, ctx.photos, data)
            elif name in ("text", "category", "unit", "contact", "signature", "rid"):
                too_long = Refused("bad_request", field=name)
                fields[name] = (await _read_capped(part, TEXT_PART, too_long)).decode("utf-8")
    except PhotoRefused as refused:
        raise Refused(refused.code, 413 if refused.code == "photo_too_large" else 400) from None
    except (ValueError, UnicodeDecodeError, AssertionError, web.HTTPException):
        raise Refused("bad_request", field="form") from None
    if fields.get("rid") and not _RID.fullmatch(fields["rid"]):
        raise Refused("bad_request", field="rid")
    return fields, photo
