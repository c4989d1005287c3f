"""Load benchmark driver: N phones against ``facilitator serve`` and against the baseline.

For each size and vote pattern it starts the server (pinned to core 0, SQLite on disk; with
``--stores sqlite postgresql`` also on a throwaway PostgreSQL it starts for the run), connects
as the moderator, starts the phones in generator processes (pinned to core 1, ~1,000 phones each),
and runs the meeting: join + check in, open the poll, one ballot per phone in a 10 s window
(``uniform``, or ``front``: 80 % in the first 2 s), then a broadcast-cost phase (K moderator
changes, 250 ms apart, each one snapshot to every phone) and a final check of every phone's tally.

    python bench/load/driver.py --n 100 1000 [--modes uniform front] [--stores sqlite postgresql]
                                [--json out.json]

Prints a Markdown table (bench/README.md explains every column).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.pg_kit

from lean import LeanPhone
from report import medians, summarize, table
from servers import GENERATOR_CPU, ROOT, SERVER_CPU, Server, pin

from tests.pg_kit import Cluster

PER_PROCESS = 1000
BROADCAST_GAP_S = 0.25


class Generators:
    """The generator processes of one run, talked to over stdin/stdout JSON lines."""

    def __init__(self, procs: list[asyncio.subprocess.Process]) -> None:
        self.procs = procs

    @classmethod
    async def start(cls, url: str, n: int, args: argparse.Namespace) -> Generators:
        count = max(1, math.ceil(n / PER_PROCESS))
        start_at = time.monotonic() + 1.0 + 0.4 * count  # after every process has imported
        rate = args.rate
        procs = []
        for part in range(count):
            argv = [
                sys.executable, str(ROOT / "bench/load/phones.py"), "--url", url, "--n", str(n),
                "--part", str(part), "--procs", str(count), "--rate", str(rate),
                "--start-at", str(start_at), "--cpu", str(GENERATOR_CPU), "--client", args.client,
            ]  # fmt: skip
            if args.no_deflate:
                argv.append("--no-deflate")
            procs.append(
                await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    limit=1 << 26,
                )
            )
        return cls(procs)

    async def expect(self, event: str, timeout: float = 120.0) -> list[dict[str, Any]]:
        async def one(proc: asyncio.subprocess.Process) -> dict[str, Any]:
            assert proc.stdout is not None
            line = await proc.stdout.readline()
            if not line:
                raise RuntimeError(f"generator {proc.pid} ended before {event!r}")
            answer: dict[str, Any] = json.loads(line)
            assert answer["ev"] == event, answer
            return answer

        return list(await asyncio.wait_for(asyncio.gather(*(one(p) for p in self.procs)), timeout))

    def send(self, **command: Any) -> None:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write((json.dumps(command) + "\n").encode())

    async def stop(self) -> None:
        self.send(cmd="quit")
        for proc in self.procs:
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()


class Moderator:
    """The driver's own connection to ``/moderator``: opens the poll, makes the broadcasts."""

    def __init__(self, lean: LeanPhone, kind: str) -> None:
        self.lean, self.kind = lean, kind
        self.rid = 0

    async def command(self, type_: str, **fields: Any) -> dict[str, Any]:
        self.rid += 1
        ack: dict[str, Any] = await self.lean.call(
            "command", {"rid": f"m{self.rid}", "type": type_, **fields}
        )
        if not ack.get("ok"):
            raise RuntimeError(f"{type_}: {ack}")
        return ack

    async def state(self) -> dict[str, Any]:
        ack = await self.lean.call("sync", {})
        state: dict[str, Any] = ack["state"]
        return state


