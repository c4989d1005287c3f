"""When Python's cyclic garbage collector may walk what: a policy driven by the connections.

A phone's connection is a few hundred long-lived objects (its socket, transport, websocket,
engine.io and socket.io sessions, rate-limit buckets). Reference counting frees nearly everything
a meeting makes, but the cyclic collector still walks every object that survived into the oldest
generation on each full pass: with 5,000 phones that was 0.4-0.5 s with the loop stopped, several
times a minute (measured in bench/), which every ack and snapshot waited out.

So the collector is told what is settled. ``gc.freeze()`` moves every object alive into a
permanent generation the collector never walks; objects there are still freed by reference
counting, only *cycles* among them are not collected while they stay frozen. The policy:

* **At start** (:meth:`GcPolicy.start`): collect once, freeze what start-up made, and collect the
  young generations less often (``THRESHOLDS``).
* **After a join wave** (:meth:`admitted`): once connections stop arriving for ``settle_s``, or
  every ``step`` connections during a long wave, the youngest generation is collected (so
  transient garbage is not frozen; a pass over the older ones would walk the whole wave) and the
  survivors — the new phones' connections — frozen.
* **After departures** (:meth:`released`): a closed connection's objects may hold cycles, and if
  they were frozen they would stay until unfrozen. Once departures since the last release reach
  ``release_after`` (or a quarter of the connections then open, whichever is more) and have been
  quiet for ``settle_s``, everything is unfrozen, collected once (one full pass: the only long
  pause, at the end of a meeting or after a mass reconnect) and the live set frozen again.

Nothing runs on a timer: each step is the consequence of connections arriving or leaving.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Protocol

log = logging.getLogger(__name__)

# Young collections every 10,000 allocations (not 700); the middle generation every 10 of them:
# with 50 it gathered the survivors of 500,000 allocations (a join wave's connections) and each
# of its passes walked them all, ~100 ms of CPU at 5,000 phones.
THRESHOLDS = (10_000, 10, 1_000)


class Collector(Protocol):
    """The part of the ``gc`` module the policy uses (tests pass a recorder)."""

    def collect(self, generation: int = 2) -> int: ...
    def freeze(self) -> None: ...
    def unfreeze(self) -> None: ...
    def set_threshold(
        self, threshold0: int, threshold1: int = ..., threshold2: int = ...
    ) -> None: ...


class GcPolicy:
    """Freezes the live set when connections settle; gives departed ones back to the collector."""

    def __init__(
        self,
        *,
        settle_s: float = 1.0,
        step: int = 500,
        release_after: int = 250,
        collector: Collector = gc,
    ) -> None:
        self.settle_s = settle_s
        self.step = step
        self.release_after = release_after
        self.collector = collector
        self.open = 0  # connections open now
        self.arrived = 0  # connections admitted since the last freeze
        self.departed = 0  # connections closed since the last release
        self.freezes = 0  # how often the live set was frozen (tests and benchmarks read these)
        self.releases = 0
        self._settle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Collect and freeze what start-up made; collect young objects less often."""
        self.collector.collect()
        self.collector.freeze()
        self.collector.set_threshold(*THRESHOLDS)
        self.freezes += 1

    # --- input: the connection gate's count --------------------------------------------------

    def admitted(self) -> None:
        self.open += 1
        self.arrived += 1
        if self.arrived >= self.step:  # a long wave: freeze in steps, not only at its end
            self._freeze()
        else:
            self._later()

    def released(self) -> None:
        self.open = max(0, self.open - 1)
        self.departed += 1
        self._later()

    # --- the steps ---------------------------------------------------------------------------

    def _later(self) -> None:
        """(Re)start the settle timer: the step runs once arrivals and departures go quiet."""
        if self._settle is not None:
            self._settle.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a synchronous caller): decide at once
            self._settled()
            return
        self._settle = loop.call_later(self.settle_s, self._settled)

    def _settled(self) -> None:
        self._settle = None
        if self.departed >= max(self.release_after, self.open // 4):
            self._release()
        elif self.arrived:
            self._freeze()

    def _freeze(self) -> None:
        self.collector.collect(0)  # the youngest generation only: transient garbage goes first
        self.collector.freeze()
        self.arrived = 0
        self.freezes += 1

    def _release(self) -> None:
        self.collector.unfreeze()
        found = self.collector.collect()
        self.collector.freeze()
        log.debug("gc: %d departures released, %d objects collected", self.departed, found)
        self.arrived = self.departed = 0
        self.releases += 1
        self.freezes += 1

    def stop(self) -> None:
        if self._settle is not None:
            self._settle.cancel()
            self._settle = None
