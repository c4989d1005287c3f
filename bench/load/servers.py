"""The server under test, in its own process: ``facilitator serve``, the Node peer or the baseline.

Started pinned to core 0 (the generators get core 1), with the loop-lag sampler on; watched from
outside with psutil (CPU time, RSS) so the measuring costs the server nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
AGENDA = (
    "---\ntitle: 負載測試\nkind: square_talk\ndate: 2026-05-20\n---\n\n## 加裝電梯表決（60分鐘）\n"
)
SERVER_CPU, GENERATOR_CPU = 0, 1


def pin(pid: int, cpu: int) -> bool:
    """Pin a process to one core where the OS allows it; False when it cannot."""
    if not hasattr(os, "sched_setaffinity") or cpu >= (os.cpu_count() or 1):
        return False
    try:
        os.sched_setaffinity(pid, {cpu})
    except OSError:
        return False
    return True


@dataclass
class Server:
    """A running server process: where it listens, and its CPU and memory seen from outside."""

    kind: str  # "facilitator", "console" (facilitator with the console), "peer" or "baseline"
    proc: subprocess.Popen[bytes]
    url: str
    token: str
    folder: Path
    ps: psutil.Process
    pinned: bool
    peak_rss: int = 0
    _watch: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def start(cls, kind: str, folder: Path, db: str | None = None) -> Server:
        """Start ``kind`` on ``db`` (a postgresql:// URL; default a SQLite file in ``folder``)."""
        ready = folder / "ready.json"
        db = db or str(folder / "bench.db")
        env = {**os.environ, "FACILITATOR_LOOP_LAG_FILE": str(folder / "lag.txt")}
        if kind == "facilitator":
            agenda = folder / "AGENDA.md"
            agenda.write_text(AGENDA, encoding="utf-8")
            argv = [
                sys.executable, "-m", "facilitator", "serve", str(agenda),
                "--db", db, "--host", "127.0.0.1", "--port", "0",
                "--ready-file", str(ready),  # default settings otherwise, as a user would run it
            ]  # fmt: skip
        elif kind == "console":  # the same, with the console drawing in the same loop
            agenda = folder / "AGENDA.md"
            agenda.write_text(AGENDA, encoding="utf-8")
            argv = [
                sys.executable, str(ROOT / "bench/load/console_server.py"), str(agenda),
                "--db", db, "--ready-file", str(ready),
            ]  # fmt: skip
        elif kind == "peer":  # the minimal Node socket.io v4 server (bench/load/peer.js)
            argv = ["node", str(ROOT / "bench/load/peer.js"), "--ready-file", str(ready)]
        else:
            argv = [
                sys.executable,
                str(ROOT / "bench/load/baseline.py"),
                "--ready-file",
                str(ready),
            ]
        log = (folder / "server.log").open("wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        pinned = pin(proc.pid, SERVER_CPU)
        deadline = time.monotonic() + 30
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{kind} did not start: {(folder / 'server.log').read_text()}")
            await asyncio.sleep(0.05)
        info = json.loads(ready.read_text(encoding="utf-8"))
        server = cls(
            kind,
            proc,
            info["url"],
            info["moderator_token"],
            folder,
            psutil.Process(proc.pid),
            pinned,
        )
        server._watch = asyncio.create_task(server._watch_rss())
        return server

    def cpu(self) -> float:
        """CPU seconds (user + system) the server has used so far."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    async def _watch_rss(self) -> None:
        while True:
            try:
                self.peak_rss = max(self.peak_rss, self.rss())
            except psutil.Error:
                return
            await asyncio.sleep(0.2)

    def lag(self, start: float, end: float) -> list[float]:
        """Loop-lag samples (ms) the server took between two monotonic times."""
        samples = []
        with (self.folder / "lag.txt").open(encoding="ascii") as lines:
            for line in lines:
                at, _, lag = line.partition(" ")
                if lag and at != "gc" and start <= float(at) <= end:
                    samples.append(float(lag))
        return samples

    def gc_pauses(self, start: float, end: float) -> list[tuple[float, float]]:
        """The garbage collector's passes between two monotonic times: (pause ms, CPU ms). Only
        facilitator's sampler writes them; on a shared core a pause is longer than its CPU."""
        pauses = []
        with (self.folder / "lag.txt").open(encoding="ascii") as lines:
            for line in lines:
                if line.startswith("gc "):
                    _, at, pause, _generation, cpu, *_ = line.split()
                    if start <= float(at) <= end:
                        pauses.append((float(pause), float(cpu)))
        return pauses

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        self.proc.send_signal(signal.SIGTERM)
        for _ in range(100):
            if self.proc.poll() is not None:
                return
            await asyncio.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
