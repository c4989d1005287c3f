"""What the SQLite and PostgreSQL backends share: the query text and what is made of its rows.

Every store class writes its SQL once, with ``?`` placeholders. A backend supplies only what
really differs: how a statement runs (``_read`` here, ``_rows`` in place_log.py and
ledger_log.py), how a transaction is made and how the driver's errors become the store's own.
PostgreSQL takes ``%s`` for ``?`` (:func:`facilitator.store.pg_connect.pg_sql` rewrites the text;
no query of the store has a ``?`` of its own).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar, Self

from facilitator.session.values import Phase
from facilitator.store.errors import UnknownSession
from facilitator.store.schema import SESSION_COLUMNS, SessionInfo, session_from_row

LOAD_EVENTS = (
    "SELECT seq, type, payload, request_id, actor, recorded_at FROM events"
    " WHERE session_id = ? AND seq > ? ORDER BY seq"
)
"""A session's events after a seq, as :func:`facilitator.store.schema.stored_events` reads them."""


class ClosesOnExit:
    """A store used as a context manager: the ``with`` block ends with :meth:`close`."""

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SessionReads(ClosesOnExit):
    """The event log's queries on sessions and seqs, for both backends (see EventLog)."""

    NEWEST_FIRST: ClassVar[str]
    """The ORDER BY of "newest session first"; the tie-breaker is the backend's row order."""
    JOIN_CODE_IS: ClassVar[str]
    """The WHERE that matches a join code in any letter case."""

    def _read(self, sql: str, params: tuple[object, ...]) -> list[Any]:
        """The rows of ``sql``; a failure of the database is :class:`StorageUnavailable`."""
        raise NotImplementedError

    def last_seq(self, session_id: str) -> int:
        """The seq of the session's last event; 0 when it has none."""
        row = self._read("SELECT max(seq) FROM events WHERE session_id = ?", (session_id,))
        return int(row[0][0] or 0)

    def sessions(self) -> list[SessionInfo]:
        """Every session in the database, newest first."""
        rows = self._read(f"SELECT {SESSION_COLUMNS} FROM sessions {self.NEWEST_FIRST}", ())
        return [session_from_row(row) for row in rows]

    def get_session(self, session_id: str) -> SessionInfo:
        """The session with this id; raises :class:`UnknownSession`."""
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE session_id = ?"
        rows = self._read(sql, (session_id,))
        if not rows:
            raise UnknownSession(session_id)
        return session_from_row(rows[0])

    def find_session(self, code: str) -> SessionInfo | None:
        """The session a typed or scanned code points at: its join code (any letter case), else
        the newest session not yet closed with this numeric code."""
        code = code.strip()
        if not code:
            return None
        select = f"SELECT {SESSION_COLUMNS} FROM sessions"
        rows = self._read(f"{select} WHERE {self.JOIN_CODE_IS}", (code,))
        if not rows:
            where = "WHERE numeric_code = ? AND phase != ?"
            sql = f"{select} {where} {self.NEWEST_FIRST} LIMIT 1"
            rows = self._read(sql, (code, Phase.CLOSED.value))
        return session_from_row(rows[0]) if rows else None

    def recent_request_ids(self, session_id: str, limit: int = 10000) -> list[tuple[str, int]]:
        """(request_id, last seq it produced) of the session's latest requests, newest last."""
        rows = self._read(
            "SELECT request_id, max(seq) AS last FROM events"
            " WHERE session_id = ? AND request_id IS NOT NULL"
            " GROUP BY request_id ORDER BY last DESC LIMIT ?",
            (session_id, limit),
        )
        return [(request_id, seq) for request_id, seq in reversed(rows)]
