"""Action items, the review of earlier ones, and ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.session.commands._base import Command


@dataclass(frozen=True, slots=True, kw_only=True)
class AddActionItem(Command):
    action_id: str
    title: str
    measures: str = ""
    owner: str = ""
    owner_participant_id: str | None = None
    deadline: dt.date | None = None
    issue_id: str | None = None
    poll_id: str | None = None
    item_id: str | None = None  # None: the current item


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateActionItem(Command):
    action_id: str
    title: str | None = None
    measures: str | None = None
    owner: str | None = None
    deadline: dt.date | None = None
    clear_deadline: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimActionItem(Command):
    action_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordFeedback(Command):
    """Progress reported on an earlier session's action item (``ref`` from the ledger)."""

    ref: str
    text: str
    by: str = ""
    status: str | None = None  # in_progress | done, when the report changes it


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenDeliveryRating(Command):
    """Residents may now rate the delivery of an earlier action item from their phones."""

    ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RateDelivery(Command):
    ref: str
    participant_id: str
    stars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RateSession(Command):
    participant_id: str
    stars: int
    comment: str = ""
