"""The database: its settings, schema and migrations, the sessions table kept from the events,
and the records read from it.

``PRAGMA user_version`` holds the schema version. Each version has one migration function that
takes the database from the version before it; they run in order, each in its own transaction, so
an interrupted upgrade leaves the file at a whole version. Migrations are only ever added, never
edited once released: a file written by any release must upgrade the same way.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

from facilitator.agenda.model import SessionKind
from facilitator.session.events import (
    Event,
    SessionClosed,
    SessionCreated,
    SessionOpened,
    SessionUpdated,
)
from facilitator.session.values import Phase
from facilitator.store.codec import decode_event
from facilitator.store.errors import (
    CorruptEvent,
    DuplicateSession,
    SchemaTooNew,
    raise_storage_error,
)


def _create_v1(conn: sqlite3.Connection) -> None:
    # sessions is a projection of each session's own events, kept in the append's transaction, so
    # listing sessions and resolving a join code never needs a replay
    conn.execute(
        """CREATE TABLE sessions (
            session_id   TEXT PRIMARY KEY,
            created_at   TEXT NOT NULL,  -- ISO 8601 in UTC, so text order is time order
            kind         TEXT NOT NULL,
            title        TEXT NOT NULL,
            date         TEXT,
            place        TEXT NOT NULL,
            join_code    TEXT UNIQUE COLLATE NOCASE,  -- NULL when the session has none
            numeric_code TEXT NOT NULL,
            phase        TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX sessions_by_numeric_code ON sessions (numeric_code)")
    conn.execute(
        """CREATE TABLE events (
            session_id  TEXT NOT NULL REFERENCES sessions (session_id),
            seq         INTEGER NOT NULL CHECK (seq > 0),
            type        TEXT NOT NULL,
            payload     TEXT NOT NULL,  -- compact JSON, see facilitator.store.codec
            recorded_at TEXT NOT NULL,
            request_id  TEXT,
            actor       TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        "CREATE INDEX events_by_request_id ON events (session_id, request_id)"
        " WHERE request_id IS NOT NULL"
    )


def _create_v2(conn: sqlite3.Connection) -> None:
    # staff accounts (docs/intake.md, "Staff accounts"): only hashes of secrets and of session
    # tokens are kept; facilitator/store/accounts.py holds every query on these tables
    conn.execute(
        """CREATE TABLE staff_accounts (
            name       TEXT PRIMARY KEY,
            role       TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
            secret     TEXT NOT NULL,  -- scrypt$<n>$<r>$<p>$<salt>$<hash>, base64
            disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            created_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE staff_places (
            name     TEXT NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
            place_id TEXT NOT NULL,
            PRIMARY KEY (name, place_id)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE staff_tokens (
            token_hash TEXT PRIMARY KEY,  -- SHA-256 of the session token, hex
            name       TEXT NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
            issued_at  TEXT NOT NULL,
            expires_at TEXT NOT NULL      -- ISO 8601 in UTC, compared as text
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX staff_tokens_by_name ON staff_tokens (name)")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1, 2: _create_v2}
"""Schema version -> the function that upgrades the version before it to this one."""

SCHEMA_VERSION = max(MIGRATIONS)
"""The newest schema this code reads and writes."""


def prepare(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Set up a fresh connection: settings, then the schema (created or migrated as needed).

    Raises :class:`SchemaTooNew`, before writing anything, for a file from a newer version.
    """
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found, SCHEMA_VERSION)
    conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer; one fsync
    conn.execute("PRAGMA synchronous = FULL")  # COMMIT returns only once the WAL is on disk
    conn.execute("PRAGMA foreign_keys = ON")  # no event row without its session row
    migrate(conn)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database up to :data:`SCHEMA_VERSION` (the caller has ruled out a newer file)."""
    for version in range(1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # read again under the write lock: another process may have migrated meanwhile
            if conn.execute("PRAGMA user_version").fetchone()[0] < version:
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One row of the log: the event and what the store recorded around it."""

    session_id: str
    seq: int
    event: Event
    request_id: str | None
    actor: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What the sessions table knows of a session (kept up to date from its events)."""

    session_id: str
    created_at: dt.datetime
    kind: SessionKind
    title: str
    date: dt.date | None
    place: str
    join_code: str
    numeric_code: str
    phase: Phase


SESSION_COLUMNS = "session_id, created_at, kind, title, date, place, join_code, numeric_code, phase"


def session_from_row(row: Any) -> SessionInfo:
    """A :class:`SessionInfo` from a row of :data:`SESSION_COLUMNS`."""
    sid, created, kind, title, date, place, join_code, numeric, phase = row
    return SessionInfo(
        sid,
        dt.datetime.fromisoformat(created),
        SessionKind(kind),
        title,
        None if date is None else dt.date.fromisoformat(date),
        place,
        join_code or "",
        numeric,
        Phase(phase),
    )


def stored_events(
    session_id: str, after_seq: int, rows: Iterable[Sequence[Any]]
) -> Iterator[StoredEvent]:
    """Rows of (seq, type, payload, request_id, actor, recorded_at) as :class:`StoredEvent`,
    checked: a gap in the seq numbers or a row that does not decode raises :class:`CorruptEvent`
    (or :class:`UnknownEventType`): never a silent skip."""
    expected = after_seq + 1
    stamp_text: str | None = None  # one transaction's rows share it: parse it once
    stamp = dt.datetime.min
    for seq, type_name, payload, request_id, actor, recorded_at in rows:
        if seq != expected:
            reason = f"missing from the log (the next stored event is #{seq})"
            raise CorruptEvent(session_id, expected, reason)
        event = decode_event(type_name, payload, session_id=session_id, seq=seq)
        if recorded_at != stamp_text:
            try:
                stamp, stamp_text = dt.datetime.fromisoformat(recorded_at), recorded_at
            except (TypeError, ValueError):
                reason = f"recorded_at {recorded_at!r} is not a date and time"
                raise CorruptEvent(session_id, seq, reason, type_name=type_name) from None
        yield StoredEvent(session_id, seq, event, request_id, actor, stamp)
        expected += 1


@contextmanager
def write_transaction(conn: sqlite3.Connection, action: str) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT around a write; ROLLBACK on failure, so nothing half-written
    remains and the connection stays usable. A failure of the file or the disk is
    :class:`StorageUnavailable` (cannot ``action``); any other error is raised as it is."""
    try:
        # IMMEDIATE takes the write lock now: a busy database fails here, before any work
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")  # the durability point: acknowledged from here on
    except BaseException as error:
        if conn.in_transaction:
            with suppress(sqlite3.Error):  # SQLite may have rolled back already (I/O error)
                conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise_storage_error(error, action)
        raise


def sqlite_rows(
    conn: sqlite3.Connection, sql: str, params: Sequence[object], action: str
) -> list[Any]:
    """The rows of ``sql``; a failure of the file or the disk is :class:`StorageUnavailable`."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as error:
        raise_storage_error(error, action)


def sortable(at: dt.datetime) -> str:
    """``at`` as ISO 8601 text; aware times in UTC, so that text order is time order."""
    return (at.astimezone(dt.UTC) if at.tzinfo else at).isoformat()


class Executor(Protocol):
    """What :func:`project` needs of a connection: ``execute(sql, params)`` with ``?``
    placeholders, returning something with ``fetchone()`` (sqlite3's, or the PostgreSQL
    store's adapter)."""

    def execute(self, sql: str, params: Sequence[object] = ..., /) -> Any: ...


def project(conn: Executor, session_id: str, event: Event) -> None:
    """Keep the sessions table in step with the session's own events (both backends)."""
    execute = conn.execute
    if isinstance(event, SessionCreated):
        if event.session_id != session_id:
            raise ValueError(f"SessionCreated for {event.session_id} in stream {session_id}")
        if execute("SELECT 1 FROM sessions WHERE session_id = ?", (session_id,)).fetchone():
            raise DuplicateSession(session_id, "session id")
        join_code = event.join_code or None  # several sessions may have no join code
        taken = "SELECT 1 FROM sessions WHERE lower(join_code) = lower(?)"  # any letter case
        if join_code is not None and execute(taken, (join_code,)).fetchone():
            raise DuplicateSession(session_id, "join code")
        date = None if event.date is None else event.date.isoformat()
        execute(
            f"INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                sortable(event.at),
                event.kind.value,
                event.title,
                date,
                event.place,
                join_code,
                event.numeric_code,
                Phase.DRAFT.value,
            ),
        )
    elif isinstance(event, SessionUpdated):
        execute(
            "UPDATE sessions SET title = ?, place = ? WHERE session_id = ?",
            (event.title, event.place, session_id),
        )
    elif isinstance(event, SessionOpened | SessionClosed):
        phase = Phase.OPEN if isinstance(event, SessionOpened) else Phase.CLOSED
        execute("UPDATE sessions SET phase = ? WHERE session_id = ?", (phase.value, session_id))
