"""The intake engine's checks of what a command carries: texts, numbers, requests, categories.
Each raises :class:`IntakeError` before anything changes."""

from __future__ import annotations

from facilitator.intake.errors import IntakeCode, IntakeError
from facilitator.intake.state import PlaceState, Request
from facilitator.intake.values import OPEN, SHORT_LIMIT, TEXT_LIMIT


def text(value: str, field: str, limit: int = TEXT_LIMIT, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise IntakeError(IntakeCode.TEXT_EMPTY, field=field)
    if len(text) > limit:
        raise IntakeError(IntakeCode.TEXT_TOO_LONG, field=field, length=len(text), limit=limit)
    return text


def texts(values: tuple[str, ...], field: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(text(v, field, SHORT_LIMIT) for v in values))
    return out


def positive(value: int, field: str) -> int:
    if not 1 <= value <= 10_000:
        raise IntakeError(IntakeCode.INVALID_VALUE, field=field, reason="range")
    return value


def known_request(state: PlaceState, number: int) -> Request:
    request = state.requests.get(number)
    if request is None:
        raise IntakeError(IntakeCode.UNKNOWN_REQUEST, number=number)
    return request


def open_request(state: PlaceState, number: int) -> Request:
    request = known_request(state, number)
    if request.status not in OPEN:
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=number, status=request.status.value)
    return request


def known_category(state: PlaceState, category: str) -> str:
    category = category.strip()
    if category and state.categories and category not in state.categories:
        raise IntakeError(IntakeCode.UNKNOWN_CATEGORY, category=category)
    return category
