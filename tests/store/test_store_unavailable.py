"""When the disk or the file refuses a write: a clear StorageUnavailable, nothing half-written,
and a store that still reads (and writes again once the cause is gone)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.session import events as ev
from facilitator.store import EventStore, StorageUnavailable
from tests.store.store_samples import SAMPLES, SESSION

ISSUE = SAMPLES[10]
assert isinstance(ISSUE, ev.IssueRaised)
BIG = dataclasses.replace(ISSUE, text="路燈" * 3000)  # ~18 kB of UTF-8


@pytest.fixture
def store(db_path: Path) -> Iterator[EventStore]:
    """SQLite only: these tests reach into SQLite's own switches (test_store_pg_failures.py has
    PostgreSQL's)."""
    with EventStore.open(db_path) as opened:
        yield opened


def _assert_unchanged(store: EventStore, last: int) -> None:
    assert store.last_seq(SESSION) == last
    assert [row.seq for row in store.load(SESSION)] == list(range(1, last + 1))


def test_a_read_only_database_refuses_writes_and_keeps_nothing(store: EventStore) -> None:
    # Tests run as root, and root writes through chmod 0o444, so chmod proves nothing here.
    # query_only makes SQLite itself refuse every write with SQLITE_READONLY, the very error a
    # read-only file or a read-only remount gives, and it goes through the store's real write path.
    store.append(SESSION, SAMPLES[:3])
    store._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StorageUnavailable) as caught:
        store.append(SESSION, [BIG, SAMPLES[11]], request_id="r9")
    assert caught.value.message == "cannot save the change: the database file is read-only"
    assert caught.value.code == "storage_unavailable"
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    _assert_unchanged(store, 3)
    assert store.recent_request_ids(SESSION) == []
    store._conn.execute("PRAGMA query_only = OFF")
    assert store.append(SESSION, [SAMPLES[11]]) == 4


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a chmod 0o444 file anyway")
def test_a_read_only_file(db_path: Path) -> None:
    with EventStore.open(db_path) as store:
        store.append(SESSION, SAMPLES[:3])
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)  # nor may SQLite create its -wal and -shm files beside it
    try:
        with (
            pytest.raises(StorageUnavailable, match=r"read-only|cannot be opened"),
            EventStore.open(db_path) as store,
        ):
            store.append(SESSION, [SAMPLES[11]])
    finally:
        db_path.parent.chmod(0o755)
        db_path.chmod(0o644)
    with EventStore.open(db_path) as store:
        _assert_unchanged(store, 3)


def test_a_full_disk_rolls_back_the_whole_batch(store: EventStore) -> None:
    # max_page_count caps the file the way a full disk does: SQLite answers SQLITE_FULL
    store.append(SESSION, SAMPLES[:3])
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    with pytest.raises(
        StorageUnavailable, match=r"^storage_unavailable: cannot save the change: the disk is full$"
    ):
        store.append_batch([(SESSION, [SAMPLES[11]], "r1", "p1"), (SESSION, [BIG] * 4, "r2", "p2")])
    _assert_unchanged(store, 3)
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space was freed
    assert store.append(SESSION, [BIG]) == 4


def test_a_database_locked_by_another_program(db_path: Path) -> None:
    with EventStore.open(db_path, busy_timeout_ms=50) as store:
        store.append(SESSION, SAMPLES[:3])
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StorageUnavailable, match="locked by another program"):
                store.append(SESSION, [ev.SessionOpened(at=SAMPLES[0].at)])
            _assert_unchanged(store, 3)  # readers are not blocked by a writer in WAL mode
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.append(SESSION, [SAMPLES[11]]) == 4
