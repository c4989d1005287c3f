"""One process per live session (store/live.py): a second claim is refused at once, naming the
holder; the claim ends with its process, even one killed with SIGKILL, with no cleanup needed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.store import EventStore, LiveOwner, SessionLive
from facilitator.store.live import lock_path

ROOT = Path(__file__).resolve().parents[2]
STARTED = dt.datetime(2026, 12, 4, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HOLDER = """
import datetime as dt, sys
from facilitator.store import EventStore, LiveOwner
with EventStore.open(sys.argv[1]) as store:
    owner = LiveOwner(4242, "laptop-2", dt.datetime.now().astimezone())
    with store.claim_live("s-1", owner) as claim:
        claim.announce(owner.serving("0.0.0.0", 8080, "http://192.168.1.5:8080"))
        print("held", flush=True)
        sys.stdin.read()  # hold until killed
"""


def owner(pid: int = 1) -> LiveOwner:
    return LiveOwner(pid, "laptop", STARTED)


def test_a_second_claim_is_refused_with_the_holder_and_its_address(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "f.db") as store, EventStore.open(tmp_path / "f.db") as other:
        with store.claim_live("s-1", owner(11)) as claim:
            with pytest.raises(SessionLive) as refused:
                other.claim_live("s-1", owner(22)).__enter__()
            assert refused.value.owner == owner(11)
            assert refused.value.code.value == "session_live"
            claim.announce(claim.owner.serving("0.0.0.0", 8080, "http://192.168.1.5:8080"))
            with pytest.raises(SessionLive) as refused:
                other.claim_live("s-1", owner(22)).__enter__()
            seen = refused.value.owner
            assert seen is not None and seen.address == "0.0.0.0:8080"
            assert seen.url == "http://192.168.1.5:8080" and seen.started == STARTED
            assert "process 11 on laptop, serving 0.0.0.0:8080" in refused.value.message
            with other.claim_live("s-2", owner(22)):  # another session of the file is free
                pass
        assert not lock_path(tmp_path / "f.db", "s-1").exists()  # a clean end leaves nothing
        with other.claim_live("s-1", owner(22)) as again:
            assert again.owner.pid == 22


def test_a_claim_ends_with_its_process_even_when_killed(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    EventStore.open(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with EventStore.open(db) as store:
            with pytest.raises(SessionLive) as refused:
                store.claim_live("s-1", owner()).__enter__()
            seen = refused.value.owner
            assert seen is not None and (seen.pid, seen.hostname) == (4242, "laptop-2")
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            assert lock_path(db, "s-1").exists()  # left behind, and harmless:
            with store.claim_live("s-1", owner(33)) as claim:
                assert claim.owner.pid == 33
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_an_unreadable_record_still_refuses(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    with (
        EventStore.open(db) as store,
        EventStore.open(db) as other,
        store.claim_live("s-1", owner()),
    ):
        lock_path(db, "s-1").write_text("not json", encoding="utf-8")
        with pytest.raises(SessionLive) as refused:
            other.claim_live("s-1", owner(2)).__enter__()
    assert refused.value.owner is None
    assert "another process" in refused.value.message
