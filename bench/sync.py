"""An offline evening sent to the district: ``facilitator sync`` of a laptop with many sessions,
the first time (everything new) and again (nothing new), as the command a secretary runs.

    .venv/bin/python bench/sync.py [--sessions 600] [--people 20] [--to postgresql://…]

The laptop is a SQLite file of ``--sessions`` closed sessions, each with ``--people`` people who
join and support one of ten issues (one command, one request id, one event, as on a real
evening). Without ``--to`` the district is a fresh SQLite file; with it, that (empty) database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.session import SessionEngine
from facilitator.session import commands as c
from facilitator.session.values import IssueSource
from facilitator.store import EventStore

TZ = dt.timezone(dt.timedelta(hours=8))


def evening(n: int, people: int) -> list[c.Command]:
    at = dt.datetime(2026, 6, 1, 19, 30, tzinfo=TZ) + dt.timedelta(days=n)
    sid = f"s-bench-{n:05d}"
    commands: list[c.Command] = [
        c.CreateSession(
            at=at,
            session_id=sid,
            kind=SessionKind.SQUARE_TALK,
            title=f"廣場夜話 {n}",
            join_code=f"B{n:05d}",
            numeric_code=f"{n % 10000:04d}",
            place="和平里社區廣場",
            date=at.date(),
            items=(AgendaItemSpec("居民訴求", 1800),),
            item_ids=("a1",),
        ),
        c.OpenSession(at=at),
    ]
    for p in range(people):
        pid = f"p{p}"
        commands.append(c.JoinSession(at=at, participant_id=pid, device_key=f"d{p}",
                                      display_name=f"居民{p}"))  # fmt: skip
    for i in range(10):
        commands.append(c.RaiseIssue(at=at, issue_id=f"i{i}", text=f"訴求 {i}",
                                     source=IssueSource.PHONE, participant_id=f"p{i}"))  # fmt: skip
    for p in range(10, people):
        commands.append(c.SupportIssue(at=at, issue_id=f"i{p % 10}", participant_id=f"p{p}"))
    commands.append(c.CloseSession(at=at))
    return commands


def laptop(path: Path, sessions: int, people: int) -> int:
    """Write the laptop's file; the number of events in it."""
    total = 0
    with EventStore.open(path) as store:
        for n in range(sessions):
            engine = SessionEngine()
            batch = []
            for k, command in enumerate(evening(n, people)):
                events = engine.handle(command)
                batch.append((f"s-bench-{n:05d}", events, f"rid-{n}-{k}", "moderator"))
                total += len(events)
            store.append_batch(batch)
    return total


def timed(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "sync", *args], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=600)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--to", help="an empty district database (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "laptop.db"
        events = laptop(source, args.sessions, args.people)
        district = args.to or str(Path(folder) / "district.db")
        first = timed(str(source), "--to", district, "--create")
        again = timed(str(source), "--to", district)
    backend = "PostgreSQL" if args.to else "SQLite"
    print(f"| {args.sessions} sessions, {events} events -> {backend} | first | again |")
    print("|---|---:|---:|")
    print(f"| whole command | {first:.2f} s | {again:.2f} s |")
    print(f"| per session | {first / args.sessions * 1000:.1f} ms | "
          f"{again / args.sessions * 1000:.1f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
