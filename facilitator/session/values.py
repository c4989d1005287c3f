"""Small value types shared by commands, events and state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """draft -> open -> closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class IssueSource(StrEnum):
    """How an issue reached the session; kept for the minutes."""

    PHONE = "phone"
    PAPER = "paper"
    VOICE = "voice"
    MODERATOR = "moderator"
    INTAKE = "intake"  # raised between evenings from a building's QR code (碼上議)


class IssueStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MERGED = "merged"
    PROMOTED = "promoted"
    RESOLVED = "resolved"


class Scope(StrEnum):
    """Who an issue concerns, which decides who can act on it."""

    HOUSEHOLD = "household"
    BUILDING = "building"
    COMMUNITY = "community"
    BEYOND = "beyond"  # needs the sub-district or a public utility


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


URGENCY_RANK = {Urgency.LOW: 0, Urgency.NORMAL: 1, Urgency.HIGH: 2, Urgency.URGENT: 3}


class QueueStatus(StrEnum):
    """Where a speaker-queue entry stands."""

    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    LOWERED = "lowered"


class PollStatus(StrEnum):
    """Where a poll stands: open for ballots, closed with a decision, or cancelled."""

    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ItemStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    DONE = "done"
    SKIPPED = "skipped"
    DEFERRED = "deferred"


class Stance(StrEnum):
    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


class PollKind(StrEnum):
    YES_NO_ABSTAIN = "yes_no_abstain"
    SINGLE = "single"
    MULTI = "multi"


class Channel(StrEnum):
    """How a vote reached the tally."""

    PHONE = "phone"
    HANDS = "hands"
    PROXY = "proxy"


class QuorumRule(StrEnum):
    NONE = "none"
    COUNT = "count"  # at least ``count`` people present
    ROSTER_FRACTION = "roster_fraction"  # at least num/den of the roster present
    # Of those present, as a square talk counts (its roster is simply who came): the people who
    # take part in the vote (abstentions included) must be more than half, or num/den, of them.
    PRESENT_MAJORITY = "present_majority"
    PRESENT_FRACTION = "present_fraction"


PRESENT_QUORUMS = frozenset({QuorumRule.PRESENT_MAJORITY, QuorumRule.PRESENT_FRACTION})
"""Quorum rules that count the voters against the people present (the others count the people
present against a number or the roster)."""


class ThresholdRule(StrEnum):
    SIMPLE_MAJORITY = "simple_majority"  # more than half of the votes cast (abstentions aside)
    MAJORITY_OF_PRESENT = "majority_of_present"  # more than half of the people present
    TWO_THIRDS = "two_thirds"  # at least two thirds of the votes cast
    FRACTION = "fraction"  # at least num/den of the votes cast
    PLURALITY = "plurality"  # the option with the most votes, if it leads alone (choosing a route)


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NO_QUORUM = "no_quorum"
    TIE = "tie"  # a choice poll whose leading options are level: none is chosen


YES, NO, ABSTAIN = "yes", "no", "abstain"
YES_NO_ABSTAIN_OPTIONS = (YES, NO, ABSTAIN)


@dataclass(frozen=True, slots=True)
class Quorum:
    """How many people must be present (checked in, plus walk-ins) for a vote to count."""

    rule: QuorumRule = QuorumRule.NONE
    count: int = 0
    num: int = 0
    den: int = 1


@dataclass(frozen=True, slots=True)
class Threshold:
    """What share of votes a proposal (or the leading option) needs to pass."""

    rule: ThresholdRule = ThresholdRule.SIMPLE_MAJORITY
    num: int = 1
    den: int = 2
