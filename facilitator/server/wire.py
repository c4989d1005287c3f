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

PROTOCOL_VERSION = 1
RID_MAX = 64
STRING_MAX = 2000  # far above every engine limit: only stops absurd payloads before the engine
LIST_MAX = 100
INT_MAX = 10**9


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


def string(payload: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    """A string field; the engine strips it and applies the real limit (``text_too_long``)."""
    value = payload.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise bad(f"{name} must be a string")
    if len(value) > STRING_MAX:
        raise WireError("text_too_long", field=name, length=len(value), limit=STRING_MAX)
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
