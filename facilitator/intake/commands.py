"""What staff, residents' phones and the CLI ask of a place's intake: imperative records.

Time (``at``) and ids of new things (building codes, item ids) come in on the command; request
numbers are given by the engine, one after another, so replay is deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.intake.values import ItemProgress, Urgency


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatePlace(Command):
    place_id: str
    name: str
    lang: str = "zh-Hant"
    categories: tuple[str, ...] = ()
    answer_within_h: int = 48
    deliver_within_d: int = 14


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdatePlace(Command):
    """Change the place's name, categories or timeliness; ``None`` keeps what is there."""

    name: str | None = None
    categories: tuple[str, ...] | None = None
    answer_within_h: int | None = None
    deliver_within_d: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddBuilding(Command):
    code: str  # the intake code in the building's QR (/b/<code>), made by the adapter
    name: str
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AddStaff(Command):
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseRequest(Command):
    device_key: str
    building: str  # a building code
    unit: str = ""
    category: str = ""
    text: str
    contact: str = ""
    photo: str = ""  # the stored photo's name, re-encoded by the adapter
    signature: str = ""  # a name the resident chose to show; otherwise "<building> resident"


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportRequest(Command):
    number: int
    device_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptRequest(Command):
    number: int
    category: str = ""  # "" keeps the resident's
    urgency: Urgency = Urgency.NORMAL
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeRequest(Command):
    number: int
    into: int
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectRequest(Command):
    number: int
    reason: str
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerRequest(Command):
    number: int
    text: str
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FixRequest(Command):
    """限時辦結: the request becomes a ledger item with an owner and a deadline."""

    number: int
    item_id: str
    title: str = ""  # "" takes the request's text
    owner: str
    deadline: dt.date | None = None  # None: the place's deliver-within from today
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleRequest(Command):
    number: int
    note: str = ""  # what the resident reads, e.g. 「屬下期廣場夜話主題，已排入議程」
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeRequests(Command):
    """Scheduled requests brought into a session's agenda as issues."""

    numbers: tuple[int, ...]
    session_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordItemFeedback(Command):
    item_id: str
    text: str
    status: ItemProgress | None = None
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RateItem(Command):
    """A resident rates a delivered ledger item (of this place) from home; the latest counts."""

    ref: str
    device_key: str
    stars: int
