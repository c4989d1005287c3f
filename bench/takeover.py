"""Takeover: two ``facilitator serve`` processes on one database, phones voting, the owner killed.

The owner serves the session; a standby (``serve --takeover``) waits on its claim. N phones (real
socket.io clients, ``bench/lean.py``) join the owner and vote over a short window; when half the
ballots are acknowledged the owner is killed with SIGKILL. Every phone whose connection dropped
asks ``/j/CODE`` of the processes it knows until one serves the page (a standby that took over,
or a redirect to it), reconnects there with the same device token, and resends an unanswered
ballot with the same request id, which the new owner answers again instead of counting it twice.
Then a new standby is started on the dead process's port, and the next kill repeats the cycle
(without votes) ``--kills`` times.

Prints, per kill: *takeover* (SIGKILL → the standby listening with the session replayed: its
ready file) and *phones back* (SIGKILL → the last phone reconnected), and their medians. With
``--json`` also every phone's acknowledged ballot, for tests/reliability/test_failover.py to
check against the log.

    .venv/bin/python bench/takeover.py --phones 200 --kills 5
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lean import LeanPhone

ROOT = Path(__file__).resolve().parents[1]
AGENDA = (
    "---\ntitle: 接手測試\nkind: square_talk\ndate: 2026-12-04\n---\n\n## 加裝電梯表決（60分鐘）\n"
)
CHOICES = ("yes", "no", "abstain")
RETRY_S = 0.05


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Serve:
    """One ``facilitator serve`` process on the shared database."""

    process: subprocess.Popen[bytes]
    port: int
    ready: Path
    err: Path

    @classmethod
    def start(cls, folder: Path, db: str, port: int, *extra: str) -> Serve:
        stamp = time.monotonic_ns()
        ready, err = folder / f"ready-{stamp}.json", folder / f"serve-{stamp}.err"
        argv = [sys.executable, "-m", "facilitator", "serve", str(folder / "AGENDA.md")]
        argv += ["--db", db, "--host", "127.0.0.1", "--port", str(port)]
        argv += ["--ready-file", str(ready), "--minutes", str(folder / "minutes"), *extra]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
        with err.open("wb") as stderr:
            process = subprocess.Popen(
                argv, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT, env=env
            )
        return cls(process, port, ready, err)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while not self.ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.err.read_text(encoding="utf-8")[-2000:])
            await asyncio.sleep(0.01)
        data: dict[str, Any] = json.loads(self.ready.read_text(encoding="utf-8"))
        return data

    async def wait_standing_by(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while "Ctrl-C" not in self.err.read_text(encoding="utf-8"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.err.read_text(encoding="utf-8")[-2000:])
            await asyncio.sleep(0.01)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Phone:
    """A resident's phone: its device token is its identity on whichever process serves."""

    index: int
    join: str
    token: str = ""
    lean: LeanPhone | None = None
    participant: str = ""
    ballot: dict[str, Any] | None = None  # {"rid", "poll_id", "choices", "seq"} once acked
    reconnects: int = 0
    back_at: float = 0.0
    acked_at: float = 0.0
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.token = f"takeover-phone-{self.index:05d}"

    @property
    def connected(self) -> bool:
        return self.lean is not None and not self.lean.closed.is_set()

    async def connect(self, http: aiohttp.ClientSession, candidates: list[str]) -> None:
        """Find the process serving the session through ``/j/CODE`` and connect there."""
        while True:
            for base in candidates:
                try:
                    async with http.get(f"{base}/j/{self.join}") as answer:
                        if answer.status != 200:
                            continue
                        origin = f"{answer.url.scheme}://{answer.url.host}:{answer.url.port}"
                    lean = LeanPhone(http, origin, "/participant")
                    await lean.connect({"v": 1, "token": self.token}, timeout=5)
                except (aiohttp.ClientError, OSError, TimeoutError, ConnectionError) as error:
                    self.log.append(f"{base}: {type(error).__name__}")
                    continue
                self.lean = lean
                self.back_at = time.monotonic()
                return
            await asyncio.sleep(RETRY_S)

    async def call(self, event: str, data: Any) -> Any:
        """Send until answered; cut off, wait for :meth:`watch` to reconnect and send again with
        the same request id (the new owner answers it again rather than applying it twice)."""
        while True:
            while not self.connected:
                await asyncio.sleep(RETRY_S)
            assert self.lean is not None
            try:
                return await self.lean.call(event, data, timeout=10)
            except (ConnectionError, TimeoutError, aiohttp.ClientError, OSError) as error:
                self.log.append(f"{event}: {type(error).__name__}")
                await self.lean.close()

    async def watch(self, http: aiohttp.ClientSession, candidates: list[str]) -> None:
        """Reconnect as soon as the connection drops (what the phone page does by itself)."""
        while True:
            if self.lean is not None:
                await self.lean.closed.wait()
                self.reconnects += 1
            await self.connect(http, candidates)


async def moderator(http: aiohttp.ClientSession, serve: Serve, token: str) -> LeanPhone:
    lean = LeanPhone(http, serve.url, "/moderator")
    await lean.connect({"v": 1, "token": token})
    return lean


async def command(lean: LeanPhone, type_: str, **fields: Any) -> dict[str, Any]:
    ack: dict[str, Any] = await lean.call(
        "command", {"rid": f"m-{time.monotonic_ns()}", "type": type_, **fields}
    )
    if not ack.get("ok"):
        raise RuntimeError(f"{type_}: {ack}")
    return ack


