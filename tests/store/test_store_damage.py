"""A damaged or foreign log is reported, naming the session and the event: never skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.store import (
    SCHEMA_VERSION,
    CorruptEvent,
    EventStore,
    SchemaTooNew,
    StorageUnavailable,
    UnknownEventType,
)
from facilitator.store.backend import Database, is_postgres, open_event_store
from facilitator.store.pg_schema import PG_SCHEMA_VERSION
from tests.pg_fixtures import raw_sql
from tests.store.store_samples import SAMPLES, SESSION


@pytest.fixture
def stored(db: Database) -> Database:
    with open_event_store(db) as store:
        store.append(SESSION, SAMPLES[:5])
    return db


def _tamper(db: Database, sql: str) -> None:
    # a second, plain connection: what a disk error, a bad tool or a hand edit would do
    raw_sql(db, sql)


def _load_all(db: Database) -> list[int]:
    seen: list[int] = []
    with open_event_store(db) as store:
        seen.extend(row.seq for row in store.load(SESSION))
    return seen


def test_an_undecodable_payload_names_session_and_seq(stored: Database) -> None:
    _tamper(
        stored,
        f"UPDATE events SET payload = '{{\"at\": 7}}' WHERE seq = 3 AND session_id = '{SESSION}'",
    )
    seen: list[int] = []
    with open_event_store(stored) as store, pytest.raises(CorruptEvent) as caught:
        seen.extend(row.seq for row in store.load(SESSION))
    assert seen == [1, 2]  # what came before was streamed; nothing after it is skipped to
    assert caught.value.message == (
        f"session {SESSION}, event #3 (SessionOpened): "
        "field 'at': expected a date and time as text, got an integer"
    )


def test_an_unknown_type_names_session_and_seq(stored: Database) -> None:
    _tamper(stored, "UPDATE events SET type = 'PizzaOrdered' WHERE seq = 2")
    with pytest.raises(
        UnknownEventType, match=rf"session {SESSION}, event #2 \(PizzaOrdered\)"
    ) as caught:
        _load_all(stored)
    assert (caught.value.seq, caught.value.code) == (2, "unknown_event_type")


def test_a_gap_in_the_seq_numbers_is_corruption(stored: Database) -> None:
    _tamper(stored, "DELETE FROM events WHERE seq = 4")
    with pytest.raises(CorruptEvent) as caught:
        _load_all(stored)
    assert caught.value.message == (
        f"session {SESSION}, event #4: missing from the log (the next stored event is #5)"
    )


def test_a_bad_recorded_at_is_corruption(stored: Database) -> None:
    _tamper(stored, "UPDATE events SET recorded_at = 'soon' WHERE seq = 5")
    with pytest.raises(CorruptEvent, match=r"#5 \(SessionClosed\): recorded_at 'soon'"):
        _load_all(stored)


def test_a_newer_schema_is_refused_and_left_untouched(stored: Database) -> None:
    newest = PG_SCHEMA_VERSION if is_postgres(stored) else SCHEMA_VERSION
    version = "SELECT version FROM schema_version" if is_postgres(stored) else "PRAGMA user_version"
    if is_postgres(stored):
        _tamper(stored, f"UPDATE schema_version SET version = {newest + 1}")
    else:
        _tamper(stored, f"PRAGMA user_version = {newest + 1}")
    with pytest.raises(SchemaTooNew, match="upgrade facilitator") as caught:
        open_event_store(stored)
    assert (caught.value.found, caught.value.supported) == (newest + 1, newest)
    assert raw_sql(stored, version) == [(newest + 1,)]


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "minutes.md"
    path.write_text("# 會議紀要\n" * 200, encoding="utf-8")
    with pytest.raises(
        StorageUnavailable,
        match="cannot open the event log: the file is not a facilitator database",
    ):
        EventStore.open(path)


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StorageUnavailable, match="cannot open the event log"):
        EventStore.open(tmp_path / "file" / "sub" / "facilitator.db")
