"""District: 20 sessions of 100 phones, served by one process or split over two.

One SQLite database holds 20 opened sessions. ``facilitator serve --session …`` serves all 20 in
one process, or 10 each in two processes; each session has its own socket (docs/scale.md). Every
phone (``bench/lean.py``, all in this process) connects to its session's socket, joins; then each
session's moderator opens a poll and every phone votes once, the ballots of all sessions spread
evenly over ``--window`` seconds. Measured per layout: ballots acknowledged per second over the
window, vote → ack latency (median, p95), and the servers' CPU per ballot (psutil, user + sys).

    .venv/bin/python bench/district.py --sessions 20 --phones 100

The machine is shared and has 2 cores: the phones run beside the servers, so the figures are for
comparing the two layouts within one run, not absolute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lean import LeanPhone

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind
from facilitator.hub import Hub
from facilitator.services import session_command
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore

ROOT = Path(__file__).resolve().parents[1]
CHOICES = ("yes", "no", "abstain")


async def make_sessions(db: Path, count: int) -> list[str]:
    """``count`` opened sessions with their first item started; their join codes."""
    with EventStore.open(db) as store:
        hub = Hub(store)
        try:
            codes = []
            for n in range(count):
                agenda = Agenda(
                    title=f"第{n + 1}社區議事",
                    kind=SessionKind.SQUARE_TALK,
                    items=(AgendaItemSpec(title="加裝電梯表決", time_box_s=3600),),
                )
                command = session_command(agenda, store)
                hub.create(command)
                await hub.dispatch(command.session_id, c.OpenSession(at=hub.clock()), MODERATOR)
                await hub.dispatch(command.session_id, c.AdvanceAgenda(at=hub.clock()), MODERATOR)
                codes.append(command.join_code)
            return codes
        finally:
            hub.close()


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    ready: dict[str, Any]
    ps: psutil.Process

    def cpu(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)


async def serve(folder: Path, db: Path, codes: list[str], name: str) -> Process:
    ready = folder / f"ready-{name}.json"
    argv = [sys.executable, "-m", "facilitator", "serve", "--db", str(db)]
    argv += ["--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready)]
    for code in codes:
        argv += ["--session", code]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (folder / f"{name}.err").open("wb") as err:
        popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while not ready.exists():
        if popen.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError((folder / f"{name}.err").read_text(encoding="utf-8")[-2000:])
        await asyncio.sleep(0.05)
    return Process(popen, json.loads(ready.read_text(encoding="utf-8")), psutil.Process(popen.pid))


def sessions_of(process: Process) -> list[dict[str, Any]]:
    """Each session a process serves: url, socket path, moderator token."""
    ready = process.ready
    listed = ready.get("sessions") or [
        {
            "moderator_token": ready["moderator_token"],
            "prefix": "",
            "session_id": ready["session_id"],
        }
    ]
    return [{**s, "url": ready["url"], "path": f"{s['prefix']}/socket.io"} for s in listed]


async def layout(
    folder: Path, db: Path, codes: list[str], processes: int, args: Any
) -> dict[str, Any]:
    share = len(codes) // processes
    servers = [
        await serve(folder, db, codes[i * share : (i + 1) * share], f"p{processes}-{i}")
        for i in range(processes)
    ]
    latencies: list[float] = []
    failures = 0
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            sessions = [s for server in servers for s in sessions_of(server)]
            phones: list[tuple[LeanPhone, dict[str, Any]]] = []
            for session in sessions:
                for _ in range(args.phones):
                    lean = LeanPhone(
                        http, session["url"], "/participant",
                        path=session["path"], raw_events=("state",),  # snapshots not decoded
                    )  # fmt: skip
                    phones.append((lean, session))
            sem = asyncio.Semaphore(50)

            async def join(index: int, lean: LeanPhone) -> None:
                async with sem:
                    await lean.connect({"v": 1, "token": f"district-{processes}-{index:06d}"})
                    ack = await lean.call("join", {"rid": "j", "name": f"居民{index}"})
                    if not ack.get("ok"):
                        raise RuntimeError(f"join: {ack}")

            await asyncio.gather(*(join(i, lean) for i, (lean, _) in enumerate(phones)))
            polls = {}
            for session in sessions:
                chair = LeanPhone(http, session["url"], "/moderator", path=session["path"])
                await chair.connect({"v": 1, "token": session["moderator_token"]})
                rid = f"open-{session['session_id']}"
                fields = {"type": "OpenPoll", "question": "是否同意？", "hide_tally": False}
                ack = await chair.call("command", {"rid": rid, **fields})
                if not ack.get("ok"):
                    raise RuntimeError(f"OpenPoll: {ack}")
                state = (await chair.call("sync", {}))["state"]
                polls[session["session_id"]] = state["poll"]["id"]
                await chair.close()
            await asyncio.sleep(0.5)
            cpu0 = sum(s.cpu() for s in servers)
            start = time.monotonic() + 0.2
            total = len(phones)

            async def vote(index: int, lean: LeanPhone, session: dict[str, Any]) -> None:
                nonlocal failures
                await asyncio.sleep(
                    max(0.0, start + args.window * index / total - time.monotonic())
                )
                ballot = {"rid": "v", "poll_id": polls[session["session_id"]],
                          "choices": [CHOICES[index % 3]]}  # fmt: skip
                sent = time.monotonic()
                ack = await lean.call("vote", ballot)
                if ack.get("ok"):
                    latencies.append(time.monotonic() - sent)
                else:
                    failures += 1

            order = sorted(range(total), key=lambda i: (i % args.phones, i))  # sessions interleaved
            await asyncio.gather(*(vote(rank, *phones[i]) for rank, i in enumerate(order)))
            span = time.monotonic() - start
            cpu = sum(s.cpu() for s in servers) - cpu0
            for lean, _ in phones:
                await lean.close()
    finally:
        for server in servers:
            server.popen.send_signal(signal.SIGTERM)
            server.popen.wait(timeout=10)
    latencies.sort()
    return {
        "processes": processes,
        "ballots": len(latencies),
        "failures": failures,
        "ballots_per_s": len(latencies) / span,
        "ack_p50_ms": statistics.median(latencies) * 1000,
        "ack_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "cpu_us_per_ballot": cpu / max(1, len(latencies)) * 1e6,
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="district-") as tmp:
        results = []
        for processes in (1, 2):
            folder = Path(tmp) / f"p{processes}"
            folder.mkdir()
            db = folder / "district.db"
            codes = await make_sessions(db, args.sessions)
            results.append(await layout(folder, db, codes, processes, args))
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--phones", type=int, default=100, help="phones per session")
    parser.add_argument("--window", type=float, default=5.0, help="seconds the ballots spread over")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    one, two = asyncio.run(main_async(args))
    if args.json is not None:
        args.json.write_text(json.dumps([one, two], indent=1), encoding="utf-8")
    print(f"{args.sessions} sessions x {args.phones} phones, ballots over {args.window:.0f} s")
    print(f"{'':22}{'1 process':>12}{'2 processes':>14}{'ratio 2/1':>11}")
    for key, label in (
        ("ballots", "ballots acked"),
        ("failures", "failures"),
        ("ballots_per_s", "ballots/s"),
        ("ack_p50_ms", "vote->ack p50 ms"),
        ("ack_p95_ms", "vote->ack p95 ms"),
        ("cpu_us_per_ballot", "server CPU us/ballot"),
    ):
        ratio = two[key] / one[key] if one[key] else float("nan")
        print(f"{label:22}{one[key]:12.1f}{two[key]:14.1f}{ratio:11.2f}")


if __name__ == "__main__":
    main()
