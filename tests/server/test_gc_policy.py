"""The garbage-collector policy (facilitator/server/gcpolicy.py): what it does when connections
arrive and leave, with a recording collector; and with Python's own collector against a real
server, that the connections it froze are given back to the collector once they are gone."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from facilitator.cli._process import tune_gc
from facilitator.server.gcpolicy import CHECK_EVERY, THRESHOLDS, GcPolicy
from tests.server.server_kit import Live, until


class Recorder:
    """A stand-in for the ``gc`` module that records what the policy asks of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.callbacks: list[Any] = []
        self.frozen = 1_000  # what get_freeze_count answers

    def get_freeze_count(self) -> int:
        return self.frozen

    def passed(self, generation: int = 0) -> None:
        """What the collector tells its callbacks after a pass."""
        info = {"generation": generation, "collected": 0, "uncollectable": 0}
        for callback in list(self.callbacks):
            callback("start", info)
            callback("stop", info)

    def collect(self, generation: int = 2) -> int:
        self.calls.append(("collect", generation))
        return 0

    def freeze(self) -> None:
        self.calls.append(("freeze",))

    def unfreeze(self) -> None:
        self.calls.append(("unfreeze",))

    def set_threshold(self, *thresholds: int) -> None:
        self.calls.append(("set_threshold", *thresholds))


@pytest.fixture
def real_gc() -> Iterator[None]:
    """Give the test process's collector back as it was (the policy freezes the whole heap and
    listens to every pass)."""
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    yield
    gc.callbacks[:] = callbacks
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_start_freezes_what_start_up_made_and_sets_the_thresholds() -> None:
    recorder = Recorder()
    GcPolicy(collector=recorder).start()
    assert recorder.calls == [("collect", 2), ("freeze",), ("set_threshold", *THRESHOLDS)]


async def test_a_join_wave_is_frozen_once_it_settles_not_before() -> None:
    recorder = Recorder()
    policy = GcPolicy(settle_s=0.05, step=100, collector=recorder)
    for _ in range(10):
        policy.admitted()
    assert recorder.calls == []  # still arriving: nothing yet
    await until(lambda: policy.freezes == 1)
    # The youngest generation first, so what the joins left as garbage is not frozen with them.
    assert recorder.calls == [("collect", 0), ("freeze",)]
    assert policy.arrived == 0


async def test_a_long_wave_is_frozen_every_step_connections() -> None:
    recorder = Recorder()
    policy = GcPolicy(settle_s=60.0, step=4, collector=recorder)
    for _ in range(9):
        policy.admitted()
    assert policy.freezes == 2  # after the 4th and the 8th, without waiting for the wave's end
    assert recorder.calls == [("collect", 0), ("freeze",)] * 2
    policy.stop()


async def test_departures_unfreeze_collect_once_and_freeze_the_live_set_again() -> None:
    recorder = Recorder()
    policy = GcPolicy(settle_s=0.05, step=1_000, release_after=3, collector=recorder)
    for _ in range(8):
        policy.admitted()
    await until(lambda: policy.freezes == 1)
    recorder.calls.clear()
    for _ in range(3):
        policy.released()
    await until(lambda: policy.releases == 1)
    assert recorder.calls == [("unfreeze",), ("collect", 2), ("freeze",)]
    assert (policy.open, policy.departed, policy.arrived) == (5, 0, 0)


async def test_a_few_departures_are_not_worth_a_full_collection() -> None:
    recorder = Recorder()
    policy = GcPolicy(settle_s=0.05, step=1_000, release_after=3, collector=recorder)
    for _ in range(20):
        policy.admitted()
    await until(lambda: policy.freezes == 1)
    # Two leave, two arrive (a phone reconnecting): the new ones are frozen, nothing released.
    policy.released()
    policy.released()
    policy.admitted()
    policy.admitted()
    await until(lambda: policy.freezes == 2)
    assert policy.releases == 0
    assert ("unfreeze",) not in recorder.calls
    # A quarter of those open must go before the release (5 of 20; release_after is only 3).
    for _ in range(3):
        policy.released()
    await until(lambda: policy._settle is None)
    assert policy.releases == 1


async def test_what_survives_a_pass_is_frozen_right_after_it() -> None:
    recorder = Recorder()
    policy = GcPolicy(collector=recorder)
    policy.start()
    recorder.calls.clear()
    recorder.passed(1)
    recorder.passed(2)  # two passes before the loop gets a turn: one freeze covers both
    assert recorder.calls == []  # not inside the collector's callback: on the loop, after it
    await until(lambda: policy.survivor_freezes == 1)
    assert recorder.calls == [("freeze",)]
    policy.stop()
    assert recorder.callbacks == []


async def test_between_waves_a_young_pass_is_left_to_the_middle_generation() -> None:
    """What survives a young pass between join waves is mostly short-lived (a redraw, a request
    in flight): frozen, it would be garbage only a full pass finds (with the console drawing at
    1,000 phones, one such pass took 0.34 s). It is frozen after it survives a middle pass."""
    recorder = Recorder()
    policy = GcPolicy(collector=recorder, settle_s=0.01)
    policy.start()
    recorder.calls.clear()
    recorder.passed(0)
    await asyncio.sleep(0)  # the loop's turn, where a freeze would run
    assert recorder.calls == [] and policy.survivor_freezes == 0
    # during a join wave the young pass's survivors are the new connections: frozen at once
    policy.admitted()
    recorder.passed(0)
    await until(lambda: policy.survivor_freezes == 1)
    await until(lambda: policy.arrived == 0)  # the wave settled and was frozen
    recorder.passed(0)
    await asyncio.sleep(0)
    assert policy.survivor_freezes == 1
    recorder.passed(1)
    await until(lambda: policy.survivor_freezes == 2)
    policy.stop()


