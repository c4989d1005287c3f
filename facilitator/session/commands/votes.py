"""Polls: opening, ballots by phone and proxy, hand counts, closing."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.commands._base import Command
from facilitator.session.values import (
    PollKind,
    Quorum,
    Threshold,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenPoll(Command):
    poll_id: str
    question: str
    kind: PollKind = PollKind.YES_NO_ABSTAIN
    options: tuple[str, ...] = ()  # ignored for yes/no/abstain
    max_choices: int = 1
    secret: bool = True
    changeable: bool = True
    quorum: Quorum | None = None  # None: the session's quorum (from the agenda)
    threshold: Threshold = Threshold()
    item_id: str | None = None  # None: the current item
    hide_tally: bool | None = None  # None: hidden for a secret ballot, shown for a named one


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
