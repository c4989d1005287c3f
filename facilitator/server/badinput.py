"""Logging expected bad input without letting anyone flood the log.

A malformed frame, a payload nested 10,000 deep, invalid UTF-8, an unknown event, a moderator
command from a phone: each is answered (or the connection closed) and is *expected* — the server
did nothing wrong, so it is no traceback. It is one line, with a counter, and at most
``per_minute`` lines per minute for one connection and for one address; what is held back is
counted and said on the next line that is written. An unauthenticated client therefore cannot
make the log grow faster than a few lines a minute, however fast it sends. Tracebacks are left
for real bugs (``log.exception`` in the namespaces).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.server.limits import Rate, TokenBucket

log = logging.getLogger("facilitator.server.bad_input")

PER_MINUTE = 10  # lines per minute per connection and per address
ADDRESSES_KEPT = 4096  # the least recently seen address is forgotten beyond this


@dataclass(slots=True)
class _Source:
    """What is known of one connection or address: its allowance of lines and its counters."""

    bucket: TokenBucket
    seen: int = 0  # bad inputs from it so far
    held: int = 0  # bad inputs not logged since its last line


def printable(text: str) -> str:
    """``text`` with control characters escaped: what a client sent cannot forge a log line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class BadInputLog:
    """Counts bad input per connection and per address and logs a bounded number of lines."""

    def __init__(
        self,
        per_minute: int = PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger = log,
    ) -> None:
        self.rate = Rate(burst=per_minute, per_s=per_minute / 60)
        self.clock = clock
        self.logger = logger
        self.total = 0  # every bad input noted (tests and figures read it)
        self.lines = 0  # lines written
        self._connections: dict[str, _Source] = {}
        self._addresses: OrderedDict[str, _Source] = OrderedDict()

    def note(self, what: str, detail: str = "", *, address: str, connection: str = "") -> None:
        """One bad input from ``address`` (and ``connection``, when it has one): log a line if
        both still have an allowance this minute, else count it for the next line."""
        now = self.clock()
        self.total += 1
        by_address = self._address(address, now)
        sources = [by_address]
        if connection:
            sources.append(self._connections.setdefault(connection, self._new(now)))
        for source in sources:
            source.seen += 1
        if any(source.bucket.wait(now) for source in sources):
            for source in sources:
                source.held += 1
            return
        held = max(source.held for source in sources)
        for source in sources:
            source.bucket.take()
            source.held = 0
        self.lines += 1
        self.logger.warning(
            "bad input from %s%s: %s%s (%d from this address%s)",
            address or "?",
            f" [{printable(connection)}]" if connection else "",
            printable(what),
            f": {printable(detail[:200])}" if detail else "",
            by_address.seen,
            f"; {held} more not logged" if held else "",
        )

    def forget(self, connection: str) -> None:
        """A connection closed: its counters go (its address keeps its own)."""
        self._connections.pop(connection, None)

    def _new(self, now: float) -> _Source:
        return _Source(TokenBucket(self.rate, now))

    def _address(self, address: str, now: float) -> _Source:
        found = self._addresses.get(address)
        if found is None:
            found = self._addresses[address] = self._new(now)
            if len(self._addresses) > ADDRESSES_KEPT:
                self._addresses.popitem(last=False)
        else:
            self._addresses.move_to_end(address)
        return found

    @property
    def tracked(self) -> tuple[int, int]:
        """How many connections and addresses have counters (tests check they stay bounded)."""
        return len(self._connections), len(self._addresses)
