"""What a typed command line asks for, before it meets the session's state.

The parser (:mod:`facilitator.tui.commandline`) turns text into one of these; the resolver
(:mod:`facilitator.tui.resolve`) turns it into engine commands once issue numbers, names and the
open poll are looked up in the latest snapshot. Keeping the two apart lets the grammar be tested
as a pure function of a string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.header import parse_quorum as read_quorum
from facilitator.session.values import PollKind, Quorum, QuorumRule, Stance, Threshold, Urgency


@dataclass(frozen=True, slots=True)
class Intent:
    """Base of everything the command line can ask for."""


@dataclass(frozen=True, slots=True)
class Simple(Intent):
    """A verb without arguments: open, next, pause, resume, done, close, rating, end."""

    verb: str


@dataclass(frozen=True, slots=True)
class Help(Intent):
    """The command reference: every verb, or only ``verb``."""

    verb: str = ""


@dataclass(frozen=True, slots=True)
class ItemAction(Intent):
    """start / skip / defer agenda item N."""

    verb: str
    number: int


@dataclass(frozen=True, slots=True)
class Extend(Intent):
    minutes: int


@dataclass(frozen=True, slots=True)
class WalkIns(Intent):
    count: int


@dataclass(frozen=True, slots=True)
class Roster(Intent):
    """Add a person without a phone to the roster, checked in."""

    name: str
    category: str = ""


@dataclass(frozen=True, slots=True)
class Invite(Intent):
    """Print personal invitation cards: for the roster entry ``name``, or every entry without a
    phone yet."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class Link(Intent):
    """The phone that joined as ``phone`` is the roster entry ``roster`` (the same name when
    she typed her own)."""

    phone: str
    roster: str


@dataclass(frozen=True, slots=True)
class Revoke(Intent):
    """``name``'s phone is lost, stolen or shared: it is nobody from now on (``RevokeDevices``)."""

    name: str


@dataclass(frozen=True, slots=True)
class RaiseIssue(Intent):
    text: str
    on_behalf_of: str = ""


@dataclass(frozen=True, slots=True)
class IssueAction(Intent):
    """accept / reject / promote / resolve issue N, with an optional text (reason, note)."""

    verb: str
    number: int
    text: str = ""
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Merge(Intent):
    number: int
    into: int


@dataclass(frozen=True, slots=True)
class Classify(Intent):
    number: int
    urgency: Urgency | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Queue(Intent):
    """q+ NAME (join the queue) or q- NAME (leave it)."""

    name: str
    leave: bool = False


@dataclass(frozen=True, slots=True)
class Grant(Intent):
    name: str = ""  # empty: the first in the queue


@dataclass(frozen=True, slots=True)
class Opinion(Intent):
    stance: Stance
    text: str
    speaker: str = ""


@dataclass(frozen=True, slots=True)
class Vote(Intent):
    question: str
    kind: PollKind = PollKind.YES_NO_ABSTAIN
    options: tuple[str, ...] = ()
    max_choices: int = 1
    secret: bool = True
    quorum: Quorum | None = None  # None: the session's (the agenda's)
    threshold: Threshold = Threshold()
    hide_tally: bool | None = None  # None: hidden for a secret ballot, shown for a named one


@dataclass(frozen=True, slots=True)
class Hands(Intent):
    """Hand counts keyed as typed (yes/no/abstain, an option, or its number)."""

    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Proxy(Intent):
    name: str
    choices: tuple[str, ...]
    by: str = ""


@dataclass(frozen=True, slots=True)
class Cancel(Intent):
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Action(Intent):
    title: str
    owner: str = ""
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Assign(Intent):
    number: int
    owner: str = ""
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Show(Intent):
    """Switch the console's view: lobby, main or closing; ``help`` lists the grammar."""

    view: str


def parse_quorum(text: str) -> Quorum | None:
    """A quorum as the moderator types it, read like the agenda's ``quorum:`` line (``8``,
    ``2/3`` of the roster, ``過半數在場``, ``2/3 在場``, ``none``); None when unreadable."""
    spec = read_quorum(text)
    if spec is None:
        return None
    return Quorum(QuorumRule(spec.rule.value), count=spec.count, num=spec.num, den=spec.den)
