"""Helpers for driving the engine in tests: a fixed clock, a ready-made session, and assertions
that record which commands ran and which error codes were seen (for the coverage meta-tests).

This module has a unique name (not ``conftest``) so that test modules can import its types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import pytest

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.engine import SessionEngine, decide, fold
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import SessionState

TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai
T0 = dt.datetime(2026, 3, 14, 19, 30, tzinfo=TZ)

Events = tuple[e.Event, ...]
C = TypeVar("C", bound=c.Command)

REJECTED: set[ErrorCode] = set()
"""Every error code a test has seen through :meth:`Harness.reject`."""
ACCEPTED: set[type[c.Command]] = set()
"""Every command type a test has run successfully through :meth:`Harness.run`."""


class Clock:
    """A fixed, timezone-aware clock that moves only when a test says so."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def advance(self, minutes: float = 0, seconds: float = 0) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes, seconds=seconds)
        return self.now


class Harness:
    """One engine, one clock, and the log of every event it emitted."""

    def __init__(self, clock: Clock | None = None, engine: SessionEngine | None = None) -> None:
        self.clock = clock or Clock()
        self.engine = engine or SessionEngine()
        self.log: list[e.Event] = []

    @property
    def now(self) -> dt.datetime:
        return self.clock.now

    @property
    def state(self) -> SessionState:
        return self.engine.state

    def advance(self, minutes: float = 0, seconds: float = 0) -> dt.datetime:
        return self.clock.advance(minutes, seconds)

    def cmd(self, cls: type[C], **fields: Any) -> C:
        """A command stamped with the clock's time."""
        return cls(at=self.clock.now, **fields)

    def run(self, cls: type[c.Command], **fields: Any) -> Events:
        """Run a command that must be accepted; returns its events."""
        events = self.engine.handle(self.cmd(cls, **fields))
        self.log.extend(events)
        ACCEPTED.add(cls)
        return events

    def one(self, cls: type[c.Command], **fields: Any) -> e.Event:
        """Run a command that must emit exactly one event, and return it."""
        events = self.run(cls, **fields)
        assert len(events) == 1, events
        return events[0]

    def reject(self, code: ErrorCode, cls: type[c.Command], **fields: Any) -> SessionError:
        """Run a command that must be refused with ``code`` and leave the state untouched."""
        command = self.cmd(cls, **fields)
        before = self.engine.state if self.engine.created else None
        version = before.version if before is not None else None
        with pytest.raises(SessionError) as caught:
            self.engine.handle(command)
        assert caught.value.code is code, caught.value
        assert "{" not in caught.value.message  # every placeholder was filled
        after = self.engine.state if self.engine.created else None
        assert after is before
        assert after == before
        assert (after.version if after is not None else None) == version
        # The pure function refuses it the same way.
        with pytest.raises(SessionError) as again:
            decide(before, command)
        assert again.value.code is code
        REJECTED.add(code)
        return caught.value

    def replayed(self) -> SessionState | None:
        return fold(self.log)

    # --- shortcuts ----------------------------------------------------------------------------

    def join(self, pid: str, name: str | None = None, **fields: Any) -> Events:
        return self.run(
            c.JoinSession,
            participant_id=pid,
            device_key=f"dev-{pid}",
            display_name=name or f"居民{pid}",
            **fields,
        )

    def roster(self, pid: str, name: str | None = None, **fields: Any) -> Events:
        return self.run(
            c.AddRosterEntry, participant_id=pid, display_name=name or f"代表{pid}", **fields
        )

    def poll(self, poll_id: str = "v1", **fields: Any) -> Events:
        fields.setdefault("question", "同意嗎？")
        return self.run(c.OpenPoll, poll_id=poll_id, **fields)

    def vote(self, pid: str, *choices: str, poll_id: str = "v1") -> Events:
        return self.run(c.CastBallot, poll_id=poll_id, participant_id=pid, choices=choices)

    def hands(self, poll_id: str = "v1", voters: int | None = None, **counts: int) -> Events:
        return self.run(
            c.RecordHandCount, poll_id=poll_id, counts=tuple(counts.items()), voters=voters
        )

    def close_poll(self, poll_id: str = "v1") -> e.Decision:
        closed = self.one(c.ClosePoll, poll_id=poll_id)
        assert isinstance(closed, e.PollClosed)
        return closed.decision


def item_specs(titles: Sequence[str], minutes: int = 10) -> tuple[AgendaItemSpec, ...]:
    return tuple(AgendaItemSpec(title=t, time_box_s=minutes * 60) for t in titles)


def make_session(
    *,
    phones: int = 0,
    walk_ins: int = 0,
    items: Sequence[str] = ("主題說明", "居民意見", "表態"),
    roster: int = 0,
    opened: bool = True,
    start_first: bool = False,
    kind: SessionKind = SessionKind.SQUARE_TALK,
    follow_ups: Iterable[c.FollowUpSpec] = (),
    clock: Clock | None = None,
    **create: Any,
) -> Harness:
    """A created session with ``phones`` checked-in phone participants ``p1..pN``, ``roster``
    roster entries ``r1..rN`` (not checked in), items ``a1..aN`` and a walk-in head count."""
    h = Harness(clock)
    h.run(
        c.CreateSession,
        session_id="s1",
        kind=kind,
        title="加裝電梯意見徵集",
        join_code="HPL001",
        numeric_code="123456",
        place="和平里社區廣場",
        moderator="小李",
        items=item_specs(items),
        item_ids=tuple(f"a{n}" for n in range(1, len(items) + 1)),
        follow_ups=tuple(follow_ups),
        **create,
    )
    if opened:
        h.run(c.OpenSession)
    for n in range(1, phones + 1):
        h.join(f"p{n}", building=f"{(n - 1) % 5 + 1}號樓")
    for n in range(1, roster + 1):
        h.roster(f"r{n}")
    if walk_ins:
        h.run(c.SetWalkInCount, count=walk_ins)
    if start_first and items:
        h.run(c.StartItem, item_id="a1")
    return h
