"""What happened in a place's intake: past-tense records, stored in the log and folded into state.

Event types are never renamed (the name is stored); a field added later must have a default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.intake.values import ItemProgress, Urgency


@dataclass(frozen=True, slots=True, kw_only=True)
class IntakeEvent:
    at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceCreated(IntakeEvent):
    place_id: str
    name: str
    lang: str
    categories: tuple[str, ...]
    answer_within_h: int
    deliver_within_d: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceUpdated(IntakeEvent):
    name: str
    categories: tuple[str, ...]
    answer_within_h: int
    deliver_within_d: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildingAdded(IntakeEvent):
    code: str
    name: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffAdded(IntakeEvent):
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRaised(IntakeEvent):
    number: int
    device_key: str
    building: str
    unit: str
    category: str
    text: str
    contact: str
    photo: str
    signature: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSupported(IntakeEvent):
    number: int
    device_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAccepted(IntakeEvent):
    number: int
    category: str
    urgency: Urgency
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestMerged(IntakeEvent):
    number: int
    into: int
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRejected(IntakeEvent):
    number: int
    reason: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAnswered(IntakeEvent):
    number: int
    text: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestFixed(IntakeEvent):
    number: int
    item_id: str
    title: str
    owner: str
    deadline: dt.date
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestScheduled(IntakeEvent):
    number: int
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestsTaken(IntakeEvent):
    numbers: tuple[int, ...]
    session_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFeedbackRecorded(IntakeEvent):
    item_id: str
    text: str
    status: ItemProgress | None
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRated(IntakeEvent):
    ref: str
    device_key: str
    stars: int


INTAKE_EVENT_TYPES: dict[str, type[IntakeEvent]] = {
    cls.__name__: cls
    for cls in (
        PlaceCreated,
        PlaceUpdated,
        BuildingAdded,
        StaffAdded,
        RequestRaised,
        RequestSupported,
        RequestAccepted,
        RequestMerged,
        RequestRejected,
        RequestAnswered,
        RequestFixed,
        RequestScheduled,
        RequestsTaken,
        ItemFeedbackRecorded,
        ItemRated,
    )
}