async def run(
    folder: Path, n: int, kills: int, window: float, db: str | None = None
) -> dict[str, Any]:
    """The whole run in ``folder``, on ``db`` (default: ``folder/takeover.db``, SQLite)."""
    (folder / "AGENDA.md").write_text(AGENDA, encoding="utf-8")
    db = db or str(folder / "takeover.db")
    ports = [free_port(), free_port()]
    owner = Serve.start(folder, db, ports[0])
    ready = await owner.wait_ready()
    standby = Serve.start(folder, db, ports[1], "--takeover")
    await standby.wait_standing_by()
    candidates = [f"http://127.0.0.1:{port}" for port in ports]
    kill_figures: list[dict[str, float]] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        chair = await moderator(http, owner, ready["moderator_token"])
        await command(chair, "AdvanceAgenda")
        state = (await chair.call("sync", {}))["state"]
        join = state["session"]["join_code"]
        phones = [Phone(i, join) for i in range(n)]
        await asyncio.gather(*(p.connect(http, candidates) for p in phones))
        for phone in phones:
            assert phone.lean is not None
            ack = await phone.lean.call("join", {"rid": "j1", "name": f"居民{phone.index}"})
            if not ack.get("ok"):
                raise RuntimeError(f"join: {ack}")
            phone.participant = ack["me"]["id"]
        await command(chair, "OpenPoll", question="是否同意加裝電梯？", hide_tally=False)
        poll_id = (await chair.call("sync", {}))["state"]["poll"]["id"]
        await chair.close()

        watchers = [asyncio.create_task(p.watch(http, candidates)) for p in phones]
        acked = 0
        half = asyncio.Event()

        async def vote(phone: Phone, at: float) -> None:
            nonlocal acked
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            rid = f"v-{phone.index}"
            ballot = {"rid": rid, "poll_id": poll_id, "choices": [CHOICES[phone.index % 3]]}
            ack = await phone.call("vote", ballot)
            if not ack.get("ok"):
                raise RuntimeError(f"vote of phone {phone.index}: {ack}")
            phone.ballot = {**ballot, "seq": ack.get("seq")}
            phone.acked_at = time.monotonic()
            acked += 1
            if acked >= n // 2:
                half.set()

        start = time.monotonic() + 0.2
        votes = [
            asyncio.create_task(vote(p, start + window * (i + 0.5) / n))
            for i, p in enumerate(phones)
        ]

        async def resend(early: list[Phone]) -> int:
            """Ballots acknowledged before the kill, sent again with their request ids (as a
            phone does that never saw its ack): answered again by the new owner, not recounted."""
            for phone in early:
                assert phone.ballot is not None
                ballot = {k: phone.ballot[k] for k in ("rid", "poll_id", "choices")}
                ack = await phone.call("vote", ballot)
                if not ack.get("ok"):
                    raise RuntimeError(f"resent vote of phone {phone.index}: {ack}")
            return len(early)

        resent = 0
        serving, waiting = owner, standby
        for round_ in range(kills):
            if round_ == 0:
                await half.wait()  # mid-vote: half the ballots acknowledged, half to come
            killed_at = time.monotonic()
            serving.kill()
            took = await waiting.wait_ready()
            took_at = time.monotonic()
            while any(p.back_at < killed_at for p in phones):
                await asyncio.sleep(0.01)
            back = max(p.back_at for p in phones) - killed_at
            kill_figures.append({"takeover_s": took_at - killed_at, "phones_back_s": back})
            if round_ == 0:
                await asyncio.gather(*votes)
                resent = await resend([p for p in phones if p.acked_at < killed_at])
            port = serving.port
            serving, waiting = waiting, Serve.start(folder, db, port, "--takeover")
            await waiting.wait_standing_by()
            ready = took
        for task in watchers:
            task.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
        chair = await moderator(http, serving, ready["moderator_token"])
        final = (await chair.call("sync", {}))["state"]
        await chair.close()
        for phone in phones:
            if phone.lean is not None:
                await phone.lean.close()
    for process in (serving, waiting):
        process.process.send_signal(signal.SIGTERM)
        process.process.wait(timeout=10)
    return {
        "phones": n,
        "session_id": ready["session_id"],
        "poll_id": poll_id,
        "kills": kill_figures,
        "takeover_median_s": statistics.median(k["takeover_s"] for k in kill_figures),
        "phones_back_median_s": statistics.median(k["phones_back_s"] for k in kill_figures),
        "final_poll": final.get("poll"),
        "ballots": {p.participant: p.ballot for p in phones},
        "reconnects": sum(p.reconnects for p in phones),
        "resent_after_takeover": resent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--window", type=float, default=3.0, help="seconds the votes spread over")
    parser.add_argument("--json", type=Path, help="write the whole result here")
    parser.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temp")
    parser.add_argument("--db", help="the shared database (a postgresql:// URL); default SQLite")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = asyncio.run(run(args.keep, args.phones, args.kills, args.window, args.db))
    else:
        with tempfile.TemporaryDirectory(prefix="takeover-") as tmp:
            result = asyncio.run(run(Path(tmp), args.phones, args.kills, args.window, args.db))
    if args.json is not None:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"{args.phones} phones, {len(result['kills'])} kills (SIGKILL of the owner), {backend}")
    for i, k in enumerate(result["kills"], 1):
        print(
            f"  kill {i}: takeover {k['takeover_s']:.2f} s, phones back {k['phones_back_s']:.2f} s"
        )
    print(
        f"median: takeover {result['takeover_median_s']:.2f} s, "
        f"all phones back {result['phones_back_median_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
