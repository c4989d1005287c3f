"""One process per live session on PostgreSQL: a session-level advisory lock held on a connection
of its own, and the ``LISTEN`` side of the append's wake-up hint.

The lock key is two int4 taken from a BLAKE2b hash of the session id (62 bits): stable across
processes, versions and machines. Two sessions whose ids hash alike would exclude each other — a
refusal, never two owners of one session; at 62 bits that is not expected to happen. The holder
writes its :class:`LiveOwner` to ``live_owners`` beside its backend pid; a refused process reads
the record of the backend that ``pg_locks`` says holds the key, so it names the real holder even
if a dead owner's record is still there. When the owner dies the server sees its connection end
and frees the lock (at once for a killed process; within about 11 s over TCP for a machine that
lost power or its network, see ``_DEAD_PEER``); the next process takes it and overwrites the row.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg

from facilitator.store.errors import SessionLive, StorageUnavailable, WaitStopped
from facilitator.store.owner import LiveOwner
from facilitator.store.pg_connect import connect, raise_pg_error

CHANNEL = "facilitator_events"
_ACTION = "claim the session"
_READ_TRIES = 20  # a holder writes its record right after locking; give it that moment
_READ_PAUSE_S = 0.01
# The server frees the lock when it sees the claim's connection end. A killed process closes its
# socket at once; a machine that loses power or its network sends nothing, and the server would
# notice only after the kernel's keepalive default (two hours). On TCP these settings of the
# claim's own backend make it probe an idle owner after 5 s and give up after about 11 s (or once
# 10 s of unacknowledged data), so a standby can take over; on a unix socket they do nothing.
_DEAD_PEER = (
    ("tcp_keepalives_idle", 5),
    ("tcp_keepalives_interval", 2),
    ("tcp_keepalives_count", 3),
    ("tcp_user_timeout", 10000),
)


HOLDER_PID = (
    "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
    " AND l.objsubid = 2 AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
"""The server process holding a session's lock, given its two keys (none when it is free)."""


def lock_keys(session_id: str) -> tuple[int, int]:
    """The two non-negative int4 of ``session_id``'s advisory lock."""
    digest = hashlib.blake2b(session_id.encode("utf-8"), digest_size=8).digest()
    high, low = int.from_bytes(digest[:4], "big"), int.from_bytes(digest[4:], "big")
    return high & 0x7FFFFFFF, low & 0x7FFFFFFF


class AdvisoryClaim:
    """A held advisory lock and the owner record beside it.

    ``backend`` is the server process of the connection that holds the lock: the store's writes
    check that it still does (pg_write.py), so an owner whose lock went with its connection (a
    database restart, a network cut) never writes beside a process that took the session over.
    """

    def __init__(
        self, conn: psycopg.Connection[Any], url: str, session_id: str, owner: LiveOwner
    ) -> None:
        self._conn, self.url, self.session_id, self._owner = conn, url, session_id, owner
        self.backend = conn.info.backend_pid
        self.announce(owner)

    def retake(self) -> bool:
        """The lock is no longer this claim's backend's (its connection ended: a database
        restart, a network cut): connect again and take the lock back if nobody took it
        meanwhile, then announce again. False when another process holds it."""
        self._conn.close()  # it may not know yet that its server process is gone
        conn = _claim_connection(self.url)
        try:
            if not _try_lock(conn, lock_keys(self.session_id)):
                conn.close()
                return False
            # (no draining: this process's own write, the one asking, is the only one in flight)
        except psycopg.Error:
            conn.close()
            return False
        self._conn, self.backend = conn, conn.info.backend_pid
        self.announce(self._owner)
        return True

    @property
    def owner(self) -> LiveOwner:
        return self._owner

    def announce(self, owner: LiveOwner) -> None:
        self._owner = owner
        try:
            self._conn.execute(
                "INSERT INTO live_owners (session_id, owner, backend)"
                " VALUES (%s, %s, pg_backend_pid()) ON CONFLICT (session_id)"
                " DO UPDATE SET owner = excluded.owner, backend = excluded.backend",
                (self.session_id, owner.to_json()),
            )
        except psycopg.Error as error:
            raise_pg_error(error, _ACTION)

    def release(self) -> None:
        """Remove the record while still holding the lock, unlock (so that the session is free
        when this returns, not once the server has ended the backend), and close."""
        with contextlib.suppress(psycopg.Error):
            self._conn.execute(
                "DELETE FROM live_owners WHERE session_id = %s AND backend = pg_backend_pid()",
                (self.session_id,),
            )
            self._conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock_keys(self.session_id))
        self._conn.close()


