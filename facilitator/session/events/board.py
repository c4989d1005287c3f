"""Events of issues: raised, supported, screened, merged, promoted, resolved."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.events._base import Event
from facilitator.session.values import (
    IssueSource,
    Scope,
    Urgency,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueRaised(Event):
    issue_id: str
    text: str
    source: IssueSource
    participant_id: str | None
    on_behalf_of: str
    building: str
    item_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueSupported(Event):
    issue_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportWithdrawn(Event):
    issue_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueAccepted(Event):
    issue_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueRejected(Event):
    issue_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuesMerged(Event):
    issue_id: str
    into_issue_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueClassified(Event):
    issue_id: str
    category: str
    scope: Scope | None
    urgency: Urgency


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuesPrioritized(Event):
    issue_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuePromoted(Event):
    issue_id: str
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueResolved(Event):
    issue_id: str
    note: str
