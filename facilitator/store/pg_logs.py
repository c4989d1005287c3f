"""The ledger-only updates and the places' intake streams in PostgreSQL: the same contract as
ledger_log.LedgerLog and place_log.PlaceLog, in the tables pg_schema.py creates.

Each has its own connection (the event store's belongs to its owner), made again on the next
call after it broke (a server restart), as the event store's is. An intake stream is keyed
``(place_id, seq)`` like a session's: a writer that read an old last seq fails on the key with
:class:`ConcurrencyConflict` instead of writing a duplicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from facilitator.intake import INTAKE_EVENT_TYPES, IntakeEvent
from facilitator.ledger import LedgerUpdate
from facilitator.store.codec import encode_record
from facilitator.store.errors import ConcurrencyConflict, DuplicateSession
from facilitator.store.ledger_log import INSERT, LedgerTable, update_row
from facilitator.store.pg_connect import (
    connect,
    is_unique_violation,
    pg_rows,
    pg_sql,
    raise_pg_error,
)
from facilitator.store.pg_schema import open_database
from facilitator.store.place_log import INSERT as INSERT_EVENTS
from facilitator.store.place_log import LAST_SEQ, PlaceStreams, check_stream, event_rows
from facilitator.store.portable import ClosesOnExit


class _PgLog(ClosesOnExit):
    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self._conn = conn
        self.location = url

    def close(self) -> None:
        self._conn.close()

    def _connection(self, action: str) -> psycopg.Connection[Any]:
        """The connection, made again if the last one broke (a server restart)."""
        if self._conn.broken or self._conn.closed:
            self._conn = connect(self.location, action)
        return self._conn

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        return pg_rows(self._connection(action), sql, params, action)


class PgLedgerLog(_PgLog, LedgerTable):
    """The append-only table of ledger-only updates in a PostgreSQL database."""

    @classmethod
    def open(cls, url: str) -> PgLedgerLog:
        return cls(open_database(url, "open the action ledger"), url)

    def append(self, update: LedgerUpdate) -> None:
        """Store ``update``; returns once it is committed."""
        try:
            self._connection("save the ledger update").execute(pg_sql(INSERT), update_row(update))
        except psycopg.Error as error:
            raise_pg_error(error, "save the ledger update")


class PgPlaceLog(_PgLog, PlaceStreams):
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
        conn = self._connection("save the request")
        try:
            with conn.transaction():
                found = conn.execute(pg_sql(LAST_SEQ), (place_id,)).fetchone()
                last = (found[0] if found else 0) or 0
                check_stream(place_id, events, last, expected_seq)
                with conn.cursor() as cursor:
                    params = event_rows(place_id, last, rows, request_id, actor)
                    cursor.executemany(pg_sql(INSERT_EVENTS), params)
        except psycopg.Error as error:
            if is_unique_violation(error, "place_events_pkey"):
                now = self._rows(LAST_SEQ, (place_id,), "save the request")[0][0] or 0
                if last == 0 and rows and rows[0][0] == "PlaceCreated":
                    raise DuplicateSession(place_id, "place id") from None
                raise ConcurrencyConflict(place_id, last, now) from None
            raise_pg_error(error, "save the request")
        return last + len(rows)
