"""The ledger's records (整改臺賬): one entry per action item of any session, kept across sessions.

Everything here is immutable and free of the clock: whether an item is overdue depends on a
``today`` passed in by the caller, so the same log and the same day always give the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from facilitator.session.review import ReopenPolicy


class Status(StrEnum):
    """Where an item stands. ``overdue`` is never stored: it is derived from the deadline."""

    UNCLAIMED = "unclaimed"  # no owner agreed and nobody claimed it (the minutes' 待認領)
    CLAIMED = "claimed"  # agreed with an owner (or claimed on the spot), work not reported yet
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


STORED_STATUSES = (Status.UNCLAIMED, Status.CLAIMED, Status.IN_PROGRESS, Status.DONE)
UPDATE_STATUSES = (Status.IN_PROGRESS, Status.DONE)
"""What a progress report (feedback with a status, or ``ledger update``) may set."""


# ReopenPolicy lives with the engine's review rule, shared with the minutes.


@dataclass(frozen=True, slots=True)
class LedgerUpdate:
    """A change made between sessions (``ledger update/feedback/rate``), kept by the store."""

    ref: str
    at: dt.datetime
    kind: str  # status | feedback | rating
    status: str | None = None
    deadline: dt.date | None = None
    text: str = ""
    by: str = ""
    stars: int = 0


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    """A progress report: when, what, who, and the status it set (if any)."""

    at: dt.datetime
    text: str
    by: str
    status: str | None
    source: str  # the session id it was recorded in, or "ledger"


@dataclass(frozen=True, slots=True)
class Rating:
    """One resident's rating (1-5 stars) of a delivered item."""

    at: dt.datetime
    rater: str  # "<session id>:<participant id>" or "ledger:<name>"
    stars: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One action item in the ledger. ``ref`` is ``<session id>/<action id>``, stable for ever."""

    ref: str
    session_id: str
    action_id: str
    place: str
    session_title: str
    session_date: dt.date
    title: str
    measures: str
    owner: str
    deadline: dt.date | None
    building: str
    category: str
    issue_id: str | None
    created_at: dt.datetime
    status: Status = Status.CLAIMED
    done_on: dt.date | None = None
    on_time: bool | None = None  # set when marked done against the deadline then in force
    feedback: tuple[FeedbackEntry, ...] = ()
    ratings: tuple[Rating, ...] = ()  # every rating ever given, in order
    round: tuple[Rating, ...] = ()  # the ratings since it was last marked done
    reopened: int = 0
    accepted: bool = False  # the last judged round was satisfactory
    reviewed_after_done: bool = False  # a follow-up session closed since it was marked done
    raised_by: str = ""  # the category of the person who raised its issue (居民, 網格員...)

    def shown_status(self, today: dt.date) -> Status:
        """The status to show on ``today``: overdue when not done and past its deadline."""
        if self.status is not Status.DONE and self.deadline is not None and self.deadline < today:
            return Status.OVERDUE
        return self.status

    def is_overdue(self, today: dt.date) -> bool:
        return self.shown_status(today) is Status.OVERDUE

    @property
    def average(self) -> float | None:
        """The average stars of the current round, ``None`` before any rating."""
        if not self.round:
            return None
        return sum(r.stars for r in self.round) / len(self.round)

    @property
    def needs_review(self) -> bool:
        """Still to be brought back to its place's next session: not done yet, or delivered but
        not yet accepted by residents (and not yet put before a session since)."""
        if self.status is not Status.DONE:
            return True
        return not self.accepted and not self.reviewed_after_done


@dataclass(frozen=True, slots=True)
class IssueFact:
    """An issue as the report counts it."""

    issue_id: str
    building: str
    category: str
    status: str  # an IssueStatus value
    action_refs: tuple[str, ...]
    raised_by: str = ""  # the category of the person who raised it
    intake_ref: str = ""  # "<place>#<n>" when it was raised between sessions


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What the report needs of a session."""

    session_id: str
    kind: str
    title: str
    place: str
    date: dt.date
    held: bool  # opened at some point
    issues: tuple[IssueFact, ...]
    ratings: tuple[int, ...]  # the session's satisfaction ratings (stars)
    categories: tuple[str, ...] = ()  # the place's categories of people, in its order


@dataclass(frozen=True, slots=True)
class RequestFact:
    """A request raised between sessions (碼上議), as the report counts it."""

    place_id: str
    number: int
    raised_at: dt.datetime
    first_answer_at: dt.datetime | None
    answer_due: dt.datetime
    issue: IssueFact | None  # None when it went into a session (counted there)
    building: str = ""  # the building's name, for the report's slices
    category: str = ""


@dataclass(frozen=True, slots=True)
class Ledger:
    """Every action item of every session, and a summary of each session, in a stable order."""

    entries: tuple[Entry, ...]
    sessions: tuple[SessionSummary, ...]
    policy: ReopenPolicy = ReopenPolicy()
    requests: tuple[RequestFact, ...] = ()  # every place's intake
    intake_ids: tuple[str, ...] = ()  # the places' ids: their items' ``session_id``

    def get(self, ref: str) -> Entry | None:
        """The entry with ``ref`` (``None`` when there is none)."""
        return next((entry for entry in self.entries if entry.ref == ref), None)
