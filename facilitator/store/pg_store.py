"""The durable event log in PostgreSQL: the same contract as the SQLite store (sqlite.py).

An append is acknowledged when its COMMIT returns, with ``synchronous_commit`` on (the WAL is
flushed). Each stream is keyed ``(session_id, seq)``: two writers that read the same last seq
both try to insert the next one, the second waits for the first and then fails on the key, and
that becomes :class:`ConcurrencyConflict` — never a duplicate seq, never a gap. A batch is one
transaction (one WAL flush for many commands; pg_write.py). Each commit also sends ``NOTIFY
facilitator_events`` with ``<session id> <last seq>``: a wake-up hint for readers in other
processes (:func:`facilitator.store.pg_live.listen`), nothing depends on it for correctness.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg

from facilitator.session.events import Event
from facilitator.store.live import LiveClaim
from facilitator.store.owner import LiveOwner
from facilitator.store.pg_connect import (
    LOCK_TIMEOUT_MS,
    connect,
    pg_rows,
    raise_pg_error,
)
from facilitator.store.pg_live import (
    AdvisoryClaim,
    claim_advisory,
    current_holder,
    wait_advisory,
)
from facilitator.store.pg_schema import open_database
from facilitator.store.pg_write import Group, write_batch
from facilitator.store.portable import LOAD_EVENTS, SessionReads
from facilitator.store.schema import (
    StoredEvent,
    stored_events,
)

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PgEventStore(SessionReads):
    """An append-only log of events per session, in a PostgreSQL database.

    Like the SQLite store, one owner uses it at a time. A connection that breaks (the server
    restarted) fails the call in progress with :class:`StorageUnavailable`; the next call
    connects again.
    """

    NEWEST_FIRST = "ORDER BY created_at DESC, n DESC"
    JOIN_CODE_IS = "lower(join_code) = lower(?)"

    def __init__(
        self, conn: psycopg.Connection[Any], url: str, clock: Clock, lock_timeout_ms: int
    ) -> None:
        """Use :meth:`open`."""
        self._conn = conn
        self._clock = clock
        self._lock_timeout_ms = lock_timeout_ms
        self._claims: dict[str, AdvisoryClaim] = {}  # sessions this store's process holds
        self.location = url

    @classmethod
    def open(
        cls, url: str, *, clock: Clock | None = None, lock_timeout_ms: int = LOCK_TIMEOUT_MS
    ) -> PgEventStore:
        """Connect to the database at ``url`` and create or migrate its schema.

        Raises :class:`StorageUnavailable` (server down, bad password, no such database) and
        :class:`SchemaTooNew` (a database written by a newer version). A write that waits
        longer than ``lock_timeout_ms`` for another program's lock fails (pg_connect.connect).
        """
        conn = open_database(url, "open the event log", lock_timeout_ms=lock_timeout_ms)
        return cls(conn, url, clock or _utc_now, lock_timeout_ms)

    def close(self) -> None:
        self._conn.close()

    def claim_live(self, session_id: str, owner: LiveOwner) -> AbstractContextManager[LiveClaim]:
        """Hold ``session_id`` for this process (an advisory lock on a connection of its own);
        raises :class:`SessionLive` at once, naming the holder, when another process has it."""
        return self._held(claim_advisory(self.location, session_id, owner))

    def wait_live(
        self,
        session_id: str,
        owner: LiveOwner,
        *,
        stop: threading.Event | None = None,
        poll: float = 0.2,
    ) -> AbstractContextManager[LiveClaim]:
        """Wait until ``session_id`` is free, then hold it as :meth:`claim_live` does; raises
        :class:`~facilitator.store.errors.WaitStopped` promptly once ``stop`` (a
        ``threading.Event``) is set."""
        return self._held(wait_advisory(self.location, session_id, owner, stop=stop, poll=poll))

    @contextmanager
    def _held(self, claiming: AbstractContextManager[AdvisoryClaim]) -> Iterator[LiveClaim]:
        """The claim, known to this store's writes while it is held (fencing, pg_write.py)."""
        with claiming as claim:
            self._claims[claim.session_id] = claim
            try:
                yield claim
            finally:
                self._claims.pop(claim.session_id, None)

    def live_owner(self, session_id: str) -> LiveOwner | None:
        """Who serves ``session_id`` right now: the record of the backend holding its lock."""
        try:
            return current_holder(self._connection("read the live owners"), session_id)
        except psycopg.Error as error:
            raise_pg_error(error, "read the live owners")

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
        """Append ``events`` in one transaction; return the last seq (see EventStore.append)."""
        if not events:
            return self.last_seq(session_id)
        return self._write([(session_id, events, request_id, actor)], expected_seq)[0]

    def append_batch(self, batch: Sequence[Group]) -> list[int]:
        """Several commands' events in ONE transaction; all or nothing."""
        return self._write(batch, None)

    def _write(self, batch: Sequence[Group], expected: int | None) -> list[int]:
        conn = self._connection("save the change")
        return write_batch(conn, batch, expected, self._clock, self._claims)

    def _connection(self, action: str) -> psycopg.Connection[Any]:
        """The connection, made again if the last one broke (a server restart)."""
        if self._conn.broken or self._conn.closed:
            self._conn = connect(self.location, action, lock_timeout_ms=self._lock_timeout_ms)
        return self._conn

    # --- reading -------------------------------------------------------------------------------

    def load(self, session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]:
        """The session's events after ``after_seq``, in order (see EventStore.load)."""
        rows = self._read(LOAD_EVENTS, (session_id, after_seq))
        yield from stored_events(session_id, after_seq, rows)

    def _read(self, sql: str, params: tuple[object, ...]) -> list[Any]:
        action = "read the event log"
        return pg_rows(self._connection(action), sql, params, action)