async def profile(server: Server, folder: Path | None, name: str, seconds: float) -> None:
    """Sample the server with py-spy (``--profile``; profiling only, not a dependency)."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{server.kind}-{name}.txt"
    argv = [
        str(Path(sys.executable).with_name("py-spy")),
        "record",
        "-p",
        str(server.proc.pid),
        "-d",
        str(max(1, round(seconds))),
    ]
    argv += ["-r", "250", "-f", "raw", "-o", str(out)]
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    await proc.wait()


def core_busy(cpu: int) -> float:
    """Seconds core ``cpu`` has been busy (anyone's work) since boot."""
    times = psutil.cpu_times(percpu=True)[cpu]
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


async def cpu_between(server: Server, start: float, end: float) -> tuple[float, float]:
    """Server CPU seconds, and its core's busy seconds, between two monotonic times to come."""
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    before, busy = server.cpu(), core_busy(SERVER_CPU)
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    return server.cpu() - before, core_busy(SERVER_CPU) - busy


async def run_one(
    kind: str, n: int, mode: str, args: argparse.Namespace, db: str | None = None
) -> dict[str, Any]:
    """One run of ``kind`` with ``n`` phones; ``db`` a PostgreSQL URL (default: SQLite)."""
    with tempfile.TemporaryDirectory(prefix=f"load-{kind}-") as tmp:
        server = await Server.start(kind, Path(tmp), db)
        pin(0, GENERATOR_CPU)
        connector = aiohttp.TCPConnector(limit=0)
        generators: Generators | None = None
        try:
            async with aiohttp.ClientSession(connector=connector) as http:
                lean = LeanPhone(http, server.url, "/moderator", raw_events=("state",))
                await lean.connect({"v": 1, "token": server.token})
                moderator = Moderator(lean, kind)
                if kind != "baseline":
                    await moderator.command("AdvanceAgenda")
                await asyncio.sleep(0.5)
                rss_idle = server.rss()
                joined_at, join_cpu = time.monotonic(), server.cpu()
                generators = await Generators.start(server.url, n, args)
                joined = await generators.expect("joined", timeout=60 + n / args.rate * 3)
                join_cpu = server.cpu() - join_cpu
                await asyncio.sleep(1.0)
                rss_joined = server.rss()
                opened = await moderator.command(
                    "OpenPoll", question="是否同意加裝電梯？", hide_tally=False
                )
                t0 = time.monotonic() + 1.0
                generators.send(
                    cmd="vote", t0=t0, window=args.window, front=0.8 if mode == "front" else 0.0
                )
                tag = f"{n}-{mode}"
                spy = asyncio.create_task(
                    profile(server, args.profile, f"{tag}-vote", args.window + 1)
                )
                vote_cpu, core_vote = await cpu_between(server, t0, t0 + args.window)
                await spy
                await generators.expect("voted", timeout=120)
                await asyncio.sleep(1.0)
                generators.send(cmd="mark")
                await generators.expect("marked")
                span = args.broadcasts * BROADCAST_GAP_S + 0.5
                quiet = time.monotonic()
                idle_cpu, _ = await cpu_between(server, quiet, quiet + span)
                state = await moderator.state()
                item_id = (state.get("item") or {}).get("id", "-")
                spy = asyncio.create_task(profile(server, args.profile, f"{tag}-broadcast", span))
                phase_start, cpu_start = time.monotonic(), server.cpu()
                for _ in range(args.broadcasts):
                    await moderator.command("ExtendItem", item_id=item_id, seconds=60)
                    await asyncio.sleep(BROADCAST_GAP_S)
                await asyncio.sleep(max(0.0, phase_start + span - time.monotonic()))
                phase_cpu = server.cpu() - cpu_start
                phase_end = time.monotonic()
                await spy
                final = await moderator.state()
                poll = final.get("poll") or {}
                generators.send(
                    cmd="report", final_seq=final["seq"], final_totals=poll.get("totals")
                )
                reports = await generators.expect("report")
                await lean.close()
        finally:
            if generators is not None:
                await generators.stop()
            await server.stop()
        if args.profile is not None:  # the loop-lag and collector samples beside the profiles
            for name in ("lag.txt", "server.log"):
                shutil.copy(Path(tmp) / name, args.profile / f"{kind}-{n}-{mode}-{name}")
        return summarize(
            kind=f"{kind} (PostgreSQL)" if db else kind, n=n, mode=mode, joined=joined,
            reports=reports, server=server,
            rss_idle=rss_idle, rss_joined=rss_joined, vote_cpu=vote_cpu, idle_cpu=idle_cpu,
            other_cpu=max(0.0, core_vote - vote_cpu),
            phase_cpu=phase_cpu, broadcasts=args.broadcasts, window=(t0, t0 + args.window),
            phase=(phase_start, phase_end), window_s=args.window,
            poll_opened=bool(opened.get("ok")), joined_at=joined_at, join_cpu=join_cpu,
        )  # fmt: skip


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    versions = ", ".join(
        f"{name} {version(name)}" for name in ("python-socketio", "python-engineio", "aiohttp")
    )
    node = "Node.js (none)"
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError, KeyError):
        found = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
        pinned = json.loads((ROOT / "node_modules/socket.io/package.json").read_text("utf-8"))
        node = f"Node.js {found.stdout.strip()}, socket.io {pinned['version']}"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}; {versions}; {node}"


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every server at every size and pattern, ``--repeat`` times; the servers of one repeat run
    back to back, so the ratios between them come from runs made under the same conditions."""
    results = []
    with contextlib.ExitStack() as stack:
        cluster = None
        if "postgresql" in args.stores:  # a throwaway server for this run, WAL flushed on commit
            cluster = stack.enter_context(Cluster(fsync=True))
        for n in args.n:
            for mode in args.modes:
                for repeat in range(args.repeat):
                    for kind in args.servers:
                        for store in args.stores if kind in ("facilitator", "console") else ["-"]:
                            db = (
                                cluster.new_database()
                                if store == "postgresql" and cluster
                                else None
                            )
                            began = time.monotonic()
                            try:
                                result = await run_one(kind, n, mode, args, db)
                            except Exception as error:  # one broken run must not lose the others
                                result = {
                                    "server": kind,
                                    "n": n,
                                    "mode": mode,
                                    "error": repr(error),
                                }
                            result["repeat"] = repeat
                            result["duration_s"] = round(time.monotonic() - began, 1)
                            brief = {k: v for k, v in result.items() if "_ms" not in k}
                            print(json.dumps(brief), file=sys.stderr, flush=True)
                            results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument(
        "--modes", nargs="+", default=["uniform", "front"], choices=["uniform", "front"]
    )
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["facilitator", "peer", "baseline"],
        choices=["facilitator", "console", "peer", "baseline"],
    )
    parser.add_argument(
        "--stores",
        nargs="+",
        default=["sqlite"],
        choices=["sqlite", "postgresql"],
        help="event store(s) of the facilitator server; postgresql starts a throwaway cluster",
    )
    parser.add_argument("--rate", type=float, default=500.0, help="joins per second")
    parser.add_argument("--no-deflate", action="store_true", help="phones do not offer deflate")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, help="py-spy the server into this folder")
    parser.add_argument("--window", type=float, default=10.0, help="vote window, seconds")
    parser.add_argument("--broadcasts", type=int, default=20, help="broadcast-cost phase size")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; tables give medians")
    parser.add_argument(
        "--client", choices=["wire", "lean"], default="wire", help="the generator's phones"
    )
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    print(f"Machine: {machine()}\n")
    print(f"Each run ({len(results)}):\n")
    print(table(results))
    print(f"\nMedians of {args.repeat} runs; ratios: the median of each run's own ratio:\n")
    print(medians(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
