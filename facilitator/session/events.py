"""Events: what happened (past tense). State is a fold over them; they are what the log stores.

Events carry everything needed to rebuild the state without re-running any rule, so a change of a
rule never changes what an old log replays to (a closed poll's decision is stored, not recomputed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session.commands import FollowUpSpec
from facilitator.session.values import (
    Channel,
    IssueSource,
    Outcome,
    PollKind,
    Quorum,
    Scope,
    Stance,
    Threshold,
    Urgency,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every event."""

    at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCreated(Event):
    session_id: str
    kind: SessionKind
    title: str
    join_code: str
    numeric_code: str
    place: str
    moderator: str
    recorder: str
    date: dt.date | None
    lang: str
    anonymous: bool
    speaking_time_s: int
    max_turns_per_item: int
    items: tuple[AgendaItemSpec, ...]
    item_ids: tuple[str, ...]
    follow_ups: tuple[FollowUpSpec, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionUpdated(Event):
    title: str
    place: str
    moderator: str
    recorder: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionOpened(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingOpened(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantJoined(Event):
    participant_id: str
    display_name: str
    category: str
    building: str
    unit: str
    device_key: str  # "" for roster entries without a phone


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantUpdated(Event):
    participant_id: str
    display_name: str
    category: str
    building: str
    unit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantCheckedIn(Event):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantCheckedOut(Event):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WalkInCountSet(Event):
    count: int


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


@dataclass(frozen=True, slots=True, kw_only=True)
class PollOpened(Event):
    poll_id: str
    item_id: str | None
    question: str
    kind: PollKind
    options: tuple[str, ...]
    max_choices: int
    secret: bool
    changeable: bool
    quorum: Quorum
    threshold: Threshold


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotCast(Event):
    poll_id: str
    participant_id: str
    choices: tuple[str, ...]
    channel: Channel
    cast_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class HandCountRecorded(Event):
    poll_id: str
    counts: tuple[int, ...]  # per option, in the poll's option order
    voters: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The declared result of a poll, with the numbers and the rule that decided it."""

    outcome: Outcome
    winner: str | None  # the option that passed (yes for yes/no/abstain), when any
    totals: tuple[int, ...]  # per option, all channels
    phone: tuple[int, ...]
    hands: tuple[int, ...]
    proxy: tuple[int, ...]
    voters: int
    votes_cast: int  # the base of the threshold: voters minus abstentions
    present: int
    quorum_required: int
    needed: int  # the smallest count that would have passed
    quorum: Quorum
    threshold: Threshold


@dataclass(frozen=True, slots=True, kw_only=True)
class PollClosed(Event):
    poll_id: str
    decision: Decision


@dataclass(frozen=True, slots=True, kw_only=True)
class PollCancelled(Event):
    poll_id: str
    reason: str


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


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        SessionCreated,
        SessionUpdated,
        SessionOpened,
        RatingOpened,
        SessionClosed,
        ParticipantJoined,
        ParticipantUpdated,
        ParticipantCheckedIn,
        ParticipantCheckedOut,
        WalkInCountSet,
        IssueRaised,
        IssueSupported,
        SupportWithdrawn,
        IssueAccepted,
        IssueRejected,
        IssuesMerged,
        IssueClassified,
        IssuesPrioritized,
        IssuePromoted,
        IssueResolved,
        AgendaItemAdded,
        ItemStarted,
        ItemPaused,
        ItemResumed,
        ItemCompleted,
        ItemSkipped,
        ItemDeferred,
        ItemExtended,
        HandRaised,
        HandLowered,
        FloorGranted,
        SpeakingEnded,
        OpinionRecorded,
        PollOpened,
        BallotCast,
        HandCountRecorded,
        PollClosed,
        PollCancelled,
        ActionItemAdded,
        ActionItemUpdated,
        ActionItemClaimed,
        FeedbackRecorded,
        DeliveryRatingOpened,
        DeliveryRated,
        SessionRated,
    )
}
"""Every event type by its stable name (the name is what the log stores)."""
