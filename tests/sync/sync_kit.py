"""An offline evening on a laptop's database, and ways to read a database back for comparison."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from facilitator.intake import commands as ic
from facilitator.intake.events import IntakeEvent
from facilitator.ledger import LedgerUpdate
from facilitator.session import events as e
from facilitator.store import EventStore
from facilitator.store.backend import (
    Database,
    open_event_store,
    open_ledger_log,
    open_place_log,
)
from facilitator.store.ledger_log import LedgerLog
from facilitator.store.protocols import EventLog
from tests.intake.intake_kit import Place, make_place
from tests.ledger.ledger_kit import review, three_sessions
from tests.pg_fixtures import raw_sql

TZ = dt.timezone(dt.timedelta(hours=8))


def put_session(store: EventLog, log: list[e.Event], prefix: str = "r") -> None:
    """Store a session as the hub would: one append per command, each with its request id."""
    sid = log[0].session_id  # type: ignore[attr-defined]
    store.append_batch(
        [(sid, [event], f"{prefix}-{sid}-{n}", "moderator") for n, event in enumerate(log, 1)]
    )


def heping(requests: int = 3) -> Place:
    """和平里社區 with two buildings and ``requests`` requests, the first one answered."""
    place = make_place(buildings=2)
    for n in range(requests):
        place.raise_(f"樓道燈不亮 {n + 1}", device=f"d{n}", building="B1", category="路燈照明")
    place.do(ic.AnswerRequest, number=1, text="已通知物業", by="小李")
    return place


def put_place(path: Database, place: Place, start: int = 0, prefix: str = "p") -> None:
    """Store the place's events from ``start`` on, each with a request id of its own."""
    with open_place_log(path) as log:
        for n, event in enumerate(place.log[start:], start=start + 1):
            log.append("heping", [event], request_id=f"{prefix}-{n}", actor="staff")


def evening(path: Path, sessions: int = 0) -> None:  # sessions <= 676
    """The three sessions at 和平里, ``sessions`` more small ones, a place's intake and the ledger
    updates made between sessions."""
    logs, updates, _ = three_sessions()
    with EventStore.open(path) as store:
        for log in logs:
            put_session(store, log)
        for n in range(sessions):
            sid = f"s-extra-z{chr(97 + n // 26)}{chr(97 + n % 26)}"  # join code HPLZ..: unique
            put_session(store, review(sid, dt.date(2026, 6, 1), (), []).log)
        with LedgerLog.for_store(store) as ledger:
            for update in [*updates, rating_at(dt.datetime(2026, 6, 2, 9, 0, tzinfo=TZ))]:
                ledger.append(update)
    put_place(path, heping())


def rating_at(at: dt.datetime) -> LedgerUpdate:
    return LedgerUpdate("s-hpl-0314/x1", at, "rating", by="王阿姨", stars=5)


def event_rows(db: Database, session_id: str) -> list[tuple[object, ...]]:
    """The district's rows of a session exactly as stored (recorded_at included)."""
    sql = "SELECT * FROM events WHERE session_id = ? ORDER BY seq"
    return raw_sql(db, sql, (session_id,))


@dataclasses.dataclass(frozen=True)
class Contents:
    sessions: dict[str, list[tuple[int, e.Event, str | None, str]]]
    places: dict[str, list[tuple[int, IntakeEvent, str | None, str]]]
    ledger: list[LedgerUpdate]


def contents(path: Database) -> Contents:
    """Everything a sync carries, as the stores return it."""
    with open_event_store(path) as store, open_place_log(path) as places:
        sessions = {
            info.session_id: [
                (s.seq, s.event, s.request_id, s.actor) for s in store.load(info.session_id)
            ]
            for info in store.sessions()
        }
        intake = {
            pid: [(s.seq, s.event, s.request_id, s.actor) for s in places.load(pid)]
            for pid in places.places()
        }
        with open_ledger_log(path) as ledger:
            return Contents(sessions, intake, ledger.updates())
