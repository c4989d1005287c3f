"""Reading untrusted payloads from the wire: the one set of field readers.

A socket payload is untrusted JSON. Every check of its shape (types, missing fields, oversized
values) is made with the readers of this module and raises :class:`WireError` with a stable code
the phone page translates; the rules of the meeting (who may vote, text limits, phases) stay in the
engine. The phones' named events are declared in :mod:`.actions`, the generic ``command`` door
(``{"type": "OpenPoll", ...}``) is :mod:`.generic`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.i18n import Refusal
from facilitator.session import checks

PROTOCOL_VERSION = 1
RID_MAX = 64
STRING_MAX = 2000  # far above every engine limit: only stops absurd payloads before the engine
LIST_MAX = 100
INT_MAX = 10**9


# The engine's own limit of each text a person writes (session/checks.py), by payload field: a
# text over the wire's cap is refused naming the field and *its* limit (a name: 40), never the cap.
TEXT_LIMITS: dict[str, tuple[str, int]] = {
    "name": ("name", checks.NAME_MAX),
    "display_name": ("name", checks.NAME_MAX),
    "on_behalf_of": ("name", checks.NAME_MAX),
    "speaker": ("speaker", checks.NAME_MAX),
    "cast_by": ("cast_by", checks.NAME_MAX),
    "moderator": ("moderator", checks.NAME_MAX),
    "recorder": ("recorder", checks.NAME_MAX),
    "building": ("building", checks.LABEL_MAX),
    "unit": ("unit", checks.LABEL_MAX),
    "category": ("category", checks.LABEL_MAX),
    "comment": ("comment", checks.COMMENT_MAX),
    "question": ("question", checks.ISSUE_MAX),
    "reason": ("reason", checks.REASON_MAX),
    "note": ("note", checks.REASON_MAX),
    "title": ("title", checks.TITLE_MAX),
    "place": ("place", checks.TITLE_MAX),
    "description": ("description", checks.MEASURES_MAX),
    "measures": ("measures", checks.MEASURES_MAX),
    "owner": ("owner", checks.OWNER_MAX),
    "by": ("by", checks.OWNER_MAX),
}
ISSUE_TEXT = ("issue", checks.ISSUE_MAX)


def too_long(name: str, length: int, label: tuple[str, int] | None = None) -> WireError:
    """A text over the wire's cap: ``text_too_long`` with the field's own limit, or for a field
    no person writes (an id, a reference) a ``bad_request``."""
    field, limit = label or TEXT_LIMITS.get(name, ("", 0))
    if not field:
        return bad(f"{name} is too long")
    return WireError("text_too_long", field=field, length=length, limit=limit)


def only(payload: Mapping[str, Any], fields: frozenset[str] | set[str]) -> None:
    """Refuse a payload with a field the request does not read (``rid`` is always allowed): a
    field a client adds (``participant_id``, ``admin``) is a mistake or a probe, never ignored."""
    extra = set(payload) - fields - {"rid"}
    if extra:
        names = ", ".join(sorted(str(name)[:40] for name in extra))
        raise bad(f"unknown field(s): {names[:200]}")


class WireError(Refusal):
    """A request the server refuses before the engine sees it; ``code`` is a catalog error code."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


def bad(detail: str) -> WireError:
    """A malformed request (wrong type, missing field, unknown field)."""
    return WireError("bad_request", detail=detail)


def payload_of(raw: object) -> Mapping[str, Any]:
    """The payload as a mapping; anything else (a list, a number, nothing) is a bad request."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise bad("payload must be an object")
    return raw


def rid(payload: Mapping[str, Any]) -> str:
    """The client's request id: required, a short string, so a retry is answered, not re-applied."""
    value = payload.get("rid")
    if not isinstance(value, str) or not 0 < len(value) <= RID_MAX:
        raise bad("rid must be a string of 1-64 characters")
    return value


def string(
    payload: Mapping[str, Any],
    name: str,
    *,
    required: bool = True,
    label: tuple[str, int] | None = None,
) -> str:
    """A string field; the engine strips it and applies the real limit (``text_too_long``).
    ``label``: the field's name and limit in the engine, when ``name`` alone does not say."""
    value = payload.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise bad(f"{name} must be a string")
    if len(value) > STRING_MAX:
        raise too_long(name, len(value), label)
    return value


def integer(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > INT_MAX:
        raise bad(f"{name} must be a whole number")
    return value


def strings(payload: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = payload.get(name)
    if not isinstance(value, list) or len(value) > LIST_MAX:
        raise bad(f"{name} must be a list of strings")
    if not all(isinstance(v, str) and len(v) <= STRING_MAX for v in value):
        raise bad(f"{name} must be a list of strings")
    return tuple(value)


# --- phone events ------------------------------------------------------------------------------


INVITE_MAX = 64


def invite(payload: Mapping[str, Any]) -> str:
    """The token of a personal invitation card (``/j/CODE?i=TOKEN``), or ``""``."""
    token = string(payload, "invite", required=False)
    if len(token) > INVITE_MAX:
        raise bad("invite is too long")
    return token
