"""The hub: the one door for commands, with authorization, retries and group commit."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind
from facilitator.hub import Hub, HubError
from facilitator.services import session_command
from facilitator.session import SessionError, SessionState
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR, Actor, Role
from facilitator.session.errors import ErrorCode
from facilitator.session.events import Event
from facilitator.session.values import IssueSource
from facilitator.store import EventStore

T0 = dt.datetime(2026, 11, 22, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
AGENDA = Agenda(
    title="加裝電梯", kind=SessionKind.SQUARE_TALK, items=(AgendaItemSpec("意見", 900),)
)


def phone(pid: str) -> Actor:
    return Actor(Role.PARTICIPANT, pid)


class Clock:
    """A clock that moves only when told, so times in the log are predictable."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore.open(tmp_path / "hub.db")


@pytest.fixture
def hub(store: EventStore) -> Hub:
    return Hub(store, clock=Clock())


async def opened(hub: Hub, phones: int = 3) -> str:
    state = hub.create(session_command(AGENDA, hub.store))
    sid = state.session_id
    await hub.dispatch(sid, c.OpenSession(at=T0), MODERATOR)
    for i in range(phones):
        join = c.JoinSession(
            at=T0, participant_id=f"p{i}", device_key=f"k{i}", display_name=f"r{i}"
        )
        await hub.dispatch(sid, join, Actor(Role.PARTICIPANT))
    await hub.dispatch(sid, c.AdvanceAgenda(at=T0), MODERATOR)
    return sid


async def test_events_are_durable_before_the_state_moves(hub: Hub, store: EventStore) -> None:
    sid = await opened(hub)
    outcome = await hub.dispatch(
        sid, c.OpenPoll(at=T0, poll_id="v1", question="同意嗎？"), MODERATOR
    )
    assert [type(e).__name__ for e in outcome.events] == ["PollOpened"]
    stored = [s.event for s in store.load(sid)]
    assert stored[-1] == outcome.events[-1]
    assert outcome.seq == len(stored)
    assert hub.state(sid).open_poll_id == "v1"


async def test_the_hub_stamps_its_own_time(hub: Hub) -> None:
    sid = await opened(hub)
    assert isinstance(hub.clock, Clock)
    hub.clock.now = T0 + dt.timedelta(minutes=5)
    far_past = T0 - dt.timedelta(days=400)
    outcome = await hub.dispatch(sid, c.SetWalkInCount(at=far_past, count=4), MODERATOR)
    assert outcome.events[0].at == T0 + dt.timedelta(minutes=5)


async def test_times_in_the_log_never_run_backwards(hub: Hub) -> None:
    sid = await opened(hub)
    assert isinstance(hub.clock, Clock)
    hub.clock.now = T0 + dt.timedelta(minutes=5)
    await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=1), MODERATOR)
    hub.clock.now = T0 + dt.timedelta(minutes=1)  # the wall clock was set back
    outcome = await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=2), MODERATOR)
    assert outcome.events[0].at == T0 + dt.timedelta(minutes=5)


async def test_a_phone_cannot_send_moderator_commands(hub: Hub) -> None:
    sid = await opened(hub)
    before = hub.state(sid)
    with pytest.raises(SessionError) as refused:
        await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), phone("p0"))
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert hub.state(sid) is before


async def test_a_phone_cannot_act_as_another_participant(hub: Hub) -> None:
    sid = await opened(hub)
    await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), MODERATOR)
    ballot = c.CastBallot(at=T0, poll_id="v1", participant_id="p1", choices=("no",))
    with pytest.raises(SessionError) as refused:
        await hub.dispatch(sid, ballot, phone("p0"))
    assert refused.value.code is ErrorCode.FORBIDDEN
    await hub.dispatch(sid, ballot, phone("p1"))
    assert hub.state(sid).polls["v1"].phone == (0, 1, 0)


