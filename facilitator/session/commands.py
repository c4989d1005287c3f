"""Commands: what someone asks the engine to do (imperative names).

Every command carries ``at``, the time it was received, because the engine has no clock; ids of
new things arrive on the command too, so replaying the resulting events is deterministic. Who may
send which command (a phone or the moderator) is decided by the hub, not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session.values import (
    IssueSource,
    PollKind,
    Quorum,
    Scope,
    Stance,
    Threshold,
    Urgency,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """Base of every command."""

    at: dt.datetime


# --- session -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUpSpec:
    """An action item of an earlier session brought back for review ("what we promised")."""

    ref: str
    title: str
    owner: str = ""
    deadline: dt.date | None = None
    status: str = "claimed"
    overdue: bool = False
    origin: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateSession(Command):
    session_id: str
    kind: SessionKind
    title: str
    join_code: str
    numeric_code: str
    place: str = ""
    moderator: str = ""
    recorder: str = ""
    date: dt.date | None = None
    lang: str = "zh-Hant"
    anonymous: bool = False
    speaking_time_s: int = 120
    max_turns_per_item: int = 0  # 0: no limit
    items: tuple[AgendaItemSpec, ...] = ()
    item_ids: tuple[str, ...] = ()
    follow_ups: tuple[FollowUpSpec, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateSession(Command):
    title: str | None = None
    place: str | None = None
    moderator: str | None = None
    recorder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenSession(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenRating(Command):
    """Invite everyone present to rate the session (the phones show the rating form)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseSession(Command):
    pass


# --- participants ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinSession(Command):
    """A phone joins. ``device_key`` is an opaque (hashed) key of the phone's device token."""

    participant_id: str
    device_key: str
    display_name: str
    category: str = ""
    building: str = ""
    unit: str = ""
    check_in: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRosterEntry(Command):
    """The moderator adds a person without a phone (or before they arrive)."""

    participant_id: str
    display_name: str
    category: str = ""
    building: str = ""
    unit: str = ""
    check_in: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateParticipant(Command):
    participant_id: str
    display_name: str | None = None
    category: str | None = None
    building: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckIn(Command):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOut(Command):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetWalkInCount(Command):
    """People present without a device or roster entry, counted by a volunteer."""

    count: int


# --- issues ------------------------------------------------------------------------------------


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


# --- agenda ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAgendaItem(Command):
    item_id: str
    title: str
    time_box_s: int | None = None
    description: str = ""
    options: tuple[str, ...] = ()
    after_item_id: str | None = None  # None: at the end


@dataclass(frozen=True, slots=True, kw_only=True)
class StartItem(Command):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseItem(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeItem(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvanceAgenda(Command):
    """Finish the current item (if any) and start the next pending one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SkipItem(Command):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeferItem(Command):
    """Carry an item over to the next session."""

    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendItem(Command):
    item_id: str
    seconds: int


# --- speaker queue -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseHand(Command):
    """Join the current item's speaker queue: a participant, or a name the moderator types."""

    entry_id: str
    participant_id: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LowerHand(Command):
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GrantFloor(Command):
    """Give the floor to ``entry_id``, or to the first in the queue when None."""

    entry_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSpeaking(Command):
    pass


# --- opinions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordOpinion(Command):
    opinion_id: str
    stance: Stance
    text: str
    speaker: str = ""
    participant_id: str | None = None
    item_id: str | None = None  # None: the current item


# --- polls -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenPoll(Command):
    poll_id: str
    question: str
    kind: PollKind = PollKind.YES_NO_ABSTAIN
    options: tuple[str, ...] = ()  # ignored for yes/no/abstain
    max_choices: int = 1
    secret: bool = True
    changeable: bool = True
    quorum: Quorum = Quorum()
    threshold: Threshold = Threshold()
    item_id: str | None = None  # None: the current item


@dataclass(frozen=True, slots=True, kw_only=True)
class CastBallot(Command):
    poll_id: str
    participant_id: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CastProxyBallot(Command):
    """The moderator casts the ballot a roster participant dictates; ``cast_by`` is recorded."""

    poll_id: str
    participant_id: str
    choices: tuple[str, ...]
    cast_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordHandCount(Command):
    """Hands counted per option; replaces an earlier count for the poll.

    ``voters`` is how many people raised a hand; for single-answer polls it defaults to the sum.
    """

    poll_id: str
    counts: tuple[tuple[str, int], ...]
    voters: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosePoll(Command):
    poll_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelPoll(Command):
    poll_id: str
    reason: str = ""


# --- action items, follow-up and ratings --------------------------------------------------------


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