async def test_every_full_every_freezes_a_full_pass_finds_frozen_garbage() -> None:
    recorder = Recorder()
    policy = GcPolicy(full_every=3, collector=recorder)
    policy.start()
    recorder.calls.clear()
    recorder.passed(1)
    await until(lambda: policy.survivor_freezes == 1)
    recorder.passed(1)
    await until(lambda: policy.survivor_freezes == 2)
    recorder.passed(1)  # the third: frozen, then a full pass, and the count starts again
    await until(lambda: policy.releases == 1)
    assert policy.releases == 1
    assert recorder.calls == [
        ("freeze",),
        ("freeze",),
        ("freeze",),
        ("unfreeze",),
        ("collect", 2),
        ("freeze",),
    ]
    assert policy.survivor_freezes == 0
    policy.stop()


async def test_a_frozen_set_grown_by_half_by_survivors_gets_a_full_pass() -> None:
    recorder = Recorder()
    policy = GcPolicy(collector=recorder)
    policy.start()  # 1,000 frozen: the base
    recorder.frozen = 2_500  # what the passes' survivors added (a redrawing console's garbage)
    for done in range(CHECK_EVERY - 1):
        policy._freeze_survivors()
        assert policy.releases == 0, done  # looked at only every CHECK_EVERY freezes
    policy._freeze_survivors()
    assert policy.releases == 1
    recorder.frozen = 3_500  # the base is now 2,500: grown by less than half
    for _ in range(CHECK_EVERY):
        policy._freeze_survivors()
    assert policy.releases == 1
    policy.stop()


async def test_a_join_wave_is_live_growth_not_a_reason_for_a_full_pass() -> None:
    recorder = Recorder()
    policy = GcPolicy(step=1, collector=recorder)
    policy.start()
    recorder.frozen = 5_000  # the new phones' connections
    policy.admitted()  # a wave's freeze takes the new size as its base
    for _ in range(CHECK_EVERY):
        policy._freeze_survivors()
    assert policy.releases == 0
    policy.stop()


@pytest.mark.usefixtures("real_gc")
async def test_a_middle_pass_survivor_is_frozen_with_the_real_collector() -> None:
    policy = GcPolicy(full_every=1_000_000)
    policy.start()
    node = Node()  # made after start-up's freeze: young
    ref = weakref.ref(node)
    gc.collect(1)  # it survives (it is referenced) and is frozen after the pass
    await until(lambda: policy.survivor_freezes >= 1)
    del node
    gc.collect()
    assert ref() is not None  # frozen: the full pass did not walk it
    policy.stop()


@pytest.mark.usefixtures("real_gc")
async def test_serving_puts_the_collector_under_the_policy(live: Live) -> None:
    policy = tune_gc(live.server)
    assert policy in live.server.gate.watchers
    assert policy._passed in gc.callbacks
    assert gc.get_threshold() == THRESHOLDS
    assert gc.get_freeze_count() > 0
    await live.resident("甲")
    await until(lambda: policy.open == 1 and policy.arrived == 0)  # its connection is frozen


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.mark.usefixtures("real_gc")
async def test_a_cycle_frozen_with_the_live_set_is_freed_by_the_release() -> None:
    policy = GcPolicy(settle_s=0.05, step=1_000, release_after=2)
    policy.start()
    node = Node()
    ref = weakref.ref(node)
    policy.admitted()
    await until(lambda: policy.arrived == 0 and policy._settle is None)
    del node
    gc.collect()
    assert ref() is not None  # frozen: however often the collector runs, it is kept
    policy.released()
    await until(lambda: policy._settle is None)
    gc.collect()
    assert ref() is not None  # one departure is below release_after
    policy.released()
    await until(lambda: policy.releases == 1)
    assert ref() is None  # unfrozen and collected


@pytest.mark.usefixtures("real_gc")
async def test_connections_that_left_are_collected_although_they_were_frozen(live: Live) -> None:
    policy = GcPolicy(settle_s=0.05, step=1_000, release_after=6)
    policy.start()
    live.server.gate.watchers.append(policy)
    phones = [await live.resident(f"居民{i}") for i in range(6)]
    # The wave is frozen (once, or more often if the phones came slower than settle_s).
    await until(lambda: policy.open == 6 and policy.arrived == 0 and policy._settle is None)
    handlers = live.server.runner.server
    assert handlers is not None
    # The server's side of each phone's TCP connection (transport and protocol refer to each
    # other): frozen with the wave, and freed once the phones are gone and released.
    transports = [weakref.ref(h.transport) for h in handlers.connections if h.transport]
    assert len(transports) >= 6
    for phone in phones:
        await phone.close()
    await until(lambda: policy.releases == 1)
    await until(lambda: all(ref() is None for ref in transports))
    assert policy.open == 0
