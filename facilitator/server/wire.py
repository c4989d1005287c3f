"""Payloads from the wire become engine commands here, and nowhere else.

A socket payload is untrusted JSON. Every check of its shape (types, missing fields, oversized
values) happens in this module and raises :class:`WireError` with a stable code the phone page
translates; the rules of the meeting (who may vote, text limits, phases) stay in the engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints

from facilitator.hub import invitation_key, local_now, new_id
from facilitator.session import COMMAND_TYPES
from facilitator.session import commands as c
from facilitator.session.state import SessionState
from facilitator.session.values import IssueSource

PROTOCOL_VERSION = 1
RID_MAX = 64
STRING_MAX = 2000  # far above every engine limit: only stops absurd payloads before the engine
LIST_MAX = 100
INT_MAX = 10**9


class WireError(Exception):
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


def join_command(payload: Mapping[str, Any], device_key: str) -> c.JoinSession:
    """``join``: a new phone gives its name (and, optionally, its building and unit); a phone
    with an invitation card gives the card's token instead, and becomes that roster entry."""
    token = invite(payload)
    if token:
        return c.JoinSession(
            at=local_now(),
            participant_id=new_id("p-"),
            device_key=device_key,
            display_name="",
            invite_key=invitation_key(token),
        )
    return c.JoinSession(
        at=local_now(),
        participant_id=new_id("p-"),
        device_key=device_key,
        display_name=string(payload, "name"),
        building=string(payload, "building", required=False),
        unit=string(payload, "unit", required=False),
        category=string(payload, "category", required=False),
    )


def phone_command(
    event: str, payload: Mapping[str, Any], pid: str, state: SessionState
) -> c.Command | None:
    """The command of a joined phone's named event, or None when ``event`` is not one."""
    now = local_now()
    if event == "check_in":
        return c.CheckIn(at=now, participant_id=pid)
    if event == "check_out":
        return c.CheckOut(at=now, participant_id=pid)
    if event == "raise_issue":
        person = state.participants.get(pid)
        return c.RaiseIssue(
            at=now,
            issue_id=new_id("i-"),
            text=string(payload, "text"),
            source=IssueSource.PHONE,
            participant_id=pid,
            building=person.building if person else "",
        )
    if event == "support":
        return c.SupportIssue(at=now, issue_id=string(payload, "issue_id"), participant_id=pid)
    if event == "withdraw":
        return c.WithdrawSupport(at=now, issue_id=string(payload, "issue_id"), participant_id=pid)
    if event == "raise_hand":
        return c.RaiseHand(at=now, entry_id=new_id("q-"), participant_id=pid)
    if event == "lower_hand":
        return c.LowerHand(at=now, entry_id=_own_entry(state, pid))
    if event == "vote":
        poll_id, choices = string(payload, "poll_id"), strings(payload, "choices")
        return c.CastBallot(at=now, poll_id=poll_id, participant_id=pid, choices=choices)
    if event == "claim":
        return c.ClaimActionItem(at=now, action_id=string(payload, "action_id"), participant_id=pid)
    if event == "rate_session":
        stars, comment = integer(payload, "stars"), string(payload, "comment", required=False)
        return c.RateSession(at=now, participant_id=pid, stars=stars, comment=comment)
    if event == "rate_delivery":
        ref, stars = string(payload, "ref"), integer(payload, "stars")
        return c.RateDelivery(at=now, ref=ref, participant_id=pid, stars=stars)
    return None


PHONE_EVENTS = (
    "check_in",
    "check_out",
    "raise_issue",
    "support",
    "withdraw",
    "raise_hand",
    "lower_hand",
    "vote",
    "claim",
    "rate_session",
    "rate_delivery",
)


def _own_entry(state: SessionState, pid: str) -> str:
    for entry in state.queue:
        if entry.participant_id == pid and entry.status == "waiting":
            return entry.entry_id
    raise WireError("not_in_queue")


# --- generic commands: {"type": "OpenPoll", ...fields} -----------------------------------------

COMMANDS: dict[str, type[c.Command]] = {
    cls.__name__: cls for cls in COMMAND_TYPES if cls is not c.CreateSession
}
"""Every command a remote client may name (a session is created by the CLI, not over the wire)."""

# Ids of things a command creates: filled in by the server when the client leaves them out.
NEW_IDS: dict[type[c.Command], tuple[str, str]] = {
    c.JoinSession: ("participant_id", "p-"),
    c.AddRosterEntry: ("participant_id", "p-"),
    c.RaiseIssue: ("issue_id", "i-"),
    c.PromoteIssue: ("item_id", "a-"),
    c.AddAgendaItem: ("item_id", "a-"),
    c.RaiseHand: ("entry_id", "q-"),
    c.RecordOpinion: ("opinion_id", "o-"),
    c.OpenPoll: ("poll_id", "v-"),
    c.AddActionItem: ("action_id", "t-"),
}


def generic_command(payload: Mapping[str, Any]) -> c.Command:
    """Build any command from ``{"type": name, ...fields}``; ``at`` is always the server's."""
    name = payload.get("type")
    cls = COMMANDS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise WireError("unknown_event", event=str(name)[:64])
    values = dict(payload)
    new = NEW_IDS.get(cls)
    if new is not None and not values.get(new[0]):
        values[new[0]] = new_id(new[1])
    fields = _fields(cls)
    extra = set(values) - set(fields) - {"type", "rid"}
    if extra:
        raise bad(f"unknown field(s): {', '.join(sorted(extra))[:200]}")
    kwargs: dict[str, Any] = {"at": local_now()}
    for field_name, (hint, required) in fields.items():
        if field_name == "at":
            continue
        if field_name not in values:
            if required:
                raise bad(f"missing field {field_name}")
            continue
        kwargs[field_name] = coerce(values[field_name], hint, field_name)
    return cls(**kwargs)


_FIELDS: dict[type[Any], dict[str, tuple[Any, bool]]] = {}


def _fields(cls: type[Any]) -> dict[str, tuple[Any, bool]]:
    """Each dataclass field's resolved type and whether it is required (computed once)."""
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    hints = get_type_hints(cls)
    found = {
        f.name: (
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    }
    _FIELDS[cls] = found
    return found


def coerce(value: object, hint: Any, name: str) -> Any:
    """``value`` (decoded JSON) checked against the type ``hint`` of a command field."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None and len(options) < len(get_args(hint)):
            return None
        return coerce(value, options[0], name)  # commands only use "X | None" unions
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list) or len(value) > LIST_MAX:
            raise bad(f"{name} must be a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(coerce(v, args[0], name) for v in value)
        if len(value) != len(args):
            raise bad(f"{name} must be a list of {len(args)}")
        return tuple(coerce(v, a, name) for v, a in zip(value, args, strict=True))
    if hint is bool:
        if not isinstance(value, bool):
            raise bad(f"{name} must be true or false")
        return value
    if hint is int:
        return integer({name: value}, name)
    if hint is str:
        return string({name: value}, name)
    if hint is dt.date:
        try:
            return dt.date.fromisoformat(string({name: value}, name))
        except ValueError:
            raise WireError("invalid_value", field=name, reason="YYYY-MM-DD") from None
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(string({name: value}, name))
        except (ValueError, WireError):
            valid = "/".join(m.value for m in hint)
            raise WireError("invalid_value", field=name, reason=valid) from None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise bad(f"{name} must be an object")
        fields = _fields(hint)
        if set(value) - set(fields):
            raise bad(f"unknown field(s) in {name}")
        return hint(**{k: coerce(v, fields[k][0], f"{name}.{k}") for k, v in value.items()})
    raise bad(f"{name} cannot be sent over the wire")
