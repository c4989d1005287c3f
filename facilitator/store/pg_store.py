"""The durable event log in PostgreSQL: the same contract as the SQLite store (sqlite.py).

An append is acknowledged when its COMMIT returns, with ``synchronous_commit`` on (the WAL is
flushed). Each stream is keyed ``(session_id, seq)``: two writers that read the same last seq
both try to insert the next one, the second waits for the first and then fails on the key, and
that becomes :class:`ConcurrencyConflict` — never a duplicate seq, never a gap. A batch is one
transaction (one WAL flush for many commands). Each commit also sends ``NOTIFY
facilitator_events`` with ``<session id> <last seq>``: a wake-up hint for readers in other
processes (:func:`facilitator.store.pg_live.listen`), nothing depends on it for correctness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Self

import psycopg

from facilitator.session.events import Event, SessionCreated
from facilitator.session.values import Phase
from facilitator.store.codec import encode_event
from facilitator.store.errors import ConcurrencyConflict, DuplicateSession, UnknownSession
from facilitator.store.live import LiveClaim
from facilitator.store.owner import LiveOwner
from facilitator.store.pg_connect import (
    Adapter,
    connect,
    is_unique_violation,
    mask,
    raise_pg_error,
)
from facilitator.store.pg_live import CHANNEL, claim_advisory, wait_advisory
from facilitator.store.pg_schema import prepare
from facilitator.store.schema import (
    SESSION_COLUMNS,
    SessionInfo,
    StoredEvent,
    project,
    session_from_row,
    sortable,
    stored_events,
)

Clock = Callable[[], dt.datetime]
Group = tuple[str, Sequence[Event], str | None, str]
_NEWEST_FIRST = "ORDER BY created_at DESC, n DESC"
_DUPLICATES = {"sessions_pkey": "session id", "sessions_join_code": "join code"}
_INSERT = (
    "INSERT INTO events (session_id, seq, type, payload, recorded_at, request_id, actor)"
    " SELECT * FROM unnest(%b::text[], %b::int[], %b::text[], %b::text[], %b::text[],"
    " %b::text[], %b::text[])"  # binary: no escaping of the payloads' text
)
_KEY = re.compile(r"\(session_id, seq\)=\((?P<session>.*), (?P<seq>\d+)\)")


def _conflicting(error: psycopg.Error) -> str | None:
    """The session whose seq was taken, from the server's detail of the key violation."""
    found = _KEY.search(error.diag.message_detail or "")
    return found.group("session") if found else None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PgEventStore:
    """An append-only log of events per session, in a PostgreSQL database.

    Like the SQLite store, one owner uses it at a time. A connection that breaks (the server
    restarted) fails the call in progress with :class:`StorageUnavailable`; the next call
    connects again.
    """

    def __init__(self, conn: psycopg.Connection[Any], url: str, clock: Clock) -> None:
        """Use :meth:`open`."""
        self._conn = conn
        self._clock = clock
        self.location = url
        self._read_at: dict[str, int] = {}  # last seqs the write in progress read
        self._creating = ""  # the session the write in progress creates

    @classmethod
    def open(cls, url: str, *, clock: Clock | None = None) -> PgEventStore:
        """Connect to the database at ``url`` and create or migrate its schema.

        Raises :class:`StorageUnavailable` (server down, bad password, no such database) and
        :class:`SchemaTooNew` (a database written by a newer version).
        """
        conn = connect(url, "open the event log")
        try:
            prepare(conn)
        except psycopg.Error as error:
            conn.close()
            raise_pg_error(error, "open the event log")
        except BaseException:
            conn.close()
            raise
        return cls(conn, url, clock or _utc_now)

    @property
    def shown(self) -> str:
        """The URL without its password, for messages."""
        return mask(self.location)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def claim_live(self, session_id: str, owner: LiveOwner) -> AbstractContextManager[LiveClaim]:
        """Hold ``session_id`` for this process (an advisory lock on a connection of its own);
        raises :class:`SessionLive` at once, naming the holder, when another process has it."""
        return claim_advisory(self.location, session_id, owner)

    def wait_live(
        self,
        session_id: str,
        owner: LiveOwner,
        *,
        stop: Any = None,
        poll: float = 0.2,
    ) -> AbstractContextManager[LiveClaim]:
        """Wait until ``session_id`` is free, then hold it as :meth:`claim_live` does; raises
        :class:`SessionLive` promptly once ``stop`` (a ``threading.Event``) is set."""
        return wait_advisory(self.location, session_id, owner, stop=stop, poll=poll)

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
        encoded = [[encode_event(event) for event in events] for _, events, _, _ in batch]
        conn = self._connection("save the change")
        tops: dict[str, int] = {}  # each stream's last seq so far in this transaction
        self._read_at, self._creating = {}, ""
        rows: list[tuple[object, ...]] = []
        try:
            # a pipeline: the statements go out together, so a commit costs two round trips
            # (read the last seqs, then write + NOTIFY + COMMIT) whatever the batch's size
            with conn.pipeline(), conn.transaction():
                recorded_at = sortable(self._clock())
                lasts = [
                    self._append(
                        conn, group, payloads, recorded_at, expected=expected, tops=tops, rows=rows
                    )
                    for group, payloads in zip(batch, encoded, strict=True)
                ]
                if rows:  # one statement for the whole batch: its columns as arrays
                    conn.execute(_INSERT, [list(column) for column in zip(*rows, strict=True)])
                for session_id in dict.fromkeys(str(row[0]) for row in rows):
                    payload = f"{session_id} {tops[session_id]}"
                    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            return lasts  # committed: acknowledged from here on
        except psycopg.Error as error:
            if is_unique_violation(error, "events_pkey"):  # another writer took that seq
                session_id = _conflicting(error) or next(iter(self._read_at), "")
                read = self._read_at.get(session_id, 0)
                raise ConcurrencyConflict(session_id, read, self.last_seq(session_id)) from None
            for constraint, field in _DUPLICATES.items():
                if is_unique_violation(error, constraint):
                    raise DuplicateSession(self._creating, field) from None
            raise_pg_error(error, "save the change")

    def _append(
        self,
        conn: psycopg.Connection[Any],
        group: Group,
        payloads: list[tuple[str, str]],
        recorded_at: str,
        *,
        expected: int | None,
        tops: dict[str, int],
        rows: list[tuple[object, ...]],
    ) -> int:
        session_id, events, request_id, actor = group
        last = tops.get(session_id)
        if last is None:
            sql = "SELECT max(seq) FROM events WHERE session_id = %s"
            found = conn.execute(sql, (session_id,)).fetchone()
            last = tops[session_id] = self._read_at[session_id] = (found[0] if found else 0) or 0
        if expected is not None and expected != last:
            raise ConcurrencyConflict(session_id, expected, last)
        if not events:
            return last
        if last == 0 and not isinstance(events[0], SessionCreated):
            raise UnknownSession(session_id)
        adapter = Adapter(conn)
        for event in events:  # before the rows: an event row needs its session row
            if isinstance(event, SessionCreated):
                self._creating = session_id
            project(adapter, session_id, event)
        rows += [
            (session_id, last + offset, name, payload, recorded_at, request_id, actor)
            for offset, (name, payload) in enumerate(payloads, start=1)
        ]
        tops[session_id] = last + len(payloads)
        return tops[session_id]

    def _connection(self, action: str) -> psycopg.Connection[Any]:
        """The connection, made again if the last one broke (a server restart)."""
        if self._conn.broken or self._conn.closed:
            self._conn = connect(self.location, action)
        return self._conn

    # --- reading -------------------------------------------------------------------------------

    def load(self, session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]:
        """The session's events after ``after_seq``, in order (see EventStore.load)."""
        rows = self._read(
            "SELECT seq, type, payload, request_id, actor, recorded_at FROM events"
            " WHERE session_id = %s AND seq > %s ORDER BY seq",
            (session_id, after_seq),
        )
        yield from stored_events(session_id, after_seq, rows)

    def last_seq(self, session_id: str) -> int:
        row = self._read("SELECT max(seq) FROM events WHERE session_id = %s", (session_id,))
        return int(row[0][0] or 0)

    def sessions(self) -> list[SessionInfo]:
        rows = self._read(f"SELECT {SESSION_COLUMNS} FROM sessions {_NEWEST_FIRST}", ())
        return [session_from_row(row) for row in rows]

    def get_session(self, session_id: str) -> SessionInfo:
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE session_id = %s"
        rows = self._read(sql, (session_id,))
        if not rows:
            raise UnknownSession(session_id)
        return session_from_row(rows[0])

    def find_session(self, code: str) -> SessionInfo | None:
        """As EventStore.find_session: the join code in any letter case, else the newest
        session not yet closed with this numeric code."""
        code = code.strip()
        if not code:
            return None
        select = f"SELECT {SESSION_COLUMNS} FROM sessions"
        rows = self._read(f"{select} WHERE lower(join_code) = lower(%s)", (code,))
        if not rows:
            where = "WHERE numeric_code = %s AND phase != %s"
            sql = f"{select} {where} {_NEWEST_FIRST} LIMIT 1"
            rows = self._read(sql, (code, Phase.CLOSED.value))
        return session_from_row(rows[0]) if rows else None

    def recent_request_ids(self, session_id: str, limit: int = 10000) -> list[tuple[str, int]]:
        rows = self._read(
            "SELECT request_id, max(seq) AS last FROM events"
            " WHERE session_id = %s AND request_id IS NOT NULL"
            " GROUP BY request_id ORDER BY last DESC LIMIT %s",
            (session_id, limit),
        )
        return [(request_id, seq) for request_id, seq in reversed(rows)]

    def _read(self, sql: str, params: tuple[object, ...]) -> list[Any]:
        try:
            return self._connection("read the event log").execute(sql.encode(), params).fetchall()
        except psycopg.Error as error:
            raise_pg_error(error, "read the event log")
