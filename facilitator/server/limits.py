"""Operating limits: open files, how many connections the server accepts, and how fast a phone
may act.

Every phone holds a socket, i.e. an open file. Many systems start processes with a soft limit of
1,024 open files, which a large square talk exceeds; the hard limit is usually far higher, and a
process may raise its own soft limit up to it without privileges.

Rate limits are token buckets per connection and per participant (docs/reliability.md): a stuck
button or a prankster's script is told to slow down (``rate_limited``) instead of filling the
board, the queue and the log.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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


class GateWatcher(Protocol):
    """Told of every connection the gate admits and releases (``gcpolicy.GcPolicy``)."""

    def admitted(self) -> None: ...
    def released(self) -> None: ...


class ConnectionGate:
    """Counts phones and displays and refuses those beyond ``cap`` (the moderator is not counted:
    it must always get in)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: set[str] = set()
        self.watchers: list[GateWatcher] = []

    @property
    def count(self) -> int:
        return len(self._open)

    def admit(self, sid: str) -> bool:
        """Take a place for ``sid``; False when the server is full."""
        if len(self._open) >= self.cap:
            return False
        if sid not in self._open:
            self._open.add(sid)
            for watcher in self.watchers:
                watcher.admitted()
        return True

    def release(self, sid: str) -> None:
        if sid in self._open:
            self._open.discard(sid)
            for watcher in self.watchers:
                watcher.released()


# --- rate limits ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rate:
    """A token bucket's shape: ``burst`` actions at once, then one more every ``1 / per_s`` s."""

    burst: int
    per_s: float


@dataclass(frozen=True, slots=True)
class RateLimits:
    """How fast one connection or one participant may act, per kind of action.

    The figures are far above what a resident does by hand (nobody raises four issues in a minute
    or toggles a hand every two seconds) and far below what a script does, so only scripts and
    stuck buttons ever meet them. ``events`` covers every message of a phone or display
    connection, answered or not, so a flood costs a bounded amount of work.
    """

    events: Rate = Rate(burst=60, per_s=20.0)
    issue: Rate = Rate(burst=3, per_s=1 / 20)
    support: Rate = Rate(burst=12, per_s=0.5)
    hand: Rate = Rate(burst=4, per_s=0.2)

    def of(self, kind: str) -> Rate:
        rate: Rate = getattr(self, kind)
        return rate


class TokenBucket:
    """Tokens refill continuously at ``rate.per_s`` up to ``rate.burst``; an action takes one."""

    __slots__ = ("rate", "stamp", "tokens")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.tokens = float(rate.burst)
        self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0.0: one is available now); takes nothing."""
        refill = (now - self.stamp) * self.rate.per_s
        self.tokens = min(float(self.rate.burst), self.tokens + refill)
        self.stamp = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate.per_s

    def take(self) -> None:
        self.tokens -= 1.0


class RateLimiter:
    """Token buckets per key (a connection, a participant) and kind of action.

    An action is allowed only when every bucket it is charged to has a token, and then it takes
    one from each: a participant with two tabs open shares one allowance, and one connection cannot
    spread a flood over fresh participants.
    """

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._buckets: dict[str, dict[str, TokenBucket]] = {}

    def check(self, kind: str, *keys: str) -> float:
        """0.0 and charge every key's bucket, or the seconds to wait (nothing charged)."""
        now = self.clock()
        rate = self.limits.of(kind)
        buckets = [
            self._buckets.setdefault(key, {}).setdefault(kind, TokenBucket(rate, now))
            for key in keys
        ]
        wait = max((b.wait(now) for b in buckets), default=0.0)
        if wait == 0.0:
            for bucket in buckets:
                bucket.take()
        return wait

    def refund(self, kind: str, *keys: str) -> None:
        """Give back what :meth:`check` took for an action that was then refused (a typo costs a
        resident nothing)."""
        for key in keys:
            bucket = self._buckets.get(key, {}).get(kind)
            if bucket is not None:
                bucket.tokens = min(float(bucket.rate.burst), bucket.tokens + 1.0)

    def forget(self, key: str) -> None:
        """Drop a key's buckets (a closed connection), so memory follows the live connections."""
        self._buckets.pop(key, None)

    @property
    def keys(self) -> int:
        """How many keys hold buckets (tests check that closed connections are forgotten)."""
        return len(self._buckets)


class BoundedRateLimiter(RateLimiter):
    """A :class:`RateLimiter` for keys nobody forgets: addresses, names typed at a sign-in.

    A scan of made-up names would otherwise leave a bucket per name forever. Two bounds keep the
    table small, neither of which changes an answer while the table is under ``max_keys``:

    - a key whose every bucket has refilled (its window has passed) is dropped, since a new
      bucket starts full anyway. The sweep runs when the table has doubled since the last one
      (and holds at least ``sweep_from`` keys), so its cost is spread over the keys added;
    - past ``max_keys`` the key used least recently goes first. A key dropped this way starts
      over with a full allowance, which is why the cap is generous and why the sign-in checks
      the address before the name (a scan from one address stops at the address).
    """

    def __init__(
        self,
        limits: RateLimits,
        clock: Callable[[], float] = time.monotonic,
        *,
        max_keys: int = 10_000,
        sweep_from: int = 64,
    ) -> None:
        super().__init__(limits, clock)
        self.max_keys = max_keys
        self._sweep_at = sweep_from
        self._sweep_from = sweep_from

    def check(self, kind: str, *keys: str) -> float:
        """As :meth:`RateLimiter.check`, then the table is pruned (see the class)."""
        wait = super().check(kind, *keys)
        for key in keys:  # most recently used last: the oldest is the first in the dict
            self._buckets[key] = self._buckets.pop(key)
        if len(self._buckets) >= self._sweep_at:
            self._sweep(self.clock())
        while len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return wait

    def _sweep(self, now: float) -> None:
        stale = [
            key
            for key, buckets in self._buckets.items()
            if all(_refilled(bucket, now) for bucket in buckets.values())
        ]
        for key in stale:
            del self._buckets[key]
        self._sweep_at = max(self._sweep_from, 2 * len(self._buckets))


def _refilled(bucket: TokenBucket, now: float) -> bool:
    """Whether ``bucket`` is full again at ``now`` (without changing it)."""
    missing = bucket.rate.burst - bucket.tokens
    return missing <= (now - bucket.stamp) * bucket.rate.per_s


def wait_seconds(wait: float) -> int:
    """The whole seconds to tell a person (never 0: "try again in 0 seconds" reads as a bug)."""
    return max(1, math.ceil(wait))
