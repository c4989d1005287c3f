"""The event store on SQLite vs PostgreSQL, from one run on this machine.

Measures, for each backend, through the store's own API (``open_event_store``):

* one-event commits (``append`` of one ballot): p50 and p95;
* 50-event group commits (``append_batch`` of 50 one-ballot commands, as the hub batches them);
* reading 100,000 events back (``load``: fetch, decode, check the seq numbers).

PostgreSQL is a throwaway cluster started for the run (tests/pg_kit.py) with ``fsync=on``, so a
commit waits for the WAL to reach the disk as the SQLite one does (``synchronous=FULL``). Both
sit on the same disk. Run: ``.venv/bin/python bench/store.py`` (``--quick`` for a smaller run).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.session import commands as c
from facilitator.session.engine import SessionEngine
from facilitator.session.events import BallotCast, Event
from facilitator.session.values import YES, Channel
from facilitator.store import Database, EventLog, open_event_store
from tests.pg_kit import Cluster

T0 = dt.datetime(2026, 11, 22, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


CODES = {"one": "ONE111", "batch": "BAT222", "read": "REA333"}


def created(session_id: str) -> list[Event]:
    engine = SessionEngine()
    return list(
        engine.handle(
            c.CreateSession(
                at=T0, session_id=session_id, kind=SessionKind.SQUARE_TALK, title="bench",
                join_code=CODES[session_id], numeric_code="1234",
                items=(AgendaItemSpec("vote", 900),), item_ids=("a1",),
            )
        )
    )  # fmt: skip


def ballot(n: int) -> BallotCast:
    return BallotCast(
        at=T0, poll_id="v1", participant_id=f"p{n}", choices=(YES,), channel=Channel.PHONE
    )


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def one_event(store: EventLog, n: int) -> tuple[float, float]:
    store.append("one", created("one"))
    took = []
    for i in range(n):
        start = time.perf_counter()
        store.append("one", [ballot(i)], request_id=f"r{i}", actor=f"p{i}")
        took.append(time.perf_counter() - start)
    return quantile(took, 0.5) * 1000, quantile(took, 0.95) * 1000


def batches(store: EventLog, n: int, size: int = 50) -> tuple[float, float]:
    store.append("batch", created("batch"))
    took = []
    for b in range(n):
        groups = [("batch", [ballot(b * size + i)], f"r{b}-{i}", "p") for i in range(size)]
        start = time.perf_counter()
        store.append_batch(groups)
        took.append(time.perf_counter() - start)
    return statistics.median(took) * 1000, quantile(took, 0.95) * 1000


def read_back(store: EventLog, n: int) -> float:
    store.append("read", created("read"))
    chunk = 5000
    for start in range(0, n, chunk):
        store.append("read", [ballot(i) for i in range(start, min(n, start + chunk))])
    begin = time.perf_counter()
    count = sum(1 for _ in store.load("read"))
    took = time.perf_counter() - begin
    assert count == n + len(created("read"))
    return took


def measure(db: Database, quick: bool) -> dict[str, float]:
    with open_event_store(db) as store:
        p50, p95 = one_event(store, 200 if quick else 1000)
        b50, b95 = batches(store, 40 if quick else 200)
        read = read_back(store, 20_000 if quick else 100_000)
    return {"one p50": p50, "one p95": p95, "batch p50": b50, "batch p95": b95, "read": read}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer commits, 20k events read")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = measure(Path(folder) / "bench.db", args.quick)
    with Cluster(fsync=True) as cluster:
        results["PostgreSQL"] = measure(cluster.new_database(), args.quick)
    events = "20k" if args.quick else "100k"
    print("| backend | 1-event commit p50 | p95 | 50-event batch p50 | p95 | read " + events + " |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['one p50']:.2f} ms | {r['one p95']:.2f} ms | {r['batch p50']:.2f} ms"
            f" | {r['batch p95']:.2f} ms | {r['read']:.2f} s |"
        )
    lite, pg = results["SQLite"], results["PostgreSQL"]
    print(
        f"\nPostgreSQL / SQLite: 1-event commit p50 x{pg['one p50'] / lite['one p50']:.2f},"
        f" batch p50 x{pg['batch p50'] / lite['batch p50']:.2f},"
        f" read x{pg['read'] / lite['read']:.2f}"
    )


if __name__ == "__main__":
    main()
