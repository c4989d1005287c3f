"""The ledger-only updates and the places' intake streams, on both backends: what is appended comes
back the same and in order; a stream refuses a writer that fell behind, a gap, a second place."""

from __future__ import annotations

import datetime as dt
import threading

import psycopg
import pytest

from facilitator.intake.events import BuildingAdded, PlaceCreated, StaffAdded
from facilitator.ledger import LedgerUpdate
from facilitator.store import (
    ConcurrencyConflict,
    CorruptEvent,
    Database,
    DuplicateSession,
    UnknownSession,
    open_ledger_log,
    open_place_log,
)
from tests.pg_fixtures import raw_sql, wait_for
from tests.pg_kit import Cluster

AT = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
UPDATES = [
    LedgerUpdate("s1/a1", AT, "status", status="in_progress", deadline=dt.date(2026, 4, 1)),
    LedgerUpdate("s1/a1", AT + dt.timedelta(days=3), "feedback", text="已報修\n'; --", by="物業"),
    LedgerUpdate("s1/a1", AT + dt.timedelta(days=9), "rating", by="d-7", stars=4),
]


def place(place_id: str = "heping") -> PlaceCreated:
    return PlaceCreated(
        at=AT, place_id=place_id, name="和平里", lang="zh-Hant", categories=("路燈",),
        answer_within_h=48, deliver_within_d=14,
    )  # fmt: skip


def test_ledger_updates_come_back_as_stored_in_order(db: Database) -> None:
    with open_place_log(db):  # the database exists (the event store or a place made it)
        pass
    with open_ledger_log(db) as log:
        assert log.updates() == []
        for update in UPDATES:
            log.append(update)
    with open_ledger_log(db) as log:
        assert log.updates() == UPDATES


def test_intake_streams_append_load_and_list(db: Database) -> None:
    with open_place_log(db) as log:
        assert log.places() == []
        assert (
            log.append("heping", [place(), BuildingAdded(at=AT, code="B6", name="6號樓", units=())])
            == 2
        )
        assert log.append("anle", [place("anle")], request_id="r-1", actor="admin") == 1
        assert log.append("heping", [StaffAdded(at=AT, name="王")], expected_seq=2) == 3
        assert log.places() == ["heping", "anle"]  # in the order they were created
        stored = log.load("heping")
        assert [(s.seq, type(s.event).__name__) for s in stored] == [
            (1, "PlaceCreated"), (2, "BuildingAdded"), (3, "StaffAdded"),
        ]  # fmt: skip
        assert stored[0].event == place()
        assert [s.seq for s in log.load("heping", after_seq=2)] == [3]
        assert (log.load("anle")[0].request_id, log.load("anle")[0].actor) == ("r-1", "admin")


def test_intake_streams_refuse_what_would_break_them(db: Database) -> None:
    with open_place_log(db) as log:
        with pytest.raises(UnknownSession):
            log.append("p", [StaffAdded(at=AT, name="x")])
        log.append("p", [place("p")])
        with pytest.raises(DuplicateSession):
            log.append("p", [place("p")])
        with pytest.raises(ConcurrencyConflict, match="is at event #1, not #0"):
            log.append("p", [StaffAdded(at=AT, name="x")], expected_seq=0)
        log.append("p", [StaffAdded(at=AT, name="x"), StaffAdded(at=AT, name="y")])
        assert [s.seq for s in log.load("p")] == [1, 2, 3]
    raw_sql(db, "DELETE FROM place_events WHERE seq = 2")
    with open_place_log(db) as log, pytest.raises(CorruptEvent, match="#2: missing"):
        log.load("p")


def test_two_writers_of_one_place_never_write_one_seq_twice(pg_cluster: Cluster) -> None:
    """PostgreSQL only: SQLite serializes writers with BEGIN IMMEDIATE, so there is no race."""
    db = pg_cluster.new_database()
    with open_place_log(db) as log:
        log.append("p", [place("p")])
        other = psycopg.connect(db)  # another process, mid-transaction with seq 2
        other.execute(
            "INSERT INTO place_events SELECT place_id, 2, type, payload, recorded_at, NULL, actor"
            " FROM place_events WHERE seq = 1"
        )
        failed: list[BaseException] = []

        def write() -> None:
            try:
                log.append("p", [StaffAdded(at=AT, name="x")])
            except BaseException as error:
                failed.append(error)

        writer = threading.Thread(target=write)
        writer.start()
        wait_for(lambda: bool(raw_sql(db, "SELECT 1 FROM pg_locks WHERE NOT granted")))
        other.commit()
        other.close()
        writer.join(timeout=10)
        [lost] = failed
        assert isinstance(lost, ConcurrencyConflict) and lost.actual_seq == 2
        assert raw_sql(db, "SELECT seq FROM place_events ORDER BY seq") == [(1,), (2,)]
        assert log.append("p", [StaffAdded(at=AT, name="x")]) == 3  # and it carries on
