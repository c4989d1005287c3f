"""The intake engine's one error family.

A refused command raises :class:`IntakeError` before anything changes. ``code`` is a stable string
shared by the engine, the server, the intake and public pages, the CLI and the console (each
translates it as ``intake.error.<code>`` through :mod:`facilitator.i18n`); ``message`` is English
for logs and tests; ``params`` fill the translated message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class IntakeCode(StrEnum):
    """Stable codes of every way the intake engine can refuse a command."""

    PLACE_EXISTS = "place_exists"
    NO_PLACE = "no_place"
    INVALID_VALUE = "invalid_value"
    TEXT_EMPTY = "text_empty"
    TEXT_TOO_LONG = "text_too_long"
    BUILDING_EXISTS = "building_exists"
    UNKNOWN_BUILDING = "unknown_building"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_REQUEST = "unknown_request"
    ALREADY_SUPPORTED = "already_supported"
    REQUEST_CLOSED = "request_closed"
    MERGE_INTO_SELF = "merge_into_self"
    DUPLICATE_ITEM = "duplicate_item"
    UNKNOWN_ITEM = "unknown_item"
    INVALID_RATING = "invalid_rating"


_MESSAGES: dict[IntakeCode, str] = {
    IntakeCode.PLACE_EXISTS: "This place already exists.",
    IntakeCode.NO_PLACE: "There is no such place yet.",
    IntakeCode.INVALID_VALUE: "Invalid {field}: {reason}.",  # reason: range, letters_digits, past
    IntakeCode.TEXT_EMPTY: "The {field} must not be empty.",
    IntakeCode.TEXT_TOO_LONG: "The {field} is too long ({length} characters; at most {limit}).",
    IntakeCode.BUILDING_EXISTS: "Building {building} already exists.",
    IntakeCode.UNKNOWN_BUILDING: "Unknown building {building}.",
    IntakeCode.UNKNOWN_UNIT: "Building {building} has no unit {unit}.",
    IntakeCode.UNKNOWN_CATEGORY: "Unknown category {category}.",
    IntakeCode.UNKNOWN_REQUEST: "There is no request #{number}.",
    IntakeCode.ALREADY_SUPPORTED: "You already support request #{number}.",
    IntakeCode.REQUEST_CLOSED: "Request #{number} is {status}; it cannot be changed that way.",
    IntakeCode.MERGE_INTO_SELF: "A request cannot be merged into itself.",
    IntakeCode.DUPLICATE_ITEM: "The item {item} already exists.",
    IntakeCode.UNKNOWN_ITEM: "Unknown item {item}.",
    IntakeCode.INVALID_RATING: "A rating is a whole number from 1 to 5.",
}


def default_message(code: IntakeCode) -> str:
    """The English template of ``code`` (placeholders in braces)."""
    return _MESSAGES[code]


class IntakeError(Exception):
    """A command the intake engine refuses; the state is unchanged."""

    def __init__(self, code: IntakeCode, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        try:
            self.message = _MESSAGES[code].format(**params)
        except (KeyError, IndexError):
            self.message = _MESSAGES[code]
        super().__init__(f"{code.value}: {self.message}")
