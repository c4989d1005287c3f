"""One process per session: a second ``serve`` or ``run`` on a session already live (same
database, any port) is refused at once, naming the first process and how to reach it, and writes
nothing; after the first is killed with SIGKILL a new one starts with no cleanup."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from facilitator.store import Database, is_postgres, open_event_store
from tests.cli.cli_kit import Serve, facilitator, free_port, write_agenda
from tests.pg_fixtures import raw_sql, wait_for

pytestmark = pytest.mark.e2e  # runs facilitator as a separate process
_HELD = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"


@pytest.fixture(params=["sqlite", "postgresql"])
def live_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh database of each backend: a file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "f.db"
    return str(request.getfixturevalue("pg_cluster").new_database())


def _log_size(db: Database) -> tuple[int, list[int]]:
    with open_event_store(db) as store:
        sessions = store.sessions()
        return len(sessions), [store.last_seq(s.session_id) for s in sessions]


def test_a_second_process_on_a_live_session_is_refused_naming_the_first(
    tmp_path: Path, live_db: Database
) -> None:
    agenda, db = write_agenda(tmp_path), live_db
    port = free_port()
    first = Serve(tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", port)
    try:
        ready = first.wait_ready()
        before = _log_size(db)
        with open_event_store(db) as store:
            numeric = store.get_session(ready["session_id"]).numeric_code
        for second in (
            ["serve", agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port()],
            ["run", agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port()],
            ["run", "--resume", numeric, "--db", db, "--port", free_port(), "--lang", "en"],
        ):
            done = facilitator(*second)
            assert done.returncode == 2, done.stderr
            assert f"{ready['pid']}" in done.stderr
            assert f"127.0.0.1:{port}" in done.stderr
            assert f"http://127.0.0.1:{port}" in done.stderr  # how to reach it
            assert _log_size(db) == before  # the second wrote nothing
        assert "is already running, so it was not opened again" in done.stderr  # --lang en
        assert first.process.poll() is None  # the first carries on
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        if is_postgres(db):  # the server frees the lock once it sees the connection close
            wait_for(lambda: not raw_sql(db, _HELD))
        again = Serve(tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port())
        try:
            assert again.wait_ready()["session_id"] == ready["session_id"]  # no manual cleanup
        finally:
            again.process.send_signal(signal.SIGTERM)
            assert again.process.wait(timeout=10) == 0
        assert list(tmp_path.glob("f.db.*.lock")) == []  # a clean stop removes its lock file
    finally:
        first.stop()
