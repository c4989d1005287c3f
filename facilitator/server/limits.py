"""Operating limits: open files, and how many connections the server accepts.

Every phone holds a socket, i.e. an open file. Many systems start processes with a soft limit of
1,024 open files, which a large square talk exceeds; the hard limit is usually far higher, and a
process may raise its own soft limit up to it without privileges.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def raise_open_file_limit() -> tuple[int, int]:
    """Raise the soft limit of open files to the hard limit; returns (soft, hard) afterwards."""
    try:
        import resource
    except ImportError:  # not on POSIX: nothing to raise
        return (0, 0)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError) as error:
            log.warning("could not raise the open-file limit from %d: %s", soft, error)
    return soft, hard


class ConnectionGate:
    """Counts phones and displays and refuses those beyond ``cap`` (the moderator is not counted:
    it must always get in)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: set[str] = set()

    @property
    def count(self) -> int:
        return len(self._open)

    def admit(self, sid: str) -> bool:
        """Take a place for ``sid``; False when the server is full."""
        if len(self._open) >= self.cap:
            return False
        self._open.add(sid)
        return True

    def release(self, sid: str) -> None:
        self._open.discard(sid)
