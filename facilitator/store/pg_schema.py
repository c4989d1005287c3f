"""The PostgreSQL database: its tables, schema version and migrations.

The same tables as the SQLite file (sessions, events, ledger_updates, place_events) with the same
columns and the same text encodings (ISO 8601 times, compact JSON payloads), so the projection and
the row readers are shared (schema.py) and a row means the same in both. One more table,
``live_owners``, names the process that holds a session's advisory lock (pg_live.py).

``schema_version`` holds one row, the version. Migrations run in order, each in its own
transaction under a transaction-level advisory lock, so two processes starting at once migrate
once and an interrupted upgrade leaves the database at a whole version. A database of a newer
version is refused (:class:`SchemaTooNew`) before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from facilitator.store.errors import SchemaTooNew
from facilitator.store.pg_connect import LOCK_TIMEOUT_MS, connect, raise_pg_error

_MIGRATION_LOCK = 0x66616369  # one fixed advisory key for "migrating facilitator's schema"

_V1 = (
    """CREATE TABLE sessions (
        n            BIGSERIAL UNIQUE,  -- creation order (SQLite's rowid)
        session_id   TEXT PRIMARY KEY,
        created_at   TEXT NOT NULL,
        kind         TEXT NOT NULL,
        title        TEXT NOT NULL,
        date         TEXT,
        place        TEXT NOT NULL,
        join_code    TEXT,
        numeric_code TEXT NOT NULL,
        phase        TEXT NOT NULL
    )""",
    # a join code in any letter case finds its session (SQLite's COLLATE NOCASE)
    "CREATE UNIQUE INDEX sessions_join_code ON sessions (lower(join_code))",
    "CREATE INDEX sessions_by_numeric_code ON sessions (numeric_code)",
    """CREATE TABLE events (
        session_id  TEXT NOT NULL REFERENCES sessions (session_id),
        seq         INTEGER NOT NULL CHECK (seq > 0),
        type        TEXT NOT NULL,
        payload     TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        request_id  TEXT,
        actor       TEXT NOT NULL,
        CONSTRAINT events_pkey PRIMARY KEY (session_id, seq)
    )""",
    "CREATE INDEX events_by_request_id ON events (session_id, request_id)"
    " WHERE request_id IS NOT NULL",
    """CREATE TABLE ledger_updates (
        id       BIGSERIAL PRIMARY KEY,
        ref      TEXT NOT NULL,
        at       TEXT NOT NULL,
        kind     TEXT NOT NULL CHECK (kind IN ('status', 'feedback', 'rating')),
        status   TEXT,
        deadline TEXT,
        text     TEXT NOT NULL DEFAULT '',
        by       TEXT NOT NULL DEFAULT '',
        stars    INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE place_events (
        place_id    TEXT NOT NULL,
        seq         INTEGER NOT NULL CHECK (seq > 0),
        type        TEXT NOT NULL,
        payload     TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        request_id  TEXT,
        actor       TEXT NOT NULL,
        CONSTRAINT place_events_pkey PRIMARY KEY (place_id, seq)
    )""",
    """CREATE TABLE live_owners (
        session_id TEXT PRIMARY KEY,
        owner      TEXT NOT NULL,  -- LiveOwner as JSON
        backend    INTEGER NOT NULL  -- pg_backend_pid() of the connection holding the lock
    )""",
)


def _create_v1(conn: psycopg.Connection[Any]) -> None:
    for statement in _V1:
        conn.execute(statement.encode())


_V2 = (  # the staff accounts, as in the SQLite file's version 2 (schema.py)
    """CREATE TABLE staff_accounts (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
        secret     TEXT NOT NULL,
        disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE staff_places (
        name     TEXT NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
        place_id TEXT NOT NULL,
        PRIMARY KEY (name, place_id)
    )""",
    """CREATE TABLE staff_tokens (
        token_hash TEXT PRIMARY KEY,
        name       TEXT NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
        issued_at  TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    "CREATE INDEX staff_tokens_by_name ON staff_tokens (name)",
)


def _create_v2(conn: psycopg.Connection[Any]) -> None:
    for statement in _V2:
        conn.execute(statement.encode())


MIGRATIONS: dict[int, Callable[[psycopg.Connection[Any]], None]] = {1: _create_v1, 2: _create_v2}
"""Schema version -> the function that upgrades the version before it to this one."""

PG_SCHEMA_VERSION = max(MIGRATIONS)


def found_version(conn: psycopg.Connection[Any]) -> int:
    """The database's schema version; 0 for an empty database."""
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    version = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(version[0]) if version else 0


def prepare(conn: psycopg.Connection[Any]) -> None:
    """Create or migrate the schema of an autocommit connection's database.

    Raises :class:`SchemaTooNew`, before writing anything, for a database of a newer version.
    """
    found = found_version(conn)
    if found > PG_SCHEMA_VERSION:
        raise SchemaTooNew(found, PG_SCHEMA_VERSION)
    if found == PG_SCHEMA_VERSION:
        return
    for version in range(1, PG_SCHEMA_VERSION + 1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            now = found_version(conn)  # again, under the lock: another process may have run it
            if now > PG_SCHEMA_VERSION:
                raise SchemaTooNew(now, PG_SCHEMA_VERSION)
            if now < version:
                MIGRATIONS[version](conn)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version VALUES (%s)", (version,))


def open_database(
    url: str, action: str, *, lock_timeout_ms: int = LOCK_TIMEOUT_MS
) -> psycopg.Connection[Any]:
    """A connection to ``url`` with the schema created or migrated (what every PostgreSQL log
    opens with); :class:`StorageUnavailable` or :class:`SchemaTooNew` when it cannot be used."""
    conn = connect(url, action, lock_timeout_ms=lock_timeout_ms)
    try:
        prepare(conn)
    except psycopg.Error as error:
        conn.close()
        raise_pg_error(error, action)
    except BaseException:
        conn.close()
        raise
    return conn
