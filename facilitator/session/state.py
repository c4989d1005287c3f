"""The session's state: immutable records, changed only by folding events.

Keyed collections are ``immutables.Map`` (a hash array mapped trie): adding one ballot to a poll
of 10,000 shares all the rest, so the cost of a vote does not grow with the size of the room and
every snapshot handed to the console or the server stays valid and unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from immutables import Map

from facilitator.agenda.model import SessionKind
from facilitator.session.events import Decision
from facilitator.session.values import (
    YES_NO_ABSTAIN_OPTIONS,
    Channel,
    IssueSource,
    IssueStatus,
    ItemStatus,
    Phase,
    PollKind,
    PollStatus,
    QueueStatus,
    Quorum,
    Scope,
    Stance,
    Threshold,
    Urgency,
)

_Record = TypeVar("_Record")
_FIELD_NAMES: dict[type, frozenset[str]] = {}
_COPIERS: dict[type, Callable[[Any], Any]] = {}


def _copier(cls: type) -> Callable[[Any], Any]:
    """A function copying every field of a ``cls`` record, written out field by field.

    Generated once per class: ``object.__setattr__(copy, "name", record.name)`` for each field,
    with no loop, no ``getattr`` by name and no test per field (twice as fast as a loop over the
    names for the session record's 41 fields). Field names are identifiers, so the code is sound.
    """
    names = [f.name for f in fields(cls)]
    if not all(name.isidentifier() for name in names):  # never for a dataclass; said, not assumed
        raise TypeError(f"{cls.__name__}: a field name is not an identifier")
    lines = ["def copy(record):", "    new = _new(_cls)"]
    lines += [f"    _set(new, {name!r}, record.{name})" for name in names]
    lines += ["    return new"]
    scope: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    exec("\n".join(lines), scope)  # our own field names, checked above
    _FIELD_NAMES[cls] = frozenset(names)
    copier: Callable[[Any], Any] = scope["copy"]
    _COPIERS[cls] = copier
    return copier


def evolve(record: _Record, /, **changes: Any) -> _Record:
    """A copy of a frozen record with some fields changed, like ``dataclasses.replace``.

    Folding an event replaces the session record and one inner record; ``dataclasses.replace``
    re-inspects every field on each call and was most of the replay time (40 µs an event), so
    this copies the slots with a function generated once per class (:func:`_copier`) and then
    sets the changed ones. The records have no ``__post_init__``, so nothing is skipped by not
    calling ``__init__``.
    """
    cls = type(record)
    copier = _COPIERS.get(cls) or _copier(cls)
    if not changes.keys() <= _FIELD_NAMES[cls]:
        raise TypeError(f"{cls.__name__} has no field {sorted(set(changes) - _FIELD_NAMES[cls])}")
    copy = copier(record)
    for name, value in changes.items():
        object.__setattr__(copy, name, value)
    return copy  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Participant:
    participant_id: str
    number: int
    display_name: str
    category: str
    building: str
    unit: str
    has_device: bool
    checked_in: bool
    joined_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Issue:
    issue_id: str
    number: int
    text: str
    source: IssueSource
    participant_id: str | None
    on_behalf_of: str
    building: str
    item_id: str | None
    raised_at: dt.datetime
    status: IssueStatus = IssueStatus.NEW
    supporters: Map[str, dt.datetime] = field(default_factory=Map)
    category: str = ""
    scope: Scope | None = None
    urgency: Urgency = Urgency.NORMAL
    merged_into: str | None = None
    merged_from: tuple[str, ...] = ()
    reject_reason: str = ""
    resolution: str = ""
    promoted_item_id: str | None = None
    intake_ref: str = ""  # "<place id>#<n>": raised between evenings (碼上議)
    home_supporters: tuple[str, ...] = ()  # device keys of its supporters from home

    @property
    def support_count(self) -> int:
        """Supporters tonight and from home; a phone among both is never counted twice."""
        return len(self.supporters) + len(self.home_supporters)

    @property
    def is_open(self) -> bool:
        """Still on the board: not rejected, merged away or settled."""
        return self.status in (IssueStatus.NEW, IssueStatus.ACCEPTED, IssueStatus.PROMOTED)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    item_id: str
    number: int
    title: str
    time_box_s: int | None
    description: str
    options: tuple[str, ...]
    status: ItemStatus = ItemStatus.PENDING
    issue_id: str | None = None
    started_at: dt.datetime | None = None  # start of the running stretch, None when not running
    first_started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    elapsed_before_s: float = 0.0  # time spent in earlier stretches (before a pause)

    def elapsed_s(self, now: dt.datetime) -> float:
        """Seconds spent on this item, counting the running stretch up to ``now``."""
        running = (now - self.started_at).total_seconds() if self.started_at else 0.0
        return self.elapsed_before_s + max(running, 0.0)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    entry_id: str
    item_id: str | None
    participant_id: str | None
    name: str
    raised_at: dt.datetime
    status: QueueStatus = QueueStatus.WAITING
    started_at: dt.datetime | None = None
    duration_s: float = 0.0

    @property
    def speaker_key(self) -> str:
        """Who this is, for counting turns: the participant, or the typed name."""
        return f"p:{self.participant_id}" if self.participant_id else f"n:{self.name}"


@dataclass(frozen=True, slots=True)
class Opinion:
    opinion_id: str
    item_id: str | None
    stance: Stance
    text: str
    speaker: str
    participant_id: str | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Ballot:
    choices: tuple[str, ...]
    channel: Channel
    cast_by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Poll:
    poll_id: str
    number: int
    item_id: str | None
    question: str
    kind: PollKind
    options: tuple[str, ...]
    max_choices: int
    secret: bool
    changeable: bool
    quorum: Quorum
    threshold: Threshold
    opened_at: dt.datetime
    hide_tally: bool = False  # counts withheld from phones and the projector until it closes
    status: PollStatus = PollStatus.OPEN
    ballots: Map[str, Ballot] = field(default_factory=Map)
    phone: tuple[int, ...] = ()
    proxy: tuple[int, ...] = ()
    hands: tuple[int, ...] = ()
    phone_voters: int = 0
    proxy_voters: int = 0
    hand_voters: int = 0
    decision: Decision | None = None
    closed_at: dt.datetime | None = None
    cancel_reason: str = ""

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(a + b + c for a, b, c in zip(self.phone, self.hands, self.proxy, strict=True))

    @property
    def voters(self) -> int:
        return self.phone_voters + self.proxy_voters + self.hand_voters


def options_for(kind: PollKind, options: tuple[str, ...]) -> tuple[str, ...]:
    """The option keys of a poll: yes/no/abstain, or the given options."""
    return YES_NO_ABSTAIN_OPTIONS if kind is PollKind.YES_NO_ABSTAIN else options


@dataclass(frozen=True, slots=True)
class ActionItem:
    action_id: str
    number: int
    title: str
    measures: str
    owner: str
    owner_participant_id: str | None
    deadline: dt.date | None
    issue_id: str | None
    poll_id: str | None
    item_id: str | None
    created_at: dt.datetime
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    at: dt.datetime
    text: str
    by: str
    status: str | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """An earlier session's action item under review in this session."""

    ref: str
    number: int
    title: str
    owner: str
    deadline: dt.date | None
    status: str
    overdue: bool
    origin: str
    feedback: tuple[Feedback, ...] = ()
    rating_open: bool = False
    ratings: Map[str, int] = field(default_factory=Map)
    home_ratings: tuple[int, ...] = ()  # given between sessions, before this one


@dataclass(frozen=True, slots=True)
class SessionRating:
    stars: int
    comment: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class SessionState:
    session_id: str
    kind: SessionKind
    title: str
    place: str
    moderator: str
    recorder: str
    date: dt.date | None
    lang: str
    join_code: str
    numeric_code: str
    anonymous: bool
    speaking_time_s: int
    max_turns_per_item: int
    created_at: dt.datetime
    quorum: Quorum = Quorum()  # the agenda's quorum: polls use it unless they name their own
    categories: tuple[str, ...] = ()  # the place's categories of people, in the place's order
    phase: Phase = Phase.DRAFT
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    rating_open: bool = False
    participants: Map[str, Participant] = field(default_factory=Map)
    devices: Map[str, str] = field(default_factory=Map)  # device key -> participant id
    invites: Map[str, str] = field(default_factory=Map)  # invitation key -> roster entry's id
    joined_total: int = 0  # participants ever added (numbers are never reused)
    checked_in: int = 0
    walk_ins: int = 0
    issues: Map[str, Issue] = field(default_factory=Map)
    priority: tuple[str, ...] = ()
    items: Map[str, AgendaItem] = field(default_factory=Map)
    item_order: tuple[str, ...] = ()
    current_item_id: str | None = None
    queue: tuple[QueueEntry, ...] = ()
    speaker_entry_id: str | None = None
    opinions: tuple[Opinion, ...] = ()
    polls: Map[str, Poll] = field(default_factory=Map)
    poll_order: tuple[str, ...] = ()
    open_poll_id: str | None = None
    actions: Map[str, ActionItem] = field(default_factory=Map)
    follow_ups: Map[str, FollowUp] = field(default_factory=Map)
    ratings: Map[str, SessionRating] = field(default_factory=Map)
    version: int = 0  # how many events have been folded in

    @property
    def present(self) -> int:
        """People in the room: checked-in participants plus walk-ins counted by head."""
        return self.checked_in + self.walk_ins

    @property
    def current_item(self) -> AgendaItem | None:
        return self.items[self.current_item_id] if self.current_item_id else None

    @property
    def open_poll(self) -> Poll | None:
        return self.polls[self.open_poll_id] if self.open_poll_id else None

    @property
    def speaker(self) -> QueueEntry | None:
        if self.speaker_entry_id is None:
            return None
        return next(e for e in self.queue if e.entry_id == self.speaker_entry_id)
