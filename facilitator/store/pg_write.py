"""Writing a batch of commands' events to PostgreSQL in one transaction (pg_store.py's appends).

The transaction runs in psycopg's pipeline mode, so it costs two round trips whatever the batch's
size: one reads the last seq of each stream the batch writes, the next sends the projection's
updates, one ``INSERT … SELECT * FROM unnest(…)`` of every row (binary arrays: no escaping of the
payloads), one ``NOTIFY`` per stream and the ``COMMIT``. Key violations become the store's errors:
``events_pkey`` (another writer took the seq) is :class:`ConcurrencyConflict`, ``sessions_pkey``
and ``sessions_join_code`` are :class:`DuplicateSession`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from facilitator.session.events import Event, SessionCreated
from facilitator.store.codec import encode_event
from facilitator.store.errors import (
    ConcurrencyConflict,
    DuplicateSession,
    SessionLive,
    UnknownSession,
)
from facilitator.store.pg_connect import Adapter, is_unique_violation, raise_pg_error
from facilitator.store.pg_live import (
    CHANNEL,
    HOLDER_PID,
    AdvisoryClaim,
    holder,
    lock_keys,
    write_key,
)
from facilitator.store.schema import project, sortable

Group = tuple[str, Sequence[Event], str | None, str]
_DUPLICATES = {"sessions_pkey": "session id", "sessions_join_code": "join code"}
_INSERT = (
    "INSERT INTO events (session_id, seq, type, payload, recorded_at, request_id, actor)"
    " SELECT * FROM unnest(%b::text[], %b::int[], %b::text[], %b::text[], %b::text[],"
    " %b::text[], %b::text[])"
)
_KEY = re.compile(r"\(session_id, seq\)=\((?P<session>.*), (?P<seq>\d+)\)")
_LAST = "SELECT max(seq) FROM events WHERE session_id = %s"
_LAST_AND_HOLDER = f"SELECT ({_LAST}), ({HOLDER_PID})"


class _Fenced(Exception):
    """This process's claim on the session is gone and another process holds it."""


@dataclass
class _Batch:
    """One transaction's work: the rows to insert and what was read on the way."""

    recorded_at: str
    expected: int | None
    claims: Mapping[str, AdvisoryClaim]
    tops: dict[str, int] = field(default_factory=dict)  # each stream's last seq so far
    read_at: dict[str, int] = field(default_factory=dict)  # the last seqs read from the table
    creating: str = ""  # the session a SessionCreated of the batch creates
    rows: list[tuple[object, ...]] = field(default_factory=list)


def write_batch(
    conn: psycopg.Connection[Any],
    batch: Sequence[Group],
    expected: int | None,
    clock: Callable[[], dt.datetime],
    claims: Mapping[str, AdvisoryClaim],
) -> list[int]:
    """Store every group of ``batch`` in one transaction; the last seq per group once committed.

    ``expected`` (a one-group batch only) is the seq the caller believes its stream is at. A
    session this process holds in ``claims`` is written only while its lock is still the
    claim's (fencing); a claim whose connection broke is taken back first if it is free, else
    the write is refused with :class:`SessionLive` naming the process that has it now.
    """
    encoded = [[encode_event(event) for event in events] for _, events, _, _ in batch]
    work = _Batch(sortable(clock()), expected, claims)
    try:
        with conn.pipeline(), conn.transaction():
            lasts = [
                _group(conn, work, group, payloads)
                for group, payloads in zip(batch, encoded, strict=True)
            ]
            if work.rows:
                conn.execute(_INSERT, [list(column) for column in zip(*work.rows, strict=True)])
            for session_id in dict.fromkeys(str(row[0]) for row in work.rows):
                payload = f"{session_id} {work.tops[session_id]}"
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        return lasts  # committed: acknowledged from here on
    except _Fenced as fenced:
        session_id = str(fenced.args[0])
        raise SessionLive(session_id, holder(conn, session_id)) from None
    except psycopg.Error as error:
        if is_unique_violation(error, "events_pkey"):  # another writer took that seq
            found = _KEY.search(error.diag.message_detail or "")
            session_id = found.group("session") if found else next(iter(work.read_at), "")
            now = conn.execute(_LAST, (session_id,)).fetchone()
            actual = int((now[0] if now else 0) or 0)
            raise ConcurrencyConflict(session_id, work.read_at.get(session_id, 0), actual) from None
        for constraint, name in _DUPLICATES.items():
            if is_unique_violation(error, constraint):
                raise DuplicateSession(work.creating, name) from None
        raise_pg_error(error, "save the change")


def _group(
    conn: psycopg.Connection[Any], work: _Batch, group: Group, payloads: list[tuple[str, str]]
) -> int:
    session_id, events, request_id, actor = group
    last = work.tops.get(session_id)
    if last is None:
        claim = work.claims.get(session_id)
        if claim is None:
            found = conn.execute(_LAST, (session_id,)).fetchone()
        else:  # fencing: hold the write key until COMMIT, then check the lock is the claim's
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (write_key(session_id),))
            keys = lock_keys(session_id)
            found = conn.execute(_LAST_AND_HOLDER.encode(), (session_id, *keys)).fetchone()
            if found is not None and found[1] != claim.backend and not claim.retake():
                raise _Fenced(session_id)
        last = work.tops[session_id] = work.read_at[session_id] = int(
            (found[0] if found else 0) or 0
        )
    if work.expected is not None and work.expected != last:
        raise ConcurrencyConflict(session_id, work.expected, last)
    if not events:
        return last
    if last == 0 and not isinstance(events[0], SessionCreated):
        raise UnknownSession(session_id)
    adapter = Adapter(conn)
    for event in events:  # before the rows: an event row needs its session row
        if isinstance(event, SessionCreated):
            work.creating = session_id
        project(adapter, session_id, event)
    work.rows += [
        (session_id, last + offset, name, payload, work.recorded_at, request_id, actor)
        for offset, (name, payload) in enumerate(payloads, start=1)
    ]
    work.tops[session_id] = last + len(payloads)
    return work.tops[session_id]
