"""Issues: raised, supported, screened, merged, prioritised, promoted."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.commands._base import Command
from facilitator.session.values import (
    IssueSource,
    Scope,
    Urgency,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseIssue(Command):
    issue_id: str
    text: str
    source: IssueSource
    participant_id: str | None = None  # who raised it, when known
    on_behalf_of: str = ""  # a name, when the moderator types it for someone
    building: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportIssue(Command):
    issue_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawSupport(Command):
    issue_id: str
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptIssue(Command):
    issue_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectIssue(Command):
    issue_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeIssues(Command):
    """Merge ``issue_id`` (a duplicate) into ``into_issue_id``; supporters are united."""

    issue_id: str
    into_issue_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassifyIssue(Command):
    issue_id: str
    category: str | None = None
    scope: Scope | None = None
    urgency: Urgency | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PrioritizeIssues(Command):
    """Set the moderator's priority order; issues not listed follow, by supports and urgency."""

    issue_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoteIssue(Command):
    """Make an issue an agenda item of its own, placed after the current item."""

    issue_id: str
    item_id: str
    time_box_s: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveIssue(Command):
    """The issue was settled on the spot."""

    issue_id: str
    note: str = ""
