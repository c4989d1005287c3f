"""When Python's cyclic garbage collector may walk what: a policy driven by its own passes and by
the connections.

A phone's connection is a few hundred long-lived objects (its socket, transport, websocket,
engine.io and socket.io sessions, and the tasks, futures and timers of its reader, writer and
pings, re-made at every message and ping). Reference counting frees nearly everything a meeting
makes, but the cyclic collector walks every object still alive in a generation it collects: with
5,000 phones a young pass found 50,000-180,000 live objects (CPython counts allocations *minus
deallocations* towards the threshold, so a heap that replaces old objects fills the youngest
generation far beyond it) and passes took up to 0.3 s of CPU with the loop stopped, 2.4 s in
one run (measured in bench/).

So the collector is told what is settled. ``gc.freeze()`` moves every tracked object into a
permanent generation the collector never walks (a splice of lists, O(1)); objects there are
still freed by reference counting, only *cycles* among them are not collected while they stay
frozen. The policy:

* **At start** (:meth:`GcPolicy.start`): collect once, freeze what start-up made, and run young
  passes every 2,000 allocations (``THRESHOLDS``).
* **After every pass** (:meth:`_passed`): what survived it is frozen, on the loop right after.
  It survived a collection, so it is the live set; no later pass walks it again. A young pass
  then walks only what was made since the one before: at 5,000 phones 16 ms of CPU at most,
  0.8 s in all (was 318 ms and 2.4 s). Except a *young* pass between join waves: what survives
  one then is mostly short-lived (a request in flight, the console's last redraw), and frozen it
  would be garbage only a full pass finds — with the console drawing at 1,000 phones that pass
  came within a minute and took 0.34 s of CPU with the loop stopped. Those survivors are left to
  the middle generation and frozen when they survive a middle pass (the longest pass then: 18 ms
  with the console at 1,000; 49-69 ms at 5,000 without it, against 27 ms before).
* **After a join wave** (:meth:`admitted`): once connections stop arriving for ``settle_s``, or
  every ``step`` connections during a long wave, the youngest generation is collected and its
  survivors — the new phones' connections — frozen.
* **After departures** (:meth:`released`), and when the frozen set grows: a frozen cycle that
  became garbage (a closed connection's transport and protocol, a console widget redrawn away)
  is found only by a full pass. Once departures since the last release reach ``release_after``
  (or a quarter of the connections then open, whichever is more) and have been quiet for
  ``settle_s`` — or once the frozen set has grown by half (``GROWTH``) since the last release or
  join wave, or after ``full_every`` freezes without a release — everything is unfrozen,
  collected once (one full pass: the only long pause, at the end of a meeting, after a mass
  reconnect, or now and then while the console redraws) and the live set frozen again. Measured
  with the console at 1,000 phones: 23 MB more peak memory than without the survivor freeze.

No step runs on a clock: each follows from a collector pass or from connections coming and going.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Young collections every 2,000 allocations (Python's default is 700); what survives one is frozen
# (see the module's docstring), so the older generations stay all but empty.
THRESHOLDS = (2_000, 10, 1_000)
CHECK_EVERY = 100  # survivor freezes between two looks at the frozen set's size
GROWTH = 1.5  # a frozen set this much larger than its base gets a full pass


class Collector(Protocol):
    """The part of the ``gc`` module the policy uses (tests pass a recorder)."""

    callbacks: list[Any]

    def collect(self, generation: int = 2) -> int: ...
    def freeze(self) -> None: ...
    def unfreeze(self) -> None: ...
    def get_freeze_count(self) -> int: ...
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
        full_every: int = 10_000,
        collector: Collector = gc,
    ) -> None:
        self.full_every = full_every
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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._freezing = False  # a freeze of a young pass's survivors is scheduled
        self.survivor_freezes = 0  # young passes' survivors frozen since the last release
        self._frozen_base = 0  # frozen objects after the last release or join wave

    def start(self) -> None:
        """Collect and freeze what start-up made; from now on freeze each young pass's survivors."""
        self.collector.collect()
        self.collector.freeze()
        self.collector.set_threshold(*THRESHOLDS)
        self._frozen_base = self.collector.get_freeze_count()
        self.freezes += 1
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        if self._loop is not None:
            self.collector.callbacks.append(self._passed)

    def _passed(self, phase: str, info: dict[str, int]) -> None:
        """After a collector pass (on whichever thread ran it): freeze its survivors soon, on the
        loop. They survived a collection, so they are the live set (a connection's tasks, the
        state), and the next passes need not walk them again."""
        if phase != "stop" or self._freezing or self._loop is None or self._loop.is_closed():
            return
        if info.get("generation", 0) == 0 and not self.arrived:
            # Between join waves, what survives a young pass is mostly short-lived (a request in
            # flight, the console's last redraw): the middle generation sorts it out first.
            return
        self._freezing = True
        self._loop.call_soon_threadsafe(self._freeze_survivors)

    def _freeze_survivors(self) -> None:
        self._freezing = False
        self.collector.freeze()  # O(1): the generations' lists are spliced onto the frozen one
        self.freezes += 1
        self.survivor_freezes += 1
        # A frozen cycle that became garbage is found only by a full pass; departures bring one
        # (below). So does a frozen set grown by half since the last release or join wave
        # (looked at every ``CHECK_EVERY`` freezes: counting walks the frozen list) and, at the
        # latest, every ``full_every``-th freeze: a console redrawing all evening, or a long busy
        # stretch without departures, keeps a bounded amount of frozen garbage.
        if self.survivor_freezes >= self.full_every or (
            self.survivor_freezes % CHECK_EVERY == 0
            and self.collector.get_freeze_count() > GROWTH * self._frozen_base
        ):
            self._release()

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
        self._frozen_base = self.collector.get_freeze_count()  # the new phones are live, not growth
        self.arrived = 0
        self.freezes += 1

    def _release(self) -> None:
        self.collector.unfreeze()
        found = self.collector.collect()
        self.collector.freeze()
        self._frozen_base = self.collector.get_freeze_count()
        self.survivor_freezes = 0
        log.debug("gc: %d departures released, %d objects collected", self.departed, found)
        self.arrived = self.departed = 0
        self.releases += 1
        self.freezes += 1

    def stop(self) -> None:
        if self._settle is not None:
            self._settle.cancel()
            self._settle = None
        if self._passed in self.collector.callbacks:
            self.collector.callbacks.remove(self._passed)
