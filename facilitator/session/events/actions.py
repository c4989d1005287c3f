"""Events of action items, the review of earlier ones, and ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.session.events._base import Event


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItemAdded(Event):
    action_id: str
    title: str
    measures: str
    owner: str
    owner_participant_id: str | None
    deadline: dt.date | None
    issue_id: str | None
    poll_id: str | None
    item_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItemUpdated(Event):
    action_id: str
    title: str
    measures: str
    owner: str
    deadline: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItemClaimed(Event):
    action_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackRecorded(Event):
    ref: str
    text: str
    by: str
    status: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryRatingOpened(Event):
    ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryRated(Event):
    ref: str
    participant_id: str
    stars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRated(Event):
    participant_id: str
    stars: int
    comment: str
