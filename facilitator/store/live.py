"""One process per live session: a claim the operating system gives back when its process dies.

Two processes serving one session would each fold the log into their own state and interleave
their writes (a hand count stored after the other process had closed the poll). So a process
claims the session before it writes anything, and a second one is refused, with the first one's
pid, address and URL so the person can go there instead.

For the SQLite store the claim is an exclusive ``flock`` on a small file beside the database,
``<database>.<session id>.lock``, holding the owner as JSON. The kernel drops the lock when the
process ends in any way (kill -9, a dead battery's reboot), so a file left behind is harmless:
the next process locks it again. A PostgreSQL store gives the same guarantee with an advisory
lock; callers only see :class:`LiveClaim` and :class:`SessionLive`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from facilitator.store.errors import SessionLive, StorageUnavailable, WaitStopped
from facilitator.store.owner import LiveOwner

_READ_TRIES = 20  # an owner writes its record right after locking; give it that moment
_READ_PAUSE_S = 0.01
_ACTION = "claim the session"
_REASONS = {  # the store's own words (errors.py), which the command line translates
    errno.EROFS: "the database file is read-only",
    errno.EACCES: "access to the database file was denied",
    errno.EPERM: "access to the database file was denied",
    errno.ENOSPC: "the disk is full",
}


class LiveClaim(Protocol):
    """A session held by this process until the claim's context ends."""

    @property
    def owner(self) -> LiveOwner: ...

    def announce(self, owner: LiveOwner) -> None:
        """Record where the owner can now be reached (call once the server listens)."""


def lock_path(database: Path, session_id: str) -> Path:
    """The lock file of ``session_id`` beside ``database``."""
    return database.with_name(f"{database.name}.{session_id}.lock")


class FileClaim:
    """A held ``flock`` on a session's lock file."""

    def __init__(self, path: Path, fd: int, owner: LiveOwner) -> None:
        self.path, self._fd, self._owner = path, fd, owner
        self.announce(owner)

    @property
    def owner(self) -> LiveOwner:
        return self._owner

    def announce(self, owner: LiveOwner) -> None:
        self._owner = owner
        data = owner.to_json().encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def release(self) -> None:
        """Remove the file while still holding the lock, then unlock by closing it."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self._fd)


@contextlib.contextmanager
def claim_file(path: Path, session_id: str, owner: LiveOwner) -> Iterator[FileClaim]:
    """Hold ``session_id`` through ``path`` for the ``with`` block.

    Raises :class:`SessionLive` at once (never waits) when another process holds it, and
    :class:`StorageUnavailable` when the lock file cannot be made.
    """
    claim = _acquire(path, session_id, owner)
    try:
        yield claim
    finally:
        claim.release()


@contextlib.contextmanager
def wait_file(
    path: Path,
    session_id: str,
    owner: LiveOwner,
    *,
    stop: threading.Event | None = None,
    poll: float = 0.2,
) -> Iterator[FileClaim]:
    """Wait until ``session_id`` is free, then hold it through ``path`` for the ``with`` block:
    a standby's claim. The lock is tried every ``poll`` seconds rather than waited on in the
    kernel, so that ``stop`` (checked on every try) ends the wait at once with
    :class:`WaitStopped`, and a lock file its owner removed on a clean exit is seen anew.
    """
    while True:
        try:
            claim = _acquire(path, session_id, owner)
        except SessionLive:
            if stop is None:
                time.sleep(poll)
            elif stop.wait(poll):
                raise WaitStopped(session_id) from None
            continue
        break
    try:
        yield claim
    finally:
        claim.release()


def _acquire(path: Path, session_id: str, owner: LiveOwner) -> FileClaim:
    for _ in range(_READ_TRIES):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            reason = _REASONS.get(error.errno or 0, f"{path}: {error.strerror}")
            raise StorageUnavailable(reason, action=_ACTION) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SessionLive(session_id, read_owner(path)) from None
        except OSError as error:
            os.close(fd)
            raise StorageUnavailable(f"{path}: {error.strerror}", action=_ACTION) from error
        if _still_there(path, fd):
            return FileClaim(path, fd, owner)
        # The previous owner removed this file between our open and our lock: lock the new one.
        os.close(fd)
    raise StorageUnavailable(f"{path} keeps changing", action=_ACTION)


def _still_there(path: Path, fd: int) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def read_owner(path: Path) -> LiveOwner | None:
    """The owner recorded in a lock file; ``None`` if there is none to read."""
    for _ in range(_READ_TRIES):
        try:
            owner = LiveOwner.from_json(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        if owner is not None:
            return owner
        time.sleep(_READ_PAUSE_S)
    return None


def current_owner(path: Path) -> LiveOwner | None:
    """The owner recorded in ``path`` while it is alive, without touching the lock (trying it,
    even for a moment, could make a process that claims the session right then be refused).

    A clean end removes the file; a killed owner leaves it behind, so its process is looked up:
    on this machine a pid that no longer exists holds nothing (the kernel dropped its lock).
    """
    owner = read_owner(path)
    if owner is None or (owner.hostname == socket.gethostname() and not _alive(owner.pid)):
        return None
    return owner


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed child its parent has not reaped yet still has a pid, and holds no lock."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]
