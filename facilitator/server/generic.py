"""The generic door: ``{"type": "OpenPoll", ...fields}`` becomes any command a client may name.

The moderator's remote clients (and a phone, for the commands it may send) name a command and its
fields; each field is checked against the command's declared type with the readers of
:mod:`.wire`, unknown fields are refused, and ``at`` is always the server's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints

from facilitator.hub import local_now
from facilitator.server.actions import PHONE_NEW_IDS
from facilitator.server.wire import (
    ISSUE_TEXT,
    LIST_MAX,
    STRING_MAX,
    WireError,
    bad,
    integer,
    string,
    too_long,
)
from facilitator.services import new_id
from facilitator.session import COMMAND_TYPES, checks
from facilitator.session import commands as c

COMMANDS: dict[str, type[c.Command]] = {
    cls.__name__: cls for cls in COMMAND_TYPES if cls is not c.CreateSession
}
"""Every command a remote client may name (a session is created by the CLI, not over the wire)."""

NEW_IDS: dict[type[c.Command], tuple[str, str]] = {
    c.AddRosterEntry: ("participant_id", "p-"),
    c.PromoteIssue: ("item_id", "a-"),
    c.AddAgendaItem: ("item_id", "a-"),
    c.RecordOpinion: ("opinion_id", "o-"),
    c.OpenPoll: ("poll_id", "v-"),
    c.AddActionItem: ("action_id", "t-"),
    **PHONE_NEW_IDS,
}
"""Ids of things a command creates (the moderator's, and the phones' from their actions): filled
in by the server when the client leaves them out."""


# Where one field name means different texts: ``text`` of an issue, an opinion, a feedback.
TEXTS: dict[tuple[type[c.Command], str], tuple[str, int]] = {
    (c.RaiseIssue, "text"): ISSUE_TEXT,
    (c.RecordOpinion, "text"): ("opinion", checks.OPINION_MAX),
    (c.RecordFeedback, "text"): ("feedback", checks.MEASURES_MAX),
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
        raise bad(f"unknown field(s): {', '.join(sorted(str(x)[:40] for x in extra))[:200]}")
    for field_name, value in values.items():  # name the field's own limit, not the wire's cap
        if isinstance(value, str) and len(value) > STRING_MAX:
            raise too_long(field_name, len(value), TEXTS.get((cls, field_name)))
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
