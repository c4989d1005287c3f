"""The hub answers every caller: a batch settles in full whatever its callers do meanwhile.

A phone whose connection closes (or a ``wait_for`` that times out) cancels its caller while the
command waits in a batch. The commands queued beside it must still be decided, stored and answered,
and a retry of the cancelled request must be answered too, not left waiting for good.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from facilitator.hub import Hub, HubError, Outcome
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR, Actor, Role
from facilitator.session.errors import ErrorCode
from facilitator.session.values import IssueSource
from facilitator.store import EventStore
from tests.hub.test_hub import T0, Clock, opened

ANSWER_WITHIN = 10.0  # a hang fails the test rather than stalling the suite


def phone(pid: str) -> Actor:
    return Actor(Role.PARTICIPANT, pid)


def issue(issue_id: str, pid: str) -> c.RaiseIssue:
    return c.RaiseIssue(
        at=T0, issue_id=issue_id, text="路燈", source=IssueSource.PHONE, participant_id=pid
    )


class HeldWriter:
    """Keeps the hub's I/O worker busy, so the commands dispatched meanwhile form one batch."""

    def __init__(self, hub: Hub) -> None:
        self._release = threading.Event()
        self._hub = hub
        self._task: asyncio.Task[bool] | None = None

    async def __aenter__(self) -> HeldWriter:
        self._task = asyncio.ensure_future(self._hub.run_io(self._release.wait, ANSWER_WITHIN))
        return self

    async def __aexit__(self, *_: object) -> None:
        self._release.set()
        assert self._task is not None
        await self._task


async def queued(hub: Hub, sid: str, count: int) -> None:
    """Wait until ``count`` commands wait in the session's queue (the next batch)."""
    runtime = hub._sessions[sid]
    async with asyncio.timeout(ANSWER_WITHIN):
        while len(runtime.queue) < count:
            await asyncio.sleep(0)


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    return Hub(EventStore.open(tmp_path / "hub.db"), clock=Clock())


@pytest.mark.parametrize("cancelled_is_refused", [True, False], ids=["refused", "accepted"])
async def test_a_cancelled_caller_does_not_stop_its_batch(
    hub: Hub, cancelled_is_refused: bool
) -> None:
    sid = await opened(hub)
    await hub.dispatch(sid, issue("i0", "p0"), phone("p0"))
    # p1's command either repeats an existing issue id (refused) or raises a new one (accepted)
    cancelled_cmd = issue("i0" if cancelled_is_refused else "i1", "p1")
    refused_cmd = issue("i0", "p2")
    good_cmd = c.SetWalkInCount(at=T0, count=7)

    async with HeldWriter(hub):
        # a first command occupies the writer; the next three wait together for the next batch
        first = asyncio.ensure_future(hub.dispatch(sid, issue("i5", "p0"), phone("p0")))
        await until_writing(hub, sid)
        cancelled = asyncio.ensure_future(
            hub.dispatch(sid, cancelled_cmd, phone("p1"), request_id="r-c")
        )
        refused = asyncio.ensure_future(hub.dispatch(sid, refused_cmd, phone("p2")))
        good = asyncio.ensure_future(hub.dispatch(sid, good_cmd, MODERATOR, request_id="r-g"))
        await queued(hub, sid, 3)
        cancelled.cancel()  # the phone's connection closed while its command waited
        with pytest.raises(asyncio.CancelledError):
            await cancelled

    async with asyncio.timeout(ANSWER_WITHIN):
        await first
        outcome = await good
        with pytest.raises(SessionError) as refusal:
            await refused
    assert refusal.value.code is ErrorCode.DUPLICATE_ID
    assert isinstance(outcome, Outcome) and outcome.state.walk_ins == 7
    stored = [type(s.event).__name__ for s in hub.store.load(sid)]
    assert stored[-1] == "WalkInCountSet"
    assert hub.state(sid).walk_ins == 7

    async with asyncio.timeout(ANSWER_WITHIN):  # the phone reconnects and retries
        if cancelled_is_refused:
            with pytest.raises(SessionError) as again:
                await hub.dispatch(sid, cancelled_cmd, phone("p1"), request_id="r-c")
            assert again.value.code is ErrorCode.DUPLICATE_ID
        else:
            retry = await hub.dispatch(sid, issue("i9", "p1"), phone("p1"), request_id="r-c")
            assert retry.replayed
            assert "i1" in hub.state(sid).issues and "i9" not in hub.state(sid).issues
    assert not hub._sessions[sid].inflight


async def test_a_retry_waiting_on_a_cancelled_request_gets_its_answer(hub: Hub) -> None:
    sid = await opened(hub)
    async with HeldWriter(hub):
        first = asyncio.ensure_future(hub.dispatch(sid, issue("i5", "p0"), phone("p0")))
        await until_writing(hub, sid)
        original = asyncio.ensure_future(
            hub.dispatch(sid, issue("i1", "p1"), phone("p1"), request_id="r-1")
        )
        await queued(hub, sid, 1)
        retry = asyncio.ensure_future(
            hub.dispatch(sid, issue("i2", "p1"), phone("p1"), request_id="r-1")
        )
        await asyncio.sleep(0)  # the retry finds the original in flight and waits on it
        original.cancel()
        with pytest.raises(asyncio.CancelledError):
            await original
    async with asyncio.timeout(ANSWER_WITHIN):
        await first
        answer = await retry
    assert answer.replayed
    assert "i1" in hub.state(sid).issues and "i2" not in hub.state(sid).issues


async def test_a_writer_stopped_mid_write_answers_what_it_holds(hub: Hub) -> None:
    sid = await opened(hub)
    runtime = hub._sessions[sid]
    async with HeldWriter(hub):
        held = asyncio.ensure_future(
            hub.dispatch(sid, issue("i1", "p1"), phone("p1"), request_id="r-1")
        )
        await until_writing(hub, sid)
        waiting = asyncio.ensure_future(
            hub.dispatch(sid, c.SetWalkInCount(at=T0, count=3), MODERATOR)
        )
        await queued(hub, sid, 1)
        assert runtime.writer is not None
        runtime.writer.cancel()  # the loop is shutting down under the writer
        async with asyncio.timeout(ANSWER_WITHIN):
            results = await asyncio.gather(held, waiting, return_exceptions=True)
    assert all(isinstance(r, HubError) and r.code == "internal_error" for r in results), results
    assert not runtime.inflight and not runtime.queue


async def until_writing(hub: Hub, sid: str) -> None:
    """Wait until the session's writer has taken its queue (and is stuck on the held worker)."""
    runtime = hub._sessions[sid]
    async with asyncio.timeout(ANSWER_WITHIN):
        while runtime.queue or runtime.writer is None or runtime.writer.done():
            await asyncio.sleep(0)
