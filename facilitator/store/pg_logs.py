"""The ledger-only updates and the places' intake streams in PostgreSQL: the same contract as
ledger_log.LedgerLog and place_log.PlaceLog, in the tables pg_schema.py creates.

Each has its own connection (the event store's belongs to its owner), made again on the next
call after it broke (a server restart), as the event store's is. An intake stream is keyed
``(place_id, seq)`` like a session's: a writer that read an old last seq fails on the key with
:class:`ConcurrencyConflict` instead of writing a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import psycopg

from facilitator.intake import INTAKE_EVENT_TYPES, IntakeEvent
from facilitator.ledger import LedgerUpdate
from facilitator.store.codec import encode_record
from facilitator.store.errors import ConcurrencyConflict, DuplicateSession
from facilitator.store.ledger_log import COLUMNS, row_update, update_row
from facilitator.store.pg_connect import connect, is_unique_violation, raise_pg_error
from facilitator.store.pg_schema import open_database
from facilitator.store.place_log import StoredIntakeEvent, check_stream, stored_intake
from facilitator.store.schema import sortable


class _PgLog:
    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self._conn = conn
        self.location = url

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

    def _connection(self, action: str) -> psycopg.Connection[Any]:
        """The connection, made again if the last one broke (a server restart)."""
        if self._conn.broken or self._conn.closed:
            self._conn = connect(self.location, action)
        return self._conn

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        try:
            return self._connection(action).execute(sql.encode(), params).fetchall()
        except psycopg.Error as error:
            raise_pg_error(error, action)


class PgLedgerLog(_PgLog):
    """The append-only table of ledger-only updates in a PostgreSQL database."""

    @classmethod
    def open(cls, url: str) -> PgLedgerLog:
        return cls(open_database(url, "open the action ledger"), url)

    def append(self, update: LedgerUpdate) -> None:
        """Store ``update``; returns once it is committed."""
        sql = f"INSERT INTO ledger_updates ({COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
        try:
            self._connection("save the ledger update").execute(sql.encode(), update_row(update))
        except psycopg.Error as error:
            raise_pg_error(error, "save the ledger update")

    def updates(self) -> list[LedgerUpdate]:
        """Every update, in the order they were stored."""
        sql = f"SELECT {COLUMNS} FROM ledger_updates ORDER BY id"
        return [row_update(row) for row in self._rows(sql, (), "read the action ledger")]


class PgPlaceLog(_PgLog):
    """Append-only intake streams, one per place, in a PostgreSQL database."""

    @classmethod
    def open(cls, url: str) -> PgPlaceLog:
        return cls(open_database(url, "open the places' intake"), url)

    def append(
        self,
        place_id: str,
        events: Sequence[IntakeEvent],
        *,
        request_id: str | None = None,
        actor: str = "staff",
        expected_seq: int | None = None,
    ) -> int:
        """Store ``events`` at the end of the place's stream (see PlaceLog.append)."""
        rows = [encode_record(event, dict(INTAKE_EVENT_TYPES)) for event in events]
        last = 0
        sql = "SELECT max(seq) FROM place_events WHERE place_id = %s"
        conn = self._connection("save the request")
        try:
            with conn.transaction():
                found = conn.execute(sql, (place_id,)).fetchone()
                last = (found[0] if found else 0) or 0
                check_stream(place_id, events, last, expected_seq)
                recorded_at = sortable(dt.datetime.now(dt.UTC))
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO place_events (place_id, seq, type, payload, recorded_at,"
                        " request_id, actor) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [
                            (place_id, last + n, name, payload, recorded_at, request_id, actor)
                            for n, (name, payload) in enumerate(rows, start=1)
                        ],
                    )
        except psycopg.Error as error:
            if is_unique_violation(error, "place_events_pkey"):
                now = self._rows(sql, (place_id,), "save the request")[0][0] or 0
                if last == 0 and rows and rows[0][0] == "PlaceCreated":
                    raise DuplicateSession(place_id, "place id") from None
                raise ConcurrencyConflict(place_id, last, now) from None
            raise_pg_error(error, "save the request")
        return last + len(rows)

    def load(self, place_id: str, *, after_seq: int = 0) -> list[StoredIntakeEvent]:
        rows = self._rows(
            "SELECT seq, type, payload, request_id, actor FROM place_events"
            " WHERE place_id = %s AND seq > %s ORDER BY seq",
            (place_id, after_seq),
            "read the places' intake",
        )
        return stored_intake(place_id, after_seq, rows)

    def places(self) -> list[str]:
        rows = self._rows(
            "SELECT place_id FROM place_events WHERE seq = 1 ORDER BY recorded_at, place_id",
            (),
            "read the places' intake",
        )
        return [row[0] for row in rows]
