"""Connecting to PostgreSQL: URLs, passwords kept out of every message, and psycopg's errors
turned into the store's own (:class:`StorageUnavailable` with a reason a person can act on).

The reasons are fixed English sentences, like the SQLite store's, so the command line can
translate them (facilitator/cli/_common.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NoReturn

import psycopg
from psycopg import errors as pg_errors

from facilitator.store.errors import StorageUnavailable

URL_SCHEMES = ("postgresql://", "postgres://")
UNREACHABLE = "the PostgreSQL server cannot be reached"
BAD_PASSWORD = "the PostgreSQL server refused the user name or password"
NO_DATABASE = "the PostgreSQL database does not exist"
BAD_URL = "the database URL is not valid"
LOST = "the connection to the PostgreSQL server was lost"
READ_ONLY = "the database is read-only"
DISK_FULL = "the disk is full"
DENIED = "access to the database was denied"
LOCKED = "the database is locked by another program"
LOCK_TIMEOUT_MS = 5000
_CONNECT_TIMEOUT_S = 10
_PASSWORD = re.compile(r"(?P<head>[a-z]+://[^:/@?#\s]*:)[^@/?#\s]*(?P<at>@)", re.IGNORECASE)
_PASSWORD_PARAM = re.compile(r"(?P<head>[?&]password=)[^&\s]*", re.IGNORECASE)


def is_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return isinstance(db, str) and db.lower().startswith(URL_SCHEMES)


def pg_sql(sql: str) -> bytes:
    """The store's portable SQL (``?`` placeholders, store/portable.py) as psycopg takes it."""
    return sql.replace("?", "%s").encode()


def pg_rows(
    conn: psycopg.Connection[Any], sql: str, params: Sequence[object], action: str
) -> list[Any]:
    """The rows of the portable ``sql``; a failure of the server is :class:`StorageUnavailable`."""
    try:
        return conn.execute(pg_sql(sql), params).fetchall()
    except psycopg.Error as error:
        raise_pg_error(error, action)


def mask(text: str) -> str:
    """``text`` with the password of any database URL in it replaced by ``***``."""
    text = _PASSWORD.sub(r"\g<head>***\g<at>", text)
    return _PASSWORD_PARAM.sub(r"\g<head>***", text)


def connect(
    url: str, action: str, *, lock_timeout_ms: int = LOCK_TIMEOUT_MS
) -> psycopg.Connection[Any]:
    """A connection to ``url`` in autocommit mode (transactions are explicit), or
    :class:`StorageUnavailable` naming why not (never the password).

    A statement that waits longer than ``lock_timeout_ms`` for a lock another program holds (a
    transaction left open in a database tool) fails with "the database is locked by another
    program", as SQLite's busy timeout does, instead of stalling the session's writer.
    """
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S)
    # `from None`: libpq's own text may quote the whole URL, password included
    except psycopg.ProgrammingError:  # libpq could not parse the URL
        raise StorageUnavailable(BAD_URL, action=action) from None
    except psycopg.OperationalError as error:
        raise StorageUnavailable(_connect_reason(str(error)), action=action) from None
    try:
        # acknowledged = committed: COMMIT returns once the WAL is flushed, whatever the server's
        # default (a server set to "off" would lose the last commits in a crash)
        if conn.execute("SHOW synchronous_commit").fetchone() in (("off",), ("local",)):
            conn.execute("SET synchronous_commit = on")
        conn.execute(f"SET lock_timeout = {int(lock_timeout_ms)}".encode())
    except psycopg.Error as error:
        conn.close()
        raise_pg_error(error, action)
    return conn


def _connect_reason(message: str) -> str:
    text = message.lower()
    if "password" in text or "authentication failed" in text or "role" in text:
        return BAD_PASSWORD
    if "database" in text and "does not exist" in text:
        return NO_DATABASE
    if "invalid" in text and ("uri" in text or "connection option" in text):
        return BAD_URL
    return UNREACHABLE


_BY_SQLSTATE = {
    "25006": READ_ONLY,  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "53100": DISK_FULL,
    "42501": DENIED,
    "55P03": LOCKED,  # lock_not_available: lock_timeout passed
    "57P01": LOST,  # admin_shutdown
    "57P02": LOST,
    "57P03": UNREACHABLE,  # cannot_connect_now (starting up)
}


def raise_pg_error(error: psycopg.Error, action: str) -> NoReturn:
    """Raise StorageUnavailable when the server or the connection is the problem; otherwise
    re-raise ``error`` itself: that is a bug, not the database."""
    reason = _BY_SQLSTATE.get(error.sqlstate or "")
    if reason is None and isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        reason = LOST
    if reason is None:
        raise error
    raise StorageUnavailable(reason, action=action) from error


class Adapter:
    """A psycopg connection seen through sqlite3's ``execute(sql, params)`` with ``?``
    placeholders, so the projection code (schema.project) serves both backends."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = (), /) -> psycopg.Cursor[Any]:
        return self._conn.execute(pg_sql(sql), params)


def is_unique_violation(error: BaseException, constraint: str) -> bool:
    """Whether ``error`` is a unique violation of ``constraint``."""
    return isinstance(error, pg_errors.UniqueViolation) and error.diag.constraint_name == constraint
