"""Events of polls, and the Decision a closed poll records."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.events._base import Event
from facilitator.session.values import (
    Channel,
    Outcome,
    PollKind,
    Quorum,
    Threshold,
)


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
    hide_tally: bool = False  # phones and the projector see no running counts until it closes


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
    # Options level at the top that decided the outcome: yes and no for a yes/no vote that
    # fails by a tie, the leading options of a choice poll in which none is chosen.
    tied: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PollClosed(Event):
    poll_id: str
    decision: Decision


@dataclass(frozen=True, slots=True, kw_only=True)
class PollCancelled(Event):
    poll_id: str
    reason: str
