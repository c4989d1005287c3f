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

from facilitator.store import LiveOwner, SessionLive
from facilitator.store.backend import Database, is_postgres, open_event_store
from facilitator.store.live import lock_path
from tests.pg_fixtures import raw_sql, wait_for

ROOT = Path(__file__).resolve().parents[2]
STARTED = dt.datetime(2026, 12, 4, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HOLDER = """
import datetime as dt, sys
from facilitator.store import LiveOwner
from facilitator.store.backend import open_event_store
with open_event_store(sys.argv[1]) as store:
    owner = LiveOwner(4242, "laptop-2", dt.datetime.now().astimezone())
    with store.claim_live("s-1", owner) as claim:
        claim.announce(owner.serving("0.0.0.0", 8080, "http://192.168.1.5:8080"))
        print("held", flush=True)
        sys.stdin.read()  # hold until killed
"""


_HELD = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"


def owner(pid: int = 1) -> LiveOwner:
    return LiveOwner(pid, "laptop", STARTED)


def _left_behind(db: Database, session_id: str) -> bool:
    """Whether the claim's record is still there (a file, or a row)."""
    if is_postgres(db):
        return bool(raw_sql(db, "SELECT 1 FROM live_owners WHERE session_id = ?", (session_id,)))
    return lock_path(Path(db), session_id).exists()


def test_a_second_claim_is_refused_with_the_holder_and_its_address(db: Database) -> None:
    with open_event_store(db) as store, open_event_store(db) as other:
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
        assert not _left_behind(db, "s-1")  # a clean end leaves nothing
        with other.claim_live("s-1", owner(22)) as again:
            assert again.owner.pid == 22


def test_a_claim_ends_with_its_process_even_when_killed(db: Database) -> None:
    open_event_store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with open_event_store(db) as store:
            with pytest.raises(SessionLive) as refused:
                store.claim_live("s-1", owner()).__enter__()
            seen = refused.value.owner
            assert seen is not None and (seen.pid, seen.hostname) == (4242, "laptop-2")
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            assert _left_behind(db, "s-1")  # left behind, and harmless:
            if is_postgres(db):  # the server frees the lock once it sees the connection close
                wait_for(lambda: not raw_sql(db, _HELD))
            with store.claim_live("s-1", owner(33)) as claim:
                assert claim.owner.pid == 33
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_an_unreadable_record_still_refuses(db: Database) -> None:
    with (
        open_event_store(db) as store,
        open_event_store(db) as other,
        store.claim_live("s-1", owner()),
    ):
        if is_postgres(db):
            raw_sql(db, "UPDATE live_owners SET owner = 'not json'")
        else:
            lock_path(Path(db), "s-1").write_text("not json", encoding="utf-8")
        with pytest.raises(SessionLive) as refused:
            other.claim_live("s-1", owner(2)).__enter__()
    assert refused.value.owner is None
    assert "another process" in refused.value.message
