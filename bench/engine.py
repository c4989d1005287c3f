"""Engine + SQLite log benchmark (issue: the session engine).

Measures, on this machine:

* casting ballots through the engine alone, at two room sizes, to show that the cost of one ballot
  does not grow with the number of participants (no whole-state copy per vote);
* the same through the engine and the durable log, both one transaction per ballot and in group
  commits as the hub does them;
* replaying a log of 100,000 events (read, decode, fold).

Run: ``.venv/bin/python bench/engine.py`` (``--quick`` for a smaller run). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.hub import Hub
from facilitator.session import SessionEngine
from facilitator.session import commands as c
from facilitator.session.access import Actor, Role
from facilitator.session.events import Event
from facilitator.store import EventStore

T0 = dt.datetime(2026, 11, 22, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def room(n: int) -> tuple[SessionEngine, list[Event]]:
    """A created and opened session with ``n`` checked-in phones and an open poll."""
    engine = SessionEngine()
    log: list[Event] = []
    log += engine.handle(
        c.CreateSession(
            at=T0, session_id="bench", kind=SessionKind.SQUARE_TALK, title="bench",
            join_code="BENCH1", numeric_code="1234",
            items=(AgendaItemSpec("vote", 900),), item_ids=("a1",),
        )
    )  # fmt: skip
    log += engine.handle(c.OpenSession(at=T0))
    for i in range(n):
        log += engine.handle(
            c.JoinSession(at=T0, participant_id=f"p{i}", device_key=f"d{i}", display_name=f"r{i}")
        )
    log += engine.handle(c.AdvanceAgenda(at=T0))
    log += engine.handle(c.OpenPoll(at=T0, poll_id="v1", question="lift?"))
    return engine, log


def ballot(i: int) -> c.CastBallot:
    choice = ("yes", "no", "abstain")[i % 3]
    return c.CastBallot(at=T0, poll_id="v1", participant_id=f"p{i}", choices=(choice,))


def per_ballot_us(n: int, ballots: int, repeats: int = 5) -> float:
    """Median microseconds per ballot through decide + apply, in a room of ``n``."""
    samples = []
    for _ in range(repeats):
        engine, _ = room(n)
        start = time.perf_counter()
        for i in range(ballots):
            engine.handle(ballot(i))
        samples.append((time.perf_counter() - start) / ballots * 1e6)
    return statistics.median(samples)


def with_log_per_transaction(n: int, ballots: int, folder: Path) -> float:
    engine, log = room(n)
    with EventStore.open(folder / "one.db") as store:
        store.append("bench", log)
        start = time.perf_counter()
        for i in range(ballots):
            store.append("bench", engine.handle(ballot(i)))
        return (time.perf_counter() - start) / ballots * 1e6


async def _through_hub(n: int, ballots: int, folder: Path) -> float:
    _, log = room(n)
    store = EventStore.open(folder / "hub.db")
    store.append("bench", log)
    hub = Hub(store)
    hub.load("bench")
    start = time.perf_counter()
    await asyncio.gather(
        *(
            hub.dispatch("bench", ballot(i), Actor(Role.PARTICIPANT, f"p{i}"), request_id=f"r{i}")
            for i in range(ballots)
        )
    )
    elapsed = time.perf_counter() - start
    hub.close()
    store.close()
    return elapsed / ballots * 1e6


def replay(events: int, folder: Path) -> tuple[float, float, float]:
    """Seconds to load+decode and to fold a log of about ``events`` events, and the CPU seconds
    of both (on a shared machine the wall time also measures the neighbours)."""
    n = events // 4
    engine, log = room(n)
    for i in range(n):
        log += engine.handle(ballot(i))
    for i in range(events - len(log)):
        log += engine.handle(ballot(i % n)) or engine.handle(c.SetWalkInCount(at=T0, count=i))
    with EventStore.open(folder / "replay.db") as store:
        store.append("bench", log[:events])
        cpu = time.process_time()
        start = time.perf_counter()
        loaded = [s.event for s in store.load("bench")]
        read = time.perf_counter() - start
        start = time.perf_counter()
        folded = SessionEngine.replay(loaded).state
        fold = time.perf_counter() - start
        cpu = time.process_time() - cpu
        assert folded == SessionEngine.replay(log[:events]).state
    return read, fold, cpu


def timed(label: str, fn: Callable[[], float]) -> tuple[str, float]:
    return label, fn()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for make bench")
    args = parser.parse_args()
    big = 2_000 if args.quick else 10_000
    small = big // 10
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small_us = per_ballot_us(small, small)
        big_us = per_ballot_us(big, small)
        log_us = with_log_per_transaction(big, min(big, 2_000), folder)
        hub_us = asyncio.run(_through_hub(big, big, folder))
        read_s, fold_s, cpu_s = replay(20_000 if args.quick else 100_000, folder)
    events = 20_000 if args.quick else 100_000
    print("| measure | value |")
    print("|---|---|")
    print(f"| engine, per ballot, room of {small:,} | {small_us:.1f} µs |")
    print(f"| engine, per ballot, room of {big:,} | {big_us:.1f} µs |")
    print(f"| ratio (room x{big // small}) | {big_us / small_us:.2f} |")
    print(f"| engine + log, one fsync'd transaction per ballot | {log_us:.0f} µs |")
    print(f"| engine + log through the hub (group commit), {big:,} ballots | {hub_us:.1f} µs |")
    print(f"| replay {events:,} events: read + decode | {read_s:.2f} s |")
    print(f"| replay {events:,} events: fold | {fold_s:.2f} s |")
    print(f"| replay {events:,} events: total (CPU) | {read_s + fold_s:.2f} s ({cpu_s:.2f} s) |")


if __name__ == "__main__":
    main()