async def test_a_phone_cannot_lower_another_phones_hand(hub: Hub) -> None:
    sid = await opened(hub)
    await hub.dispatch(sid, c.RaiseHand(at=T0, entry_id="q1", participant_id="p1"), phone("p1"))
    with pytest.raises(SessionError) as refused:
        await hub.dispatch(sid, c.LowerHand(at=T0, entry_id="q1"), phone("p0"))
    assert refused.value.code is ErrorCode.FORBIDDEN
    await hub.dispatch(sid, c.LowerHand(at=T0, entry_id="q1"), phone("p1"))


async def test_a_display_sends_nothing(hub: Hub) -> None:
    sid = await opened(hub)
    with pytest.raises(SessionError):
        await hub.dispatch(sid, c.CheckIn(at=T0, participant_id="p0"), Actor(Role.DISPLAY))


async def test_a_retried_request_is_answered_not_applied_twice(hub: Hub, store: EventStore) -> None:
    sid = await opened(hub)
    raise_issue = c.RaiseIssue(
        at=T0, issue_id="i1", text="路燈壞了", source=IssueSource.PHONE, participant_id="p0"
    )
    first = await hub.dispatch(sid, raise_issue, phone("p0"), request_id="r-1")
    retry = c.RaiseIssue(
        at=T0, issue_id="i2", text="路燈壞了", source=IssueSource.PHONE, participant_id="p0"
    )
    again = await hub.dispatch(sid, retry, phone("p0"), request_id="r-1")
    assert again.replayed and again.seq == first.seq
    assert len(hub.state(sid).issues) == 1
    # the same request id from another phone is another request
    other = c.RaiseIssue(
        at=T0, issue_id="i3", text="充電", source=IssueSource.PHONE, participant_id="p1"
    )
    await hub.dispatch(sid, other, phone("p1"), request_id="r-1")
    assert len(hub.state(sid).issues) == 2


async def test_request_ids_survive_a_restart(store: EventStore, tmp_path: Path) -> None:
    hub = Hub(store, clock=Clock())
    sid = await opened(hub)
    support = c.RaiseIssue(
        at=T0, issue_id="i1", text="路燈", source=IssueSource.PHONE, participant_id="p0"
    )
    await hub.dispatch(sid, support, phone("p0"), request_id="r-9")
    hub.close()
    store.close()
    reopened = EventStore.open(tmp_path / "hub.db")
    restarted = Hub(reopened, clock=Clock())
    restarted.load(sid)
    retry = c.RaiseIssue(
        at=T0, issue_id="i9", text="路燈", source=IssueSource.PHONE, participant_id="p0"
    )
    outcome = await restarted.dispatch(sid, retry, phone("p0"), request_id="r-9")
    assert outcome.replayed
    assert list(restarted.state(sid).issues) == ["i1"]


async def test_twin_requests_in_flight_are_applied_once(hub: Hub) -> None:
    sid = await opened(hub)
    commands = [
        c.RaiseIssue(
            at=T0,
            issue_id=f"i{n}",
            text="同一件事",
            source=IssueSource.PHONE,
            participant_id="p0",
        )
        for n in range(3)
    ]
    results = await asyncio.gather(
        *(hub.dispatch(sid, cmd, phone("p0"), request_id="same") for cmd in commands)
    )
    assert len(hub.state(sid).issues) == 1
    assert sum(not r.replayed for r in results) == 1


async def test_concurrent_commands_share_one_transaction(
    hub: Hub, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await opened(hub, phones=200)
    await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), MODERATOR)
    batches: list[int] = []
    original = store.append_batch

    def counting(batch: list[tuple[str, tuple[Event, ...], str | None, str]]) -> list[int]:
        batches.append(len(batch))
        return original(batch)

    monkeypatch.setattr(store, "append_batch", counting)
    ballots = [
        hub.dispatch(
            sid,
            c.CastBallot(at=T0, poll_id="v1", participant_id=f"p{i}", choices=("yes",)),
            phone(f"p{i}"),
        )
        for i in range(200)
    ]
    await asyncio.gather(*ballots)
    assert sum(batches) == 200
    assert len(batches) < 20  # group commit: far fewer fsyncs than ballots
    assert hub.state(sid).polls["v1"].phone == (200, 0, 0)


