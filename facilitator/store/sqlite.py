"""The durable event log: every session's events in one SQLite file.

An append is acknowledged when its COMMIT returns. With ``journal_mode=WAL`` and
``synchronous=FULL`` that COMMIT has fsynced the write-ahead log, so the events survive a killed
process and a laptop whose battery dies a moment later (docs/store.md has the details).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from facilitator.session.events import Event, SessionCreated
from facilitator.store.codec import encode_event
from facilitator.store.errors import (
    ConcurrencyConflict,
    StorageUnavailable,
    UnknownSession,
    raise_storage_error,
)
from facilitator.store.live import LiveClaim, claim_file, current_owner, lock_path, wait_file
from facilitator.store.owner import LiveOwner
from facilitator.store.portable import LOAD_EVENTS, SessionReads
from facilitator.store.schema import (
    StoredEvent,
    prepare,
    project,
    sortable,
    sqlite_rows,
    stored_events,
    write_transaction,
)

Clock = Callable[[], dt.datetime]
Group = tuple[str, Sequence[Event], str | None, str]
"""One command's events in a batch: (session_id, events, request_id, actor)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EventStore(SessionReads):
    """An append-only log of events per session, in one SQLite file.

    Not thread-safe by design: one owner (the asyncio loop, or one worker thread it hands writes to)
    uses it at a time. The connection may move between threads, but calls must never overlap.
    """

    NEWEST_FIRST = "ORDER BY created_at DESC, rowid DESC"
    JOIN_CODE_IS = "join_code = ?"  # the column is NOCASE (schema.py)

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        """Use :meth:`open`; this wraps a connection that is already set up."""
        self._conn = conn
        self._clock = clock
        self.path = path

    @classmethod
    def open(
        cls, path: str | Path, *, clock: Clock | None = None, busy_timeout_ms: int = 5000
    ) -> EventStore:
        """Open (creating it and its folder if needed) the log at ``path``, migrating old schemas.

        Raises :class:`SchemaTooNew` for a file written by a newer version and
        :class:`StorageUnavailable` when the file cannot be created or opened.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as error:
            reason = f"{path} cannot be created or opened ({error})"
            raise StorageUnavailable(reason, action="open the event log") from error
        try:
            prepare(conn, busy_timeout_ms)
        except BaseException as error:
            conn.close()
            if isinstance(error, sqlite3.Error):
                if not os.access(path.parent, os.W_OK):
                    # SQLite only says "cannot open" when it cannot create its -wal/-shm files
                    # beside the database: name the real cause (a read-only folder or mount).
                    reason = "the database file is read-only"
                    raise StorageUnavailable(reason, action="open the event log") from error
                raise_storage_error(error, "open the event log")
            raise
        return cls(conn, path, clock or _utc_now)

    @property
    def location(self) -> str:
        """The database file, as text (what the ``open_*`` functions of backend.py take)."""
        return str(self.path)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    def claim_live(self, session_id: str, owner: LiveOwner) -> AbstractContextManager[LiveClaim]:
        """Hold ``session_id`` for this process while the ``with`` block runs: one process per
        live session. Raises :class:`SessionLive` at once, naming the holder, when another
        process has it; a holder that died (even by kill -9) holds nothing (store/live.py)."""
        return claim_file(lock_path(self.path, session_id), session_id, owner)

    def wait_live(
        self,
        session_id: str,
        owner: LiveOwner,
        *,
        stop: threading.Event | None = None,
        poll: float = 0.2,
    ) -> AbstractContextManager[LiveClaim]:
        """As :meth:`claim_live`, but a session held elsewhere is waited for (a standby): the
        claim is taken within ``poll`` seconds of its holder's end, however it ended. Setting
        ``stop`` ends the wait with :class:`~facilitator.store.live.WaitStopped`. Blocks: call
        it from a thread, not the event loop."""
        return wait_file(lock_path(self.path, session_id), session_id, owner, stop=stop, poll=poll)

    def live_owner(self, session_id: str) -> LiveOwner | None:
        """Who serves ``session_id`` right now, as its claim records it; ``None`` when nobody
        does (or the holder's record cannot be read yet)."""
        return current_owner(lock_path(self.path, session_id))

    # --- writing -------------------------------------------------------------------------------

    def append(
        self,
        session_id: str,
        events: Sequence[Event],
        *,
        expected_seq: int | None = None,
        request_id: str | None = None,
        actor: str = "",
    ) -> int:
        """Append ``events`` to the session's stream in one transaction; return the last seq.

        The first event of a new session must be its ``SessionCreated``. Raises
        :class:`ConcurrencyConflict` when ``expected_seq`` is given and the stream is elsewhere.
        No events: nothing is written or checked; the current last seq is returned.
        """
        if not events:
            return self.last_seq(session_id)
        rows = [encode_event(event) for event in events]  # before BEGIN: keep the lock short
        with self._transaction() as recorded_at:
            group = (session_id, events, request_id, actor)
            return self._append(group, rows, recorded_at, expected_seq)

    def append_batch(self, batch: Sequence[Group]) -> list[int]:
        """Append several commands' events in ONE transaction (one fsync); the last seq per group.

        All or nothing: if any group fails, no group is stored.
        """
        encoded = [[encode_event(event) for event in events] for _, events, _, _ in batch]
        with self._transaction() as recorded_at:
            return [
                self._append(group, rows, recorded_at, None)
                for group, rows in zip(batch, encoded, strict=True)
            ]

    @contextmanager
    def _transaction(self) -> Iterator[str]:
        """One write transaction (schema.write_transaction), yielding its recorded_at."""
        with write_transaction(self._conn, "save the change"):
            yield sortable(self._clock())

    def _append(
        self, group: Group, rows: list[tuple[str, str]], recorded_at: str, expected: int | None
    ) -> int:
        session_id, events, request_id, actor = group
        sql = "SELECT max(seq) FROM events WHERE session_id = ?"
        last: int = self._conn.execute(sql, (session_id,)).fetchone()[0] or 0
        if expected is not None and expected != last:
            raise ConcurrencyConflict(session_id, expected, last)
        if not events:
            return last
        if last == 0 and not isinstance(events[0], SessionCreated):
            raise UnknownSession(session_id)
        for event in events:  # before the rows: an event row needs its session row
            project(self._conn, session_id, event)
        self._conn.executemany(
            "INSERT INTO events (session_id, seq, type, payload, recorded_at, request_id, actor)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (session_id, last + offset, name, payload, recorded_at, request_id, actor)
                for offset, (name, payload) in enumerate(rows, start=1)
            ],
        )
        return last + len(rows)

    # --- reading -------------------------------------------------------------------------------

    def load(self, session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]:
        """The session's events after ``after_seq``, in order, streamed from the database.

        Raises :class:`CorruptEvent` on a gap in the seq numbers or a row that does not decode, and
        :class:`UnknownEventType` for a type this version does not know: never a silent skip.
        """
        try:
            cursor = self._conn.execute(LOAD_EVENTS, (session_id, after_seq))
            # In batches: one call into SQLite per few hundred rows instead of one per row.
            rows = (row for batch in iter(lambda: cursor.fetchmany(512), []) for row in batch)
            yield from stored_events(session_id, after_seq, rows)
        except sqlite3.Error as error:
            raise_storage_error(error, "read the event log")

    def _read(self, sql: str, params: tuple[object, ...]) -> list[Any]:
        return sqlite_rows(self._conn, sql, params, "read the event log")
