"""The intake engine's one error family.

A refused command raises :class:`IntakeError` before anything changes. ``code`` is a stable string
shared by the engine, the server, the intake and public pages, the CLI and the console (each
translates it as ``intake.error.<code>`` through :mod:`facilitator.i18n`, as any
:class:`~facilitator.i18n.Refusal`); ``params`` fill the translated message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from facilitator.i18n import Refusal
from facilitator.intake.messages import refusal


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


class IntakeError(Refusal):
    """A command the intake engine refuses; the state is unchanged.

    A :class:`~facilitator.i18n.Refusal` like the session engine's errors: ``code`` and
    ``params`` name the sentence, ``intake.error.<code>`` in the catalogs (with a field, a status
    or a reason put in words, :mod:`facilitator.intake.messages`); ``message`` is its English,
    for logs.
    """

    code: IntakeCode

    def __init__(self, code: IntakeCode, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        self.message = self.sentence("en")
        super().__init__(f"{code.value}: {self.message}")

    def sentence(self, lang: str | None, reader: str = "moderator") -> str:
        """The refusal in ``lang``, the same for a resident and for staff."""
        return refusal(self.code.value, self.params, lang)
