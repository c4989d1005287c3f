"""Events to JSON and back, by reflection over their dataclass fields.

The log outlives the code that wrote it, so the codec is strict both ways: encoding refuses a value
that could not be decoded again (an acknowledged event that cannot be replayed would be worse than
a refused one), and decoding refuses anything that is not exactly what the event class declares.

Reading the type hints is slow, so each class's hints are turned once into a tree of small closures
(one per field) and cached; decoding a row is then a ``json.loads`` plus a walk of those closures.
Evolution: a field added later must have a default; rows written before it decode to the default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import json.scanner
import math
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from facilitator.session.events import EVENT_TYPES, Event
from facilitator.store.errors import CorruptEvent, UnknownEventType, UnstorableEvent

_Convert = Callable[[Any], Any]
_TYPE_NAMES: dict[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}
_DUMPS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_LOADS = json.JSONDecoder().decode
# the C scanner without loads() around it (typeshed wants a scanner as its context; any decoder is)
_SCAN = json.scanner.make_scanner(typing.cast(Any, json.JSONDecoder()))


class _Invalid(Exception):
    """A value does not fit its field; ``path`` grows as the error climbs out of nested values."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str | int] = []

    def where(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text


_KINDS = {dict: "an object", list: "a list", str: "text", bool: "a boolean", int: "an integer"}


def _kind(value: object) -> str:
    return "null" if value is None else _KINDS.get(type(value), f"a {type(value).__name__}")


def _checker(expected: type, label: str) -> _Convert:
    def convert(value: Any) -> Any:
        if type(value) is not expected:
            raise _Invalid(f"expected {label}, got {_kind(value)}")
        return value

    return convert


_text = _checker(str, "text")
_ABSENT = object()


def _float(value: Any) -> float:
    if type(value) is float or type(value) is int:
        if not math.isfinite(value):
            raise _Invalid("expected a finite number")
        return float(value)
    raise _Invalid(f"expected a number, got {_kind(value)}")


def _iso(cls: type[dt.date], label: str) -> tuple[_Convert, _Convert]:
    def decode(value: Any) -> Any:
        if type(value) is not str:
            raise _Invalid(f"expected {label} as text, got {_kind(value)}")
        try:
            return cls.fromisoformat(value)
        except ValueError:
            raise _Invalid(f"{value!r} is not {label}") from None

    def encode(value: Any) -> Any:
        # the exact class: a datetime is a date, but would not come back from a date field
        if type(value) is not cls:
            raise _Invalid(f"expected {label}, got {_kind(value)}")
        return value.isoformat()

    return decode, encode


def _enum(cls: type[Enum]) -> tuple[_Convert, _Convert]:
    members = {member.value: member for member in cls}
    allowed = ", ".join(repr(value) for value in members)

    def decode(value: Any) -> Any:
        member = members.get(value) if type(value) is str else None
        if member is None:
            raise _Invalid(f"{value!r} is not one of {allowed}")
        return member

    def encode(value: Any) -> Any:
        if not isinstance(value, cls):
            raise _Invalid(f"expected {cls.__name__}, got {_kind(value)}")
        return value.value

    return decode, encode


def _sequence(items: list[tuple[_Convert, _Convert]], variadic: bool) -> tuple[_Convert, _Convert]:
    def each(value: Any, pick: int) -> list[Any]:
        if variadic:
            converters = [items[0][pick]] * len(value)
        elif len(value) == len(items):
            converters = [pair[pick] for pair in items]
        else:
            raise _Invalid(f"expected {len(items)} values, got {len(value)}")
        out = []
        for index, (convert, item) in enumerate(zip(converters, value, strict=True)):
            try:
                out.append(convert(item))
            except _Invalid as error:
                error.path.insert(0, index)
                raise
        return out

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise _Invalid(f"expected a list, got {_kind(value)}")
        return tuple(each(value, 0))

    def encode(value: Any) -> Any:
        if type(value) is not tuple:
            raise _Invalid(f"expected a tuple, got {_kind(value)}")
        return each(value, 1)

    return decode, encode


_CONVERTERS: dict[Any, tuple[_Convert, _Convert]] = {}


def _converters(hint: Any) -> tuple[_Convert, _Convert]:
    """The (decode, encode) pair for one type hint; built once per hint."""
    if hint in _CONVERTERS:
        return _CONVERTERS[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    pair: tuple[_Convert, _Convert]
    if hint is str:
        pair = (_text, _text)
    elif hint in (int, bool):
        check = _checker(hint, "an integer" if hint is int else "true or false")
        pair = (check, check)
    elif hint is float:
        pair = (_float, _float)
    elif hint is dt.datetime or hint is dt.date:
        pair = _iso(hint, "a date and time" if hint is dt.datetime else "a date")
    elif isinstance(hint, type) and issubclass(hint, Enum):
        pair = _enum(hint)
    elif origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        decode, encode = _converters(next(arg for arg in args if arg is not type(None)))
        pair = (
            lambda value: None if value is None else decode(value),
            lambda value: None if value is None else encode(value),
        )
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        pair = _sequence([_converters(args[0])], variadic=True)
    elif origin is tuple and args:
        pair = _sequence([_converters(arg) for arg in args], variadic=False)
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        pair = _record(hint)
    else:
        raise TypeError(f"the event codec cannot store values of type {hint!r}")
    _CONVERTERS[hint] = pair
    return pair


def _record(cls: type[Any]) -> tuple[_Convert, _Convert]:
    """(decode, encode) for a dataclass: a JSON object with exactly its fields."""
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    specs = [(field.name, *_converters(hints[field.name])) for field in fields]
    required = {
        field.name
        for field in fields
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }
    known = {field.name for field in fields}

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise _Invalid(f"expected an object, got {_kind(value)}")
        kwargs = {}
        for name, convert, _ in specs:
            item = value.get(name, _ABSENT)
            if type(item) is str and convert is _text:  # the common case, without a call
                kwargs[name] = item
            elif item is not _ABSENT:
                try:
                    kwargs[name] = convert(item)
                except _Invalid as error:
                    error.path.insert(0, name)
                    raise
            elif name in required:
                missing = _Invalid("required but missing")
                missing.path.append(name)
                raise missing
        if len(kwargs) != len(value):
            raise _Invalid(f"unknown field {sorted(set(value) - known)[0]!r}")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as error:  # a __post_init__ refusing the values
            raise _Invalid(str(error)) from None

    def encode(value: Any) -> Any:
        if type(value) is not cls:
            raise _Invalid(f"expected {cls.__name__}, got {_kind(value)}")
        out = {}
        for name, _, convert in specs:
            try:
                out[name] = convert(getattr(value, name))
            except _Invalid as error:
                error.path.insert(0, name)
                raise
        return out

    return _fast_decoder(cls, specs, decode), encode


def _fast_decoder(
    cls: type[Any], specs: list[tuple[str, _Convert, _Convert]], checked: _Convert
) -> _Convert:
    """``checked`` (the decoder above), written out field by field for the common row.

    A row written by this version holds every field: the generated function reads each one by
    name, checks text fields inline and calls the other fields' converters, with no loop and no
    per-field bookkeeping (replaying a long log is mostly this). Anything unusual — a field
    missing (an older row), one too many, a value that does not fit, a record refusing its
    values — is handed to ``checked``, which decodes it or says exactly what is wrong.
    """
    if not all(name.isidentifier() for name, _, _ in specs):  # never for a dataclass
        return checked
    scope: dict[str, Any] = {"_cls": cls, "_checked": checked, "_text": _text, "_Invalid": _Invalid}
    lines = ["def decode(value):", f"    if type(value) is not dict or len(value) != {len(specs)}:"]
    lines += ["        return _checked(value)", "    try:"]
    args = []
    for index, (name, convert, _) in enumerate(specs):
        lines.append(f"        v{index} = value[{name!r}]")
        if convert is _text:
            lines.append(f"        if type(v{index}) is not str:")
            lines.append("            return _checked(value)")
            args.append(f"{name}=v{index}")
        else:
            scope[f"c{index}"] = convert
            args.append(f"{name}=c{index}(v{index})")
    lines.append(f"        return _cls({', '.join(args)})")
    lines += [
        "    except (KeyError, _Invalid, TypeError, ValueError):",
        "        return _checked(value)",
    ]
    exec("\n".join(lines), scope)  # our own field names, checked above
    fast: _Convert = scope["decode"]
    return fast


def _describe(error: _Invalid) -> str:
    return f"field {error.where()!r}: {error.reason}" if error.path else error.reason


def encode_event(event: Event) -> tuple[str, str]:
    """The stable type name and the compact JSON text of ``event``.

    Raises :class:`UnstorableEvent` (a ``TypeError``) when the event is not a registered type or a
    field holds a value that would not decode back to the same value: a bug, never a user error.
    """
    name = _TYPE_NAMES.get(type(event))
    if name is None:
        raise UnstorableEvent(type(event).__name__, "it is not in EVENT_TYPES")
    try:
        return name, _DUMPS(_converters(type(event))[1](event))
    except _Invalid as error:
        raise UnstorableEvent(name, _describe(error)) from None


def _parse(payload: str) -> Any:
    """``json.loads`` without its Python-level whitespace handling, for our compact payloads."""
    try:
        value, end = _SCAN(payload, 0)
        if end == len(payload):
            return value
    except (StopIteration, ValueError, TypeError):
        pass
    return _LOADS(payload)  # not our compact form: accept it anyway, or say why it is not JSON


def decode_event(type_name: str, payload: str, *, session_id: str = "?", seq: int = 0) -> Event:
    """The event stored as ``type_name`` + ``payload``; the inverse of :func:`encode_event`.

    ``session_id`` and ``seq`` only name the row in errors. Raises :class:`UnknownEventType` for a
    type this version does not know and :class:`CorruptEvent` for anything that does not fit.
    """
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise UnknownEventType(session_id, seq, type_name)
    try:
        raw = _parse(payload)
    except (ValueError, TypeError) as error:
        reason = f"not valid JSON ({error})"
        raise CorruptEvent(session_id, seq, reason, type_name=type_name) from None
    try:
        event: Event = _DECODERS[type_name](raw)
    except _Invalid as error:
        raise CorruptEvent(session_id, seq, _describe(error), type_name=type_name) from None
    return event


# At import: an event field of an unsupported type fails now, not when a row is read.
_DECODERS: dict[str, _Convert] = {name: _converters(cls)[0] for name, cls in EVENT_TYPES.items()}


def encode_record(record: Any, types: dict[str, type[Any]]) -> tuple[str, str]:
    """:func:`encode_event` for another family of event records (``types``: name -> class), such
    as a place's intake events; the same strictness."""
    name = type(record).__name__
    if types.get(name) is not type(record):
        raise UnstorableEvent(name, "it is not a registered event type")
    try:
        return name, _DUMPS(_converters(type(record))[1](record))
    except _Invalid as error:
        raise UnstorableEvent(name, _describe(error)) from None


def decode_record(
    type_name: str, payload: str, types: dict[str, type[Any]], *, stream: str = "?", seq: int = 0
) -> Any:
    """:func:`decode_event` for the family ``types``; errors name ``stream`` and ``seq``."""
    cls = types.get(type_name)
    if cls is None:
        raise UnknownEventType(stream, seq, type_name)
    try:
        raw = _parse(payload)
        return _converters(cls)[0](raw)
    except (ValueError, TypeError) as error:
        raise CorruptEvent(stream, seq, f"not valid JSON ({error})", type_name=type_name) from None
    except _Invalid as error:
        raise CorruptEvent(stream, seq, _describe(error), type_name=type_name) from None