async def test_rejections_in_a_batch_do_not_stop_the_others(hub: Hub) -> None:
    sid = await opened(hub)
    await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), MODERATOR)
    good = c.CastBallot(at=T0, poll_id="v1", participant_id="p0", choices=("yes",))
    bad = c.CastBallot(at=T0, poll_id="v1", participant_id="p1", choices=("maybe",))
    results = await asyncio.gather(
        hub.dispatch(sid, good, phone("p0")),
        hub.dispatch(sid, bad, phone("p1")),
        return_exceptions=True,
    )
    assert not isinstance(results[0], BaseException)
    assert isinstance(results[1], SessionError) and results[1].code is ErrorCode.INVALID_CHOICE
    assert hub.state(sid).polls["v1"].phone == (1, 0, 0)


async def test_a_failed_write_acknowledges_nothing(hub: Hub, store: EventStore) -> None:
    sid = await opened(hub)
    before = hub.state(sid)
    seen: list[SessionState] = []
    hub.subscribe(sid, lambda state, events: seen.append(state))
    store._conn.execute("PRAGMA query_only = ON")  # the file became read-only under us
    with pytest.raises(HubError) as failed:
        await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=5), MODERATOR)
    assert failed.value.code == "storage_error"
    assert "read-only" in failed.value.message
    assert hub.storage_error is not None
    assert hub.state(sid) is before and not seen
    store._conn.execute("PRAGMA query_only = OFF")  # the moderator fixed it: writes work again
    await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=5), MODERATOR)
    assert hub.state(sid).walk_ins == 5 and hub.storage_error is None


async def test_listeners_hear_each_durable_change_once(hub: Hub) -> None:
    sid = await opened(hub)
    heard: list[tuple[int, int]] = []
    unsubscribe = hub.subscribe(
        sid, lambda state, events: heard.append((state.version, len(events)))
    )
    await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=3), MODERATOR)
    await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=3), MODERATOR)  # a no-op: no news
    unsubscribe()
    await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=4), MODERATOR)
    assert heard == [(hub.state(sid).version - 1, 1)]


async def test_a_broken_listener_does_not_stop_the_meeting(hub: Hub) -> None:
    sid = await opened(hub)

    def broken(state: SessionState, events: tuple[Event, ...]) -> None:
        raise RuntimeError("view crashed")

    hub.subscribe(sid, broken)
    outcome = await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=2), MODERATOR)
    assert outcome.state.walk_ins == 2


async def test_reload_replays_to_the_live_state(hub: Hub, store: EventStore) -> None:
    sid = await opened(hub)
    await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), MODERATOR)
    await hub.dispatch(
        sid, c.CastBallot(at=T0, poll_id="v1", participant_id="p2", choices=("no",)), phone("p2")
    )
    fresh = Hub(store, clock=Clock())
    assert fresh.load(sid) == hub.state(sid)


async def test_unknown_session_is_a_clear_error(hub: Hub) -> None:
    with pytest.raises(HubError) as missing:
        await hub.dispatch("nope", c.OpenSession(at=T0), MODERATOR)
    assert missing.value.code == "unknown_session"


def test_new_sessions_get_distinct_codes(store: EventStore) -> None:
    hub = Hub(store, clock=Clock())
    codes = set()
    for _ in range(20):
        state = hub.create(session_command(AGENDA, store))
        codes.add(state.join_code)
        assert len(state.join_code) == 6 and state.numeric_code.isdigit()
    assert len(codes) == 20
    assert isinstance(store._conn, sqlite3.Connection)
