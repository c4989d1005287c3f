"""A place's intake: its records (the state :func:`facilitator.intake.fold.apply` folds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from immutables import Map

from facilitator.intake.values import RequestStatus, Urgency


@dataclass(frozen=True, slots=True)
class Building:
    code: str
    name: str
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """One dated line of a request's or an item's history."""

    at: dt.datetime
    kind: str  # a RequestStatus value, "answer", "support", "feedback", ItemProgress value
    text: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True)
class Request:
    number: int
    raised_at: dt.datetime
    device_key: str
    building: str
    unit: str
    category: str
    text: str
    contact: str = ""
    photo: str = ""
    signature: str = ""
    status: RequestStatus = RequestStatus.PENDING
    urgency: Urgency = Urgency.NORMAL
    supporters: tuple[str, ...] = ()  # device keys, the raiser first; merges bring theirs
    merged_into: int | None = None
    absorbed: tuple[int, ...] = ()  # requests merged into this one
    reason: str = ""  # why it was rejected
    item_id: str | None = None
    session_id: str | None = None
    first_answer_at: dt.datetime | None = None  # the first time staff told the resident anything
    history: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    """A ledger item made from a request (限時辦結)."""

    item_id: str
    ref: str
    number: int
    title: str
    owner: str
    deadline: dt.date
    building: str
    category: str
    created_at: dt.datetime
    feedback: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class HomeRating:
    at: dt.datetime
    ref: str
    device_key: str
    stars: int


@dataclass(frozen=True, slots=True)
class PlaceState:
    place_id: str = ""
    name: str = ""
    lang: str = "zh-Hant"
    categories: tuple[str, ...] = ()
    answer_within_h: int = 48
    deliver_within_d: int = 14
    created_at: dt.datetime | None = None
    buildings: tuple[Building, ...] = ()  # in the order they were added
    staff: tuple[str, ...] = ()
    requests: Map[int, Request] = Map()
    items: Map[str, Item] = Map()
    ratings: tuple[HomeRating, ...] = ()

    @property
    def exists(self) -> bool:
        return self.created_at is not None

    def building(self, code: str) -> Building | None:
        return next((b for b in self.buildings if b.code == code), None)

    def building_name(self, code: str) -> str:
        found = self.building(code)
        return found.name if found else code

    def root(self, number: int) -> Request:
        """The request that ``number`` ended up in, following merges."""
        request = self.requests[number]
        while request.merged_into is not None:
            request = self.requests[request.merged_into]
        return request

    def answer_due(self, request: Request) -> dt.datetime:
        return request.raised_at + dt.timedelta(hours=self.answer_within_h)

    def answer_overdue(self, request: Request, now: dt.datetime) -> bool:
        """Answered late, or still unanswered past the place's answer-within."""
        answered = request.first_answer_at
        return (answered or now) > self.answer_due(request)
