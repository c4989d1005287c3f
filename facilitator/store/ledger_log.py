"""Ledger-only updates made between sessions (``ledger update / feedback / rate``), kept in the
same SQLite file as the event log, in a table of their own.

The table is created with ``CREATE TABLE IF NOT EXISTS`` on first use, so it needs no migration of
the event log's schema and an older file simply gains it. It has its own connection: the event
store's connection belongs to its owner (the hub's writer) and is never shared. Rows are only ever
appended; the ledger is rebuilt from the sessions' events plus these rows (:func:`read_ledger`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator.intake import IntakeEngine, PlaceState
from facilitator.ledger import DEFAULT_POLICY, Ledger, LedgerUpdate, ReopenPolicy
from facilitator.ledger.fold import SessionPart, ledger_from_parts, session_part
from facilitator.ledger.intake import intake_entries, intake_updates, request_facts
from facilitator.store.errors import raise_storage_error
from facilitator.store.portable import ClosesOnExit
from facilitator.store.schema import sqlite_rows
from facilitator.store.sqlite import EventStore

if TYPE_CHECKING:
    from facilitator.store.protocols import EventLog

_CREATE = """CREATE TABLE IF NOT EXISTS ledger_updates (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    ref      TEXT NOT NULL,              -- <session id>/<action id>
    at       TEXT NOT NULL,              -- ISO 8601 with the local offset of the moment
    kind     TEXT NOT NULL CHECK (kind IN ('status', 'feedback', 'rating')),
    status   TEXT,
    deadline TEXT,
    text     TEXT NOT NULL DEFAULT '',
    by       TEXT NOT NULL DEFAULT '',
    stars    INTEGER NOT NULL DEFAULT 0
)"""
COLUMNS = "ref, at, kind, status, deadline, text, by, stars"
PartsCache = dict[str, tuple[int, SessionPart | None]]  # session id -> (last seq, its part)


def update_row(update: LedgerUpdate) -> tuple[object, ...]:
    """``update`` as a row of :data:`COLUMNS` (both backends store the same text)."""
    return (
        update.ref,
        update.at.isoformat(),
        update.kind,
        update.status,
        update.deadline.isoformat() if update.deadline else None,
        update.text,
        update.by,
        update.stars,
    )


def row_update(row: Sequence[Any]) -> LedgerUpdate:
    """The update stored in a row of :data:`COLUMNS`."""
    ref, at, kind, status, deadline, text, by, stars = row
    return LedgerUpdate(
        ref=ref,
        at=dt.datetime.fromisoformat(at),
        kind=kind,
        status=status,
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
        text=text,
        by=by,
        stars=stars,
    )


INSERT = f"INSERT INTO ledger_updates ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"


class LedgerTable(ClosesOnExit):
    """The reading of the ledger-only updates, for both backends (the LedgerUpdates of
    protocols.py); a backend says how a query runs (``_rows``) and how an append commits."""

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        """The rows of ``sql``; a failure of the database is :class:`StorageUnavailable`."""
        raise NotImplementedError

    def updates(self) -> list[LedgerUpdate]:
        """Every update, in the order they were stored."""
        sql = f"SELECT {COLUMNS} FROM ledger_updates ORDER BY id"
        return [row_update(row) for row in self._rows(sql, (), "read the action ledger")]


class LedgerLog(LedgerTable):
    """The append-only table of ledger-only updates in an event store's database file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Use :meth:`open` or :meth:`for_store`."""
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> LedgerLog:
        """Open the database at ``path`` (already created by the event store) and the table."""
        try:
            conn = sqlite3.connect(Path(path), isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(_CREATE)
        except sqlite3.Error as error:
            raise_storage_error(error, "open the action ledger")
        return cls(conn)

    @classmethod
    def for_store(cls, store: EventStore) -> LedgerLog:
        """The ledger log in the same file as ``store``."""
        return cls.open(store.path)

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        return sqlite_rows(self._conn, sql, params, action)

    def append(self, update: LedgerUpdate) -> None:
        """Store ``update``; returns once it is committed."""
        try:
            self._conn.execute(INSERT, update_row(update))
        except sqlite3.Error as error:
            raise_storage_error(error, "save the ledger update")


def read_ledger(
    store: EventLog,
    *,
    policy: ReopenPolicy = DEFAULT_POLICY,
    places: Sequence[PlaceState] | None = None,
    parts: PartsCache | None = None,
) -> Ledger:
    """The ledger of every session in ``store`` plus its ledger-only updates.

    ``facilitator run`` / ``serve`` use it with ``facilitator.ledger.follow_ups_for`` to bring a
    place's open promises into a new session. ``parts`` keeps each session's folded part between
    calls (by the log's last seq), for callers that rebuild often.
    """
    infos = sorted(store.sessions(), key=lambda s: (s.created_at, s.session_id))
    cache: PartsCache = {} if parts is None else parts
    found: list[SessionPart] = []
    for info in infos:  # a session whose log has not grown since is not folded again
        last = store.last_seq(info.session_id)
        kept = cache.get(info.session_id)
        if kept is None or kept[0] != last:
            events = [stored.event for stored in store.load(info.session_id)]
            kept = cache[info.session_id] = (last, session_part(events))
        if kept[1] is not None:
            found.append(kept[1])
    from facilitator.store.backend import open_ledger_log

    with open_ledger_log(store.location) as log:
        updates = log.updates()
    if places is None:
        places = read_places(store.location)
    more = [entry for place in places for entry in intake_entries(place)]
    updates = sorted([*updates, *intake_updates(places)], key=lambda u: u.at)
    ledger = ledger_from_parts(found, updates, policy=policy, more=more)
    facts = tuple(fact for place in places for fact in request_facts(place))
    ids = tuple(place.place_id for place in places)
    return dataclasses.replace(ledger, requests=facts, intake_ids=ids)


def read_places(db: str | Path) -> list[PlaceState]:
    """Every place's intake state in the database at ``db`` (a file or a URL)."""
    from facilitator.store.backend import open_place_log

    with open_place_log(db) as log:
        return [
            IntakeEngine.replay(s.event for s in log.load(place_id)).state
            for place_id in log.places()
        ]
