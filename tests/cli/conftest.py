"""The command-line tests use a real SQLite file holding the three sessions at 和平里 and the
議事亭 at 金苑 (from the minutes' and the ledger's test kits)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.store import EventStore
from facilitator.store.ledger_log import LedgerLog
from tests.ledger.ledger_kit import three_sessions
from tests.minutes.pavilion_kit import pavilion
from tests.pg_fixtures import pg_cluster

__all__ = ["pg_cluster"]


@pytest.fixture(autouse=True)
def _locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands speak the locale's language: every test starts from a locale that names none
    (so the default, Traditional Chinese), whatever the machine running the tests uses."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def _seeded(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    logs, updates, _ = three_sessions()
    with EventStore.open(path) as store:
        for log in [*logs, pavilion().log]:
            store.append(log[0].session_id, log)  # type: ignore[attr-defined]
        with LedgerLog.for_store(store) as ledger_log:
            for update in updates:
                ledger_log.append(update)
    conn = sqlite3.connect(path)  # fold the write-ahead log into the file before copying it
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


@pytest.fixture
def db(tmp_path: Path, _seeded: bytes) -> Path:
    """A fresh copy of the seeded database for each test."""
    path = tmp_path / "facilitator.db"
    path.write_bytes(_seeded)
    return path