def _claim_connection(url: str) -> psycopg.Connection[Any]:
    conn = connect(url, _ACTION)
    try:
        for setting, value in _DEAD_PEER:
            conn.execute(f"SET {setting} = {value}".encode())
    except psycopg.Error as error:
        conn.close()
        raise_pg_error(error, _ACTION)
    return conn


def write_key(session_id: str) -> int:
    """The bigint advisory key a write of ``session_id`` holds shared for its transaction
    (another key space than the session lock's two int4)."""
    high, low = lock_keys(session_id)
    return (high << 31) | low


def _drain_writers(conn: psycopg.Connection[Any], session_id: str) -> None:
    """Wait for writes of the session still in flight from a previous owner: each holds the
    write key shared from before its fencing check until its commit, so once this exclusive
    lock is granted, every such write has committed or rolled back and a replay sees it."""
    key = write_key(session_id)
    conn.execute("SELECT pg_advisory_lock(%s)", (key,))
    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _try_lock(conn: psycopg.Connection[Any], keys: tuple[int, int]) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", keys).fetchone()
    return bool(row and row[0])


def holder(conn: psycopg.Connection[Any], session_id: str) -> LiveOwner | None:
    """The owner record of the backend that holds ``session_id``'s lock; None when there is
    none to read (the holder is between locking and writing it, or is gone)."""
    keys = lock_keys(session_id)
    for _ in range(_READ_TRIES):
        sql = f"SELECT o.owner FROM live_owners o WHERE o.backend = ({HOLDER_PID})"
        row = conn.execute(sql.encode(), keys).fetchone()
        owner = LiveOwner.from_json(row[0]) if row else None
        if owner is not None:
            return owner
        time.sleep(_READ_PAUSE_S)
    return None


def current_holder(conn: psycopg.Connection[Any], session_id: str) -> LiveOwner | None:
    """The owner record of the backend holding ``session_id``'s lock right now, read once (for
    routing: a session nobody serves must not cost the retries of :func:`holder`)."""
    row = conn.execute(
        "SELECT o.owner FROM pg_locks l JOIN live_owners o ON o.backend = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
        " AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        lock_keys(session_id),
    ).fetchone()
    return LiveOwner.from_json(row[0]) if row else None


@contextlib.contextmanager
def claim_advisory(url: str, session_id: str, owner: LiveOwner) -> Iterator[AdvisoryClaim]:
    """Hold ``session_id`` for the ``with`` block; :class:`SessionLive` at once when taken."""
    with wait_advisory(url, session_id, owner, stop=None, poll=0.0) as claim:
        yield claim


@contextlib.contextmanager
def wait_advisory(
    url: str,
    session_id: str,
    owner: LiveOwner,
    *,
    stop: threading.Event | None,
    poll: float,
) -> Iterator[AdvisoryClaim]:
    """Hold ``session_id`` for the ``with`` block, trying every ``poll`` seconds until it is free.

    ``poll == 0`` tries once and raises :class:`SessionLive` (naming the holder) when the try
    fails; a waiter raises :class:`WaitStopped` once ``stop`` is set.
    """
    conn = _claim_connection(url)
    try:
        keys = lock_keys(session_id)
        while not _try_lock(conn, keys):
            if poll <= 0:
                raise SessionLive(session_id, holder(conn, session_id))
            if stop is None:
                time.sleep(poll)
            elif stop.wait(poll):
                raise WaitStopped(session_id)
        _drain_writers(conn, session_id)
        claim = AdvisoryClaim(conn, url, session_id, owner)
    except psycopg.Error as error:
        conn.close()
        raise_pg_error(error, _ACTION)
    except BaseException:
        conn.close()
        raise
    try:
        yield claim
    finally:
        claim.release()


def listen(url: str, stop: threading.Event, *, poll: float = 0.5) -> Iterator[tuple[str, int]]:
    """(session id, last seq) of every append committed by any process, until ``stop`` is set.

    A hint for waking up a reader (a standby, a public page) sooner than its poll: notifications
    sent while nobody listens are lost, so a reader still reads the log for the truth.
    """
    conn = connect(url, "listen for new events")
    try:
        conn.execute(f"LISTEN {CHANNEL}")
        while not stop.is_set():
            for note in conn.notifies(timeout=poll):
                session_id, _, seq = note.payload.rpartition(" ")
                yield session_id, int(seq)
                if stop.is_set():
                    break
    except psycopg.Error as error:
        if not stop.is_set():
            raise StorageUnavailable("the connection to the PostgreSQL server was lost",
                                     action="listen for new events") from error  # fmt: skip
    finally:
        conn.close()
