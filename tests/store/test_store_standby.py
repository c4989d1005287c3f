"""A standby's claim (``wait_live``): it waits while another process holds the session, takes it
the moment that process dies (SIGKILL included), and stops waiting when told to. ``live_owner``
names the holder without touching the lock. On both backends (SQLite's flock, PostgreSQL's
advisory lock)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitator.store import Database, LiveOwner, WaitStopped, open_event_store

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import datetime as dt, os, socket, sys
from facilitator.store import LiveOwner, open_event_store
with open_event_store(sys.argv[1]) as store:
    owner = LiveOwner(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone())
    wait = sys.argv[2] == "wait"
    claim_live = store.wait_live if wait else store.claim_live
    with claim_live("s-1", owner) as claim:
        claim.announce(owner.serving("0.0.0.0", 8080, "http://192.168.1.5:8080"))
        print("held", flush=True)
        sys.stdin.read()  # hold until killed or told to stop
"""


class CountingStop(threading.Event):
    """A stop event that counts the waiter's tries (it waits on it between two)."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.tries += 1
        return super().wait(timeout)


def until(check: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def me(pid: int = 7) -> LiveOwner:
    return LiveOwner(pid, "standby", dt.datetime(2026, 12, 4, 19, 30, tzinfo=dt.UTC))


@pytest.fixture
def holder(db: Database) -> Iterator[subprocess.Popen[bytes]]:
    """A process that claims session s-1 of ``db`` and holds it until killed."""
    open_event_store(db).close()
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "claim"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdout.readline() == b"held\n"
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_a_waiter_takes_the_session_when_its_holder_is_killed(
    db: Database, holder: subprocess.Popen[bytes]
) -> None:
    got: list[LiveOwner] = []
    stop = CountingStop()
    done = threading.Event()

    def standby() -> None:
        with (
            open_event_store(db) as store,
            store.wait_live("s-1", me(), stop=stop, poll=0.01) as claim,
        ):
            got.append(claim.owner)
            done.wait(20)

    waiter = threading.Thread(target=standby)
    waiter.start()
    try:
        until(lambda: stop.tries >= 5)  # it has tried, and been refused, several times
        assert got == []
        with open_event_store(db) as store:
            seen = store.live_owner("s-1")
            assert seen is not None and seen.pid == holder.pid
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        until(lambda: got != [])
        assert got == [me()]
        with open_event_store(db) as store:
            assert store.live_owner("s-1") == me()  # the record the waiter wrote
    finally:
        done.set()
        stop.set()
        waiter.join(timeout=10)


def test_a_waiting_process_takes_over_from_a_killed_one(
    db: Database, holder: subprocess.Popen[bytes]
) -> None:
    """Both sides real processes: the standby's own ``held`` comes only after the kill."""
    standby = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "wait"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        with open_event_store(db) as store:
            assert store.live_owner("s-1") is not None
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            assert standby.stdout is not None and standby.stdout.readline() == b"held\n"
            now = store.live_owner("s-1")
            assert now is not None and now.pid == standby.pid
            standby.kill()
            standby.wait(timeout=10)
            until(lambda: store.live_owner("s-1") is None)  # a dead holder holds nothing
    finally:
        if standby.poll() is None:
            standby.kill()
            standby.wait()


def test_a_free_session_is_taken_at_once_and_released_on_exit(db: Database) -> None:
    with open_event_store(db) as store, open_event_store(db) as other:
        assert store.live_owner("s-1") is None
        with store.wait_live("s-1", me(os.getpid()), stop=threading.Event()) as claim:
            assert claim.owner == me(os.getpid())
            assert other.live_owner("s-1") == me(os.getpid())
        assert other.live_owner("s-1") is None
        with other.claim_live("s-1", me(9)):
            pass


def test_stop_ends_the_wait_without_taking_the_session(
    db: Database, holder: subprocess.Popen[bytes]
) -> None:
    stop = CountingStop()
    outcome: list[BaseException] = []

    def standby() -> None:
        with open_event_store(db) as store:
            try:
                with store.wait_live("s-1", me(), stop=stop, poll=0.05):
                    pass
            except WaitStopped as stopped:
                outcome.append(stopped)

    waiter = threading.Thread(target=standby)
    waiter.start()
    until(lambda: stop.tries >= 2)
    stop.set()
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], WaitStopped)
    assert outcome[0].session_id == "s-1"
    with open_event_store(db) as store:
        seen = store.live_owner("s-1")
        assert seen is not None and seen.pid == holder.pid  # untouched
