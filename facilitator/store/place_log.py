"""The places' intake streams (碼上議), in the same SQLite file as the sessions' event log.

Each place has its own stream of intake events, numbered 1, 2, 3 … like a session's, with the same
guarantees: an append returns only after COMMIT (``synchronous=FULL``: on disk), a failure leaves
nothing half-written, and the stream replays to exactly the live state. The table is created with
``CREATE TABLE IF NOT EXISTS`` on first use, so an older file simply gains it; it has its own
connection, as the sessions' store belongs to its owner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from facilitator.intake import INTAKE_EVENT_TYPES, IntakeEvent
from facilitator.intake.events import PlaceCreated
from facilitator.store.codec import decode_record, encode_record
from facilitator.store.errors import (
    ConcurrencyConflict,
    CorruptEvent,
    DuplicateSession,
    UnknownSession,
    raise_storage_error,
)
from facilitator.store.portable import ClosesOnExit
from facilitator.store.schema import sortable, sqlite_rows, write_transaction

_CREATE = """CREATE TABLE IF NOT EXISTS place_events (
    place_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    request_id  TEXT,
    actor       TEXT NOT NULL,
    PRIMARY KEY (place_id, seq)
) WITHOUT ROWID"""


@dataclasses.dataclass(frozen=True, slots=True)
class StoredIntakeEvent:
    place_id: str
    seq: int
    event: IntakeEvent
    request_id: str | None
    actor: str


def check_stream(
    place_id: str, events: Sequence[IntakeEvent], last: int, expected_seq: int | None
) -> None:
    """Refuse an append to a stream at ``last`` (both backends): a writer that fell behind, a
    stream that does not start with ``PlaceCreated``, a second ``PlaceCreated``."""
    if expected_seq is not None and expected_seq != last:
        raise ConcurrencyConflict(place_id, expected_seq, last)
    created = [isinstance(event, PlaceCreated) for event in events]
    if last == 0 and events and not created[0]:
        raise UnknownSession(place_id)
    if any(created[1:]) or (last and any(created)):
        raise DuplicateSession(place_id, "place id")


def stored_intake(
    place_id: str, after_seq: int, rows: Sequence[Sequence[Any]]
) -> list[StoredIntakeEvent]:
    """Rows of (seq, type, payload, request_id, actor) decoded; a gap or a bad row raises."""
    out = []
    for expected, (seq, name, payload, request_id, actor) in enumerate(rows, after_seq + 1):
        if seq != expected:
            raise CorruptEvent(place_id, expected, "missing from the stream")
        event = decode_record(name, payload, dict(INTAKE_EVENT_TYPES), stream=place_id, seq=seq)
        out.append(StoredIntakeEvent(place_id, seq, event, request_id, actor))
    return out


LAST_SEQ = "SELECT max(seq) FROM place_events WHERE place_id = ?"
INSERT = (
    "INSERT INTO place_events (place_id, seq, type, payload, recorded_at, request_id, actor)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def event_rows(
    place_id: str, last: int, rows: Sequence[tuple[str, str]], request_id: str | None, actor: str
) -> list[tuple[object, ...]]:
    """The :data:`INSERT` parameters of encoded events appended after seq ``last``, now."""
    recorded_at = sortable(dt.datetime.now(dt.UTC))
    return [
        (place_id, last + n, name, payload, recorded_at, request_id, actor)
        for n, (name, payload) in enumerate(rows, start=1)
    ]


class PlaceStreams(ClosesOnExit):
    """The reading of the intake streams, for both backends (the IntakeLog of protocols.py); a
    backend says how a query runs (``_rows``) and how an append commits."""

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        """The rows of ``sql``; a failure of the database is :class:`StorageUnavailable`."""
        raise NotImplementedError

    def load(self, place_id: str, *, after_seq: int = 0) -> list[StoredIntakeEvent]:
        """The place's stream after ``after_seq``, in order; a gap or a row that does not decode
        raises."""
        rows = self._rows(
            "SELECT seq, type, payload, request_id, actor FROM place_events"
            " WHERE place_id = ? AND seq > ? ORDER BY seq",
            (place_id, after_seq),
            "read the places' intake",
        )
        return stored_intake(place_id, after_seq, rows)

    def places(self) -> list[str]:
        """Every place id with a stream, in the order they were created."""
        rows = self._rows(
            "SELECT place_id FROM place_events WHERE seq = 1 ORDER BY recorded_at, place_id",
            (),
            "read the places' intake",
        )
        return [row[0] for row in rows]


class PlaceLog(PlaceStreams):
    """Append-only intake streams, one per place, in an SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        """Use :meth:`open`."""
        self._conn = conn
        self.path = path

    @property
    def location(self) -> str:
        """The database file, as text (what :func:`facilitator.store.backend.open_place_log`
        takes)."""
        return str(self.path)

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> PlaceLog:
        """Open (creating when needed) the database at ``path`` and the intake table."""
        where = Path(path).expanduser()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(where, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(_CREATE)
        except sqlite3.Error as error:
            raise_storage_error(error, "open the places' intake")
        except OSError as error:
            raise_storage_error(sqlite3.OperationalError(str(error)), "open the places' intake")
        return cls(conn, where)

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: tuple[object, ...], action: str) -> list[Any]:
        return sqlite_rows(self._conn, sql, params, action)

    def append(
        self,
        place_id: str,
        events: Sequence[IntakeEvent],
        *,
        request_id: str | None = None,
        actor: str = "staff",
        expected_seq: int | None = None,
    ) -> int:
        """Store ``events`` at the end of the place's stream; returns its last seq once committed.

        A stream must start with ``PlaceCreated`` (else :class:`UnknownSession`); a second one is
        :class:`DuplicateSession`; ``expected_seq`` guards against a writer that fell behind.
        """
        rows = [encode_record(event, dict(INTAKE_EVENT_TYPES)) for event in events]
        with write_transaction(self._conn, "save the request"):
            last: int = self._conn.execute(LAST_SEQ, (place_id,)).fetchone()[0] or 0
            check_stream(place_id, events, last, expected_seq)
            self._conn.executemany(INSERT, event_rows(place_id, last, rows, request_id, actor))
        return last + len(rows)
