"""Appending and loading: seq numbers, transactions, reopening, the sessions table."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from facilitator.session import events as ev
from facilitator.session.values import Phase
from facilitator.store import (
    SCHEMA_VERSION,
    ConcurrencyConflict,
    DuplicateSession,
    StoredEvent,
    UnknownSession,
)
from facilitator.store.backend import Database, is_postgres, open_event_store
from facilitator.store.protocols import EventLog
from tests.pg_fixtures import raw_sql
from tests.store.conftest import TickingClock
from tests.store.store_samples import AT, SAMPLES, SESSION, created


def _checked_in(n: int) -> ev.ParticipantCheckedIn:
    return ev.ParticipantCheckedIn(at=AT, participant_id=f"p{n}")


def test_every_sample_is_stored_in_order_with_consecutive_seqs(
    store: EventLog, clock: TickingClock
) -> None:
    assert store.last_seq(SESSION) == 0
    assert store.append(SESSION, SAMPLES[:3], request_id="r1", actor="moderator") == 3
    assert store.append(SESSION, SAMPLES[3:], actor="p1") == len(SAMPLES)
    stored = list(store.load(SESSION))
    assert [row.seq for row in stored] == list(range(1, len(SAMPLES) + 1))
    assert [row.event for row in stored] == SAMPLES
    assert stored[0] == StoredEvent(
        SESSION, 1, SAMPLES[0], "r1", "moderator", stored[0].recorded_at
    )
    assert stored[0].recorded_at == dt.datetime(2025, 5, 16, 11, 0, 1, tzinfo=dt.UTC)
    assert stored[-1].recorded_at == clock.now and stored[-1].request_id is None
    assert [row.seq for row in store.load(SESSION, after_seq=40)] == list(
        range(41, len(SAMPLES) + 1)
    )


def test_reopening_gives_back_the_same_log(db: Database) -> None:
    with open_event_store(db) as store:
        store.append(SESSION, SAMPLES)
        before = list(store.load(SESSION))
    with open_event_store(db) as store:
        assert list(store.load(SESSION)) == before
        assert store.last_seq(SESSION) == len(SAMPLES)
    if is_postgres(db):
        assert raw_sql(db, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
        assert raw_sql(db, "SELECT count(*) FROM events") == [(len(SAMPLES),)]
    else:
        assert raw_sql(db, "PRAGMA journal_mode") == [("wal",)]
        assert raw_sql(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_empty_append_is_a_no_op(store: EventLog) -> None:
    assert store.append(SESSION, []) == 0
    store.append(SESSION, [created()])
    assert store.append(SESSION, [], expected_seq=99) == 1


def test_expected_seq_detects_a_concurrent_writer(store: EventLog) -> None:
    store.append(SESSION, [created(), _checked_in(1)], expected_seq=0)
    assert store.append(SESSION, [_checked_in(2)], expected_seq=2) == 3
    with pytest.raises(ConcurrencyConflict, match="is at event #3, not #2") as caught:
        store.append(SESSION, [_checked_in(3)], expected_seq=2)
    assert caught.value.code == "concurrency_conflict"
    assert store.last_seq(SESSION) == 3


def test_a_stream_starts_with_its_session(store: EventLog) -> None:
    with pytest.raises(UnknownSession):
        store.append(SESSION, [_checked_in(1)])
    with pytest.raises(ValueError, match="SessionCreated for other"):
        store.append(SESSION, [created("other")])
    store.append(SESSION, [created()])
    with pytest.raises(DuplicateSession, match="session id"):
        store.append(SESSION, [created()])
    with pytest.raises(DuplicateSession, match="join code"):
        store.append("s2", [created("s2", join_code="sq7k2")])  # join codes ignore letter case
    assert store.last_seq(SESSION) == 1 and store.last_seq("s2") == 0


def test_a_batch_is_one_transaction(store: EventLog) -> None:
    store.append("s1", [created("s1", "AAAA1", "1111")])
    seqs = store.append_batch(
        [
            ("s1", [_checked_in(1)], "r1", "p1"),
            ("s2", [created("s2", "BBBB2", "2222"), _checked_in(7)], "r2", "moderator"),
            ("s1", [_checked_in(2), _checked_in(3)], "r3", "p2"),
            ("s1", [], None, ""),
        ]
    )
    assert seqs == [2, 2, 4, 4]
    assert [(r.seq, r.request_id) for r in store.load("s1")] == [
        (1, None),
        (2, "r1"),
        (3, "r3"),
        (4, "r3"),
    ]


def test_a_failing_group_rolls_back_the_whole_batch(store: EventLog) -> None:
    store.append("s1", [created("s1", "AAAA1", "1111")])
    with pytest.raises(DuplicateSession):
        store.append_batch(
            [
                ("s1", [_checked_in(1)], "r1", "p1"),
                ("s2", [created("s2", "BBBB2", "2222")], "r2", "moderator"),
                ("s3", [created("s3", "aaaa1", "3333")], "r3", "moderator"),  # join code taken
            ]
        )
    assert store.last_seq("s1") == 1 and store.last_seq("s2") == 0
    assert [info.session_id for info in store.sessions()] == ["s1"]
    assert store.append_batch([("s1", [_checked_in(1)], "r1", "p1")]) == [2]  # still usable


def test_the_sessions_table_follows_the_events(store: EventLog) -> None:
    older = created("s1", "OLD11", "4821")
    store.append(
        "s1", [dataclasses.replace(older, at=AT - dt.timedelta(days=30)), ev.SessionClosed(at=AT)]
    )
    store.append(SESSION, [created()])
    info = store.get_session(SESSION)
    assert (info.phase, info.title, info.kind, info.date) == (
        Phase.DRAFT,
        created().title,
        created().kind,
        dt.date(2025, 5, 16),
    )
    assert info.created_at == AT and info.join_code == "SQ7K2"
    store.append(SESSION, [SAMPLES[1], ev.SessionOpened(at=AT)])
    info = store.get_session(SESSION)
    assert (info.phase, info.title, info.place) == (Phase.OPEN, "五月夜話（改期）", "活動中心 2F")
    assert [s.session_id for s in store.sessions()] == [SESSION, "s1"]
    assert store.get_session("s1").phase == Phase.CLOSED
    with pytest.raises(UnknownSession, match="no session nope"):
        store.get_session("nope")


def test_find_session_by_join_code_or_numeric_code(store: EventLog) -> None:
    store.append("old", [created("old", "OLD11", "4821"), ev.SessionClosed(at=AT)])
    store.append(
        "mid", [dataclasses.replace(created("mid", "MID22", "4821"), at=AT - dt.timedelta(hours=1))]
    )
    store.append(SESSION, [created()])  # numeric 4821, the newest open one
    assert store.find_session(" sq7k2 ") == store.get_session(SESSION)
    assert store.find_session("old11") == store.get_session("old")  # a join code finds closed ones
    assert store.find_session("4821") == store.get_session(SESSION)
    store.append(SESSION, [ev.SessionClosed(at=AT)])
    assert store.find_session("4821") == store.get_session("mid")
    assert store.find_session("9999") is None and store.find_session("") is None


def test_recent_request_ids_newest_last(store: EventLog) -> None:
    store.append(SESSION, [created()], request_id="r1")
    store.append(SESSION, [_checked_in(1), _checked_in(2)], request_id="r2")
    store.append(SESSION, [_checked_in(3)])
    store.append(SESSION, [_checked_in(4)], request_id="r3")
    assert store.recent_request_ids(SESSION) == [("r1", 1), ("r2", 3), ("r3", 5)]
    assert store.recent_request_ids(SESSION, limit=2) == [("r2", 3), ("r3", 5)]
    assert store.recent_request_ids("other") == []
