"""A sync killed mid-way (SIGKILL of a real process) and run again: everything arrives, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.store.backend import Database, open_event_store
from tests.cli.cli_kit import ENV, ROOT, facilitator, wait_for
from tests.pg_fixtures import raw_sql
from tests.sync.sync_kit import contents, evening

pytestmark = [pytest.mark.slow, pytest.mark.e2e]  # a real sync process, killed and run again
EXTRA = 400


def _sessions_at(db: Database) -> int:
    try:
        count = raw_sql(db, "SELECT count(*) FROM sessions")[0][0]
    except Exception:  # not created yet, or busy: ask again
        return 0
    assert isinstance(count, int)
    return count


def test_a_killed_sync_completes_on_the_next_run_exactly_once(tmp_path: Path, db: Database) -> None:
    laptop, district = tmp_path / "laptop.db", db
    evening(laptop, sessions=EXTRA)
    open_event_store(district).close()
    total = 3 + EXTRA
    argv = [sys.executable, "-m", "facilitator", "sync", str(laptop), "--to", str(district)]
    process = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: _sessions_at(district) >= 20 or process.poll() is not None)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    half = contents(district)  # opened for writing: SQLite recovers a commit the kill cut short
    arrived = len(half.sessions)
    assert 20 <= arrived < total, "the sync was not killed mid-way"
    sent = contents(laptop)
    for sid, stream in half.sessions.items():  # a session is there whole or not at all
        assert stream == sent.sessions[sid]

    again = facilitator("sync", laptop, "--to", district, "--lang", "en")
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert sum(": nothing new (" in line for line in lines) == arrived
    assert sum("(new at the district)" in line for line in lines) == total - arrived
    assert contents(district) == sent  # complete, and nothing twice

    third = facilitator("sync", laptop, "--to", district, "--lang", "en")
    assert third.returncode == 0
    assert all(": nothing new (" in line for line in third.stdout.splitlines())
