"""Events of agenda items, the speaker queue and opinions."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.events._base import Event
from facilitator.session.values import (
    Stance,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgendaItemAdded(Event):
    item_id: str
    title: str
    time_box_s: int | None
    description: str
    options: tuple[str, ...]
    after_item_id: str | None
    issue_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemStarted(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemPaused(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResumed(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemCompleted(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemSkipped(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemDeferred(Event):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemExtended(Event):
    item_id: str
    seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HandRaised(Event):
    entry_id: str
    item_id: str | None
    participant_id: str | None
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HandLowered(Event):
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FloorGranted(Event):
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakingEnded(Event):
    entry_id: str
    duration_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class OpinionRecorded(Event):
    opinion_id: str
    item_id: str | None
    stance: Stance
    text: str
    speaker: str
    participant_id: str | None
