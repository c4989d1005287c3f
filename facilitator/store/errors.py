"""The store's one error family.

Every error carries a stable ``code`` (shared with the server, the phone page and the console, which
translate it), an English ``message`` for logs and the moderator, and ``params`` that fill the
placeholders of a translated message. Errors that point at a damaged log always name the session and
the event number, so someone can find the row without reading code.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum
from typing import Any, NoReturn

from facilitator.store.owner import LiveOwner


class StoreErrorCode(StrEnum):
    """Stable codes of every way the store can fail."""

    STORAGE_UNAVAILABLE = "storage_unavailable"
    CORRUPT_EVENT = "corrupt_event"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    SCHEMA_TOO_NEW = "schema_too_new"
    UNKNOWN_SESSION = "unknown_session"
    DUPLICATE_SESSION = "duplicate_session"
    CONCURRENCY_CONFLICT = "concurrency_conflict"
    UNSTORABLE_EVENT = "unstorable_event"
    SESSION_LIVE = "session_live"


class StoreError(Exception):
    """Base of every error the store raises; each of its ``params`` is an attribute too (the
    subclasses declare theirs), so a caller reads ``error.session_id``, a translator
    ``error.params``."""

    def __init__(self, code: StoreErrorCode, message: str, **params: Any) -> None:
        self.code = code
        self.message = message
        self.params: dict[str, Any] = params
        for name, value in params.items():
            setattr(self, name, value)
        super().__init__(f"{code.value}: {message}")


class UnstorableEvent(StoreError, TypeError):
    """An event holds a value that would not decode back to itself: a bug in the caller.

    Refused before anything is written: an acknowledged event that cannot be replayed would be
    worse than a refused one. It is a ``TypeError`` too, because the caller passed the wrong type.
    """

    def __init__(self, type_name: str, reason: str) -> None:
        super().__init__(
            StoreErrorCode.UNSTORABLE_EVENT,
            f"cannot store {type_name}: {reason}",
            type_name=type_name,
            reason=reason,
        )


def _where(session_id: str, seq: int, type_name: str) -> str:
    return f"session {session_id}, event #{seq}" + (f" ({type_name})" if type_name else "")


class CorruptEvent(StoreError):
    """A stored event cannot be read back: bad JSON, a wrong or missing field, a seq gap."""

    session_id: str
    seq: int
    type_name: str
    reason: str

    def __init__(self, session_id: str, seq: int, reason: str, *, type_name: str = "") -> None:
        super().__init__(
            StoreErrorCode.CORRUPT_EVENT,
            f"{_where(session_id, seq, type_name)}: {reason}",
            session_id=session_id,
            seq=seq,
            type_name=type_name,
            reason=reason,
        )


class UnknownEventType(StoreError):
    """A stored event has a type this version does not know (written by a newer version?)."""

    session_id: str
    seq: int
    type_name: str

    def __init__(self, session_id: str, seq: int, type_name: str) -> None:
        super().__init__(
            StoreErrorCode.UNKNOWN_EVENT_TYPE,
            f"{_where(session_id, seq, type_name)}: unknown event type {type_name!r}",
            session_id=session_id,
            seq=seq,
            type_name=type_name,
        )


class SchemaTooNew(StoreError):
    """The database was written by a newer version of facilitator; opening it could damage it."""

    found: int
    supported: int

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            StoreErrorCode.SCHEMA_TOO_NEW,
            f"the database has schema version {found} but this version of facilitator "
            f"understands at most version {supported}; please upgrade facilitator",
            found=found,
            supported=supported,
        )


class StorageUnavailable(StoreError):
    """The database file cannot be written (read-only, disk full, locked, I/O error).

    Nothing of a failed write was kept (its transaction was rolled back); reads keep working while
    the file is still readable. ``action`` says what could not be done, ``reason`` why.
    """

    reason: str
    action: str

    def __init__(self, reason: str, *, action: str = "save the change") -> None:
        super().__init__(
            StoreErrorCode.STORAGE_UNAVAILABLE,
            f"cannot {action}: {reason}",
            reason=reason,
            action=action,
        )


class UnknownSession(StoreError):
    """No session with this id was ever created in this database."""

    session_id: str

    def __init__(self, session_id: str) -> None:
        super().__init__(
            StoreErrorCode.UNKNOWN_SESSION,
            f"there is no session {session_id} in this database",
            session_id=session_id,
        )


class DuplicateSession(StoreError):
    """A SessionCreated would reuse a session id or a join code another session already has."""

    session_id: str
    field: str

    def __init__(self, session_id: str, field: str) -> None:
        super().__init__(
            StoreErrorCode.DUPLICATE_SESSION,
            f"cannot create session {session_id}: its {field} is already used by another session",
            session_id=session_id,
            field=field,
        )


class ConcurrencyConflict(StoreError):
    """The stream moved on since the caller read it (``expected_seq`` differs from the last seq)."""

    session_id: str
    expected_seq: int
    actual_seq: int

    def __init__(self, session_id: str, expected_seq: int, actual_seq: int) -> None:
        super().__init__(
            StoreErrorCode.CONCURRENCY_CONFLICT,
            f"session {session_id} is at event #{actual_seq}, not #{expected_seq} as expected",
            session_id=session_id,
            expected_seq=expected_seq,
            actual_seq=actual_seq,
        )


class SessionLive(StoreError):
    """Another process is running this session right now; ``owner`` says which and where
    (``None`` when its record could not be read, e.g. it is being written this very moment)."""

    session_id: str

    def __init__(self, session_id: str, owner: LiveOwner | None) -> None:
        where = "another process"
        if owner is not None:
            where = f"process {owner.pid} on {owner.hostname or '?'}"
            if owner.address:
                where += f", serving {owner.address} ({owner.url})"
            where += f", since {owner.started:%Y-%m-%d %H:%M}"
        super().__init__(
            StoreErrorCode.SESSION_LIVE,
            f"session {session_id} is already live in {where}",
            session_id=session_id,
        )
        self.owner = owner


class WaitStopped(Exception):
    """A standby was told to stop before the session it waited for became free (not a failure:
    the person stopped it)."""

    def __init__(self, session_id: str) -> None:
        super().__init__(f"stopped waiting for session {session_id}")
        self.session_id = session_id


_REASONS = {
    sqlite3.SQLITE_READONLY: "the database file is read-only",
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk reported an input/output error",
    sqlite3.SQLITE_BUSY: "the database is locked by another program",
    sqlite3.SQLITE_LOCKED: "the database is locked by another program",
    sqlite3.SQLITE_CANTOPEN: "the database file cannot be opened",
    sqlite3.SQLITE_PERM: "access to the database file was denied",
    sqlite3.SQLITE_CORRUPT: "the database file is damaged",
    sqlite3.SQLITE_NOTADB: "the file is not a facilitator database",
}


def raise_storage_error(error: sqlite3.Error, action: str) -> NoReturn:
    """Raise StorageUnavailable when the file or the disk is the problem (read-only, full, locked,
    I/O error); otherwise re-raise ``error`` itself: that is a bug, not the disk."""
    code = getattr(error, "sqlite_errorcode", None)
    reason = None if code is None else _REASONS.get(code & 0xFF)  # extended -> primary code
    if reason is None:
        raise error
    raise StorageUnavailable(reason, action=action) from error
