"""One load-generator process: a share of the simulated phones, driven over stdin/stdout.

Started by ``driver.py`` (several of these, ~1,000 phones each). Phone ``i`` of ``--n`` (this
process holds every ``--procs``-th one, from ``--part``) connects at ``--start-at + i / rate``,
joins and checks in. Commands arrive as JSON lines on stdin; answers go out as JSON lines:

* ``{"cmd": "vote", "t0", "window", "front"}``: each phone waits for the open poll in its
  snapshots, then casts one ballot at its slot of the window (``front`` of the phones in the first
  2 s). Answer ``{"ev": "voted"}`` once every phone has its ack (or failed).
* ``{"cmd": "mark"}``: start counting snapshots (the driver's broadcast-cost phase).
* ``{"cmd": "report", "final_seq", "final_totals"}``: latencies, failures, lost updates, CPU.
* ``{"cmd": "quit"}``.

Times are ``time.monotonic()`` — CLOCK_MONOTONIC, the same clock in every process of the machine —
so the driver, the server's loop-lag sampler and every phone stamp events on one time line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lean import DEFLATE, LeanPhone
from wsphone import Counter, WirePhone

CHOICES = ("yes", "no", "abstain")
FRONT_S = 2.0  # the "front" variant puts its share of the ballots in the first 2 s


def vote_offsets(n: int, window: float, front: float, seed: int = 6) -> list[float]:
    """When each of ``n`` phones votes, in seconds after the window opens (same everywhere)."""
    ranks = list(range(n))
    random.Random(seed).shuffle(ranks)
    early = round(n * front)
    offsets = [0.0] * n
    for i, rank in enumerate(ranks):
        if rank < early:
            offsets[i] = FRONT_S * (rank + 0.5) / early
        else:
            start = FRONT_S if early else 0.0
            offsets[i] = start + (window - start) * (rank - early + 0.5) / (n - early)
    return offsets


def seq_of(packet: bytes) -> int:
    """``seq`` of a snapshot packet ``["state",{"seq":42,...}]`` without decoding the rest."""
    at = packet.find(b'"seq":')
    if at < 0:
        return -1
    end = packet.find(b",", at)
    return int(packet[at + 6 : end if end > 0 else packet.find(b"}", at)])


class LeanClient:
    """The previous generator's phone (``--client lean``: aiohttp, one reader task per phone),
    kept to compare the generators' costs; hands snapshots over as bytes like :class:`WirePhone`."""

    def __init__(self, session: aiohttp.ClientSession, url: str, deflate: bool) -> None:
        compress = DEFLATE if deflate else 0
        self.lean = LeanPhone(
            session, url, "/participant", compress=compress, raw_events=("state",)
        )
        self.lean.on_raw = self._raw
        self.on_raw: Any = None

    def _raw(self, name: str, text: str, at: float) -> None:
        Counter.received += 1
        self.on_raw(name, text.encode(), at)

    @property
    def deflate(self) -> bool:
        return self.lean.deflate

    async def connect(self, auth: dict[str, Any]) -> Any:
        return await self.lean.connect(auth)

    async def call(self, event: str, data: Any) -> Any:
        return await self.lean.call(event, data)

    async def close(self) -> None:
        await self.lean.close()


class Phone:
    """One simulated resident: joins, checks in, votes once, and watches the snapshots."""

    def __init__(self, index: int, lean: WirePhone | LeanClient) -> None:
        self.index = index
        self.lean = lean
        lean.on_raw = self._state
        self.last_seq = -1
        self.last_text = b""
        self.poll_id: str | None = None
        self.poll_open = asyncio.Event()
        self.join_s: float | None = None
        self.error = ""
        self.checked_in = False
        self.sent_at: float | None = None
        self.ack_s: float | None = None
        self.ack_seq: int | None = None
        self.seen_s: float | None = None
        self.early: list[tuple[int, float]] = []  # snapshots between sending and the ack
        self.counted = -1  # snapshots since "mark" (-1: not counting)

    def _state(self, name: str, text: bytes, at: float) -> None:
        seq = seq_of(text)
        if seq < self.last_seq:
            return  # an older snapshot overtaken by a newer one: a phone ignores it
        self.last_seq, self.last_text = seq, text
        if self.counted >= 0:
            self.counted += 1
        if self.poll_id is None:
            poll = json.loads(text)[1].get("poll")
            if poll is not None and poll.get("status") == "open":
                self.poll_id = poll["id"]
                self.poll_open.set()
        if self.sent_at is not None and self.seen_s is None:
            if self.ack_seq is None:
                self.early.append((seq, at))
            elif seq >= self.ack_seq:
                self.seen_s = at - self.sent_at

    async def join(self, start: float) -> None:
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        began = time.monotonic()
        try:
            await self.lean.connect(
                {"v": 1, "token": f"bench-phone-{self.index:07d}-{os.getpid()}"}
            )
            ack = await self.lean.call("join", {"rid": "j1", "name": f"居民{self.index}"})
            if not ack.get("ok"):
                raise RuntimeError(f"join: {ack.get('error')}")
            self.join_s = time.monotonic() - began
            if not (ack.get("me") or {}).get("checked_in"):  # joining by phone checks in
                ack = await self.lean.call("check_in", {"rid": "c1"})
                if not ack.get("ok") and ack.get("error") != "already_checked_in":
                    raise RuntimeError(f"check_in: {ack.get('error')}")
            self.checked_in = True
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"[:200]

    async def vote(self, at: float) -> None:
        if not self.checked_in:
            return
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        try:
            await asyncio.wait_for(self.poll_open.wait(), 30)
            choice = CHOICES[self.index % 3]
            self.sent_at = time.monotonic()
            ack = await self.lean.call(
                "vote", {"rid": "v1", "poll_id": self.poll_id, "choices": [choice]}
            )
            acked = time.monotonic()
            if not ack.get("ok"):
                raise RuntimeError(f"vote: {ack.get('error')}")
            self.ack_s = acked - self.sent_at
            self.ack_seq = int(ack["seq"])
            for seq, seen in self.early:
                if seq >= self.ack_seq:
                    self.seen_s = seen - self.sent_at
                    break
            self.early = []
        except Exception as error:
            self.error = f"vote {type(error).__name__}: {error}"[:200]

    def lost(self, final_seq: int, final_totals: list[int]) -> bool:
        """Whether this phone's last snapshot is not the final tally."""
        if self.last_seq != final_seq or not self.last_text:
            return True
        poll = json.loads(self.last_text)[1].get("poll") or {}
        return bool(poll.get("totals") != final_totals)


class Generator:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.indices = list(range(args.part, args.n, args.procs))
        self.phones: list[Phone] = []
        self.window_cpu: list[float] = []
        self.window_received: list[int] = []

    def say(self, **fields: Any) -> None:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()

    async def run(self) -> None:
        args = self.args
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as session:
            for i in self.indices:
                client: WirePhone | LeanClient
                if args.client == "lean":
                    client = LeanClient(session, args.url, not args.no_deflate)
                else:
                    client = WirePhone(
                        args.url, "/participant", deflate=not args.no_deflate, raw_events=("state",)
                    )
                self.phones.append(Phone(i, client))
            await asyncio.gather(
                *(p.join(args.start_at + p.index / args.rate) for p in self.phones)
            )
            failed = [p for p in self.phones if not p.checked_in]
            self.say(ev="joined", ok=len(self.phones) - len(failed), failed=len(failed))
            reader = asyncio.StreamReader()
            loop = asyncio.get_running_loop()
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
            while line := await reader.readline():
                command = json.loads(line)
                if command["cmd"] == "quit":
                    break
                await self.command(command)
            await asyncio.gather(*(p.lean.close() for p in self.phones), return_exceptions=True)

    async def command(self, command: dict[str, Any]) -> None:
        name = command["cmd"]
        if name == "vote":
            t0, window = command["t0"], command["window"]
            offsets = vote_offsets(self.args.n, window, command["front"])
            loop = asyncio.get_running_loop()
            for edge in (t0, t0 + window):
                loop.call_at(edge, self._window_edge)
            await asyncio.gather(*(p.vote(t0 + offsets[p.index]) for p in self.phones))
            self.say(ev="voted")
        elif name == "mark":
            for phone in self.phones:
                phone.counted = 0
            self.say(ev="marked")
        elif name == "report":
            self.say(ev="report", **self.report(command["final_seq"], command["final_totals"]))

    def _window_edge(self) -> None:
        self.window_cpu.append(time.process_time())
        self.window_received.append(Counter.received)

    def report(self, final_seq: int, final_totals: list[int]) -> dict[str, Any]:
        phones = self.phones
        voted = [p for p in phones if p.checked_in]
        cpu = self.window_cpu[1] - self.window_cpu[0] if len(self.window_cpu) == 2 else None
        received = self.window_received[1] - self.window_received[0] if cpu is not None else None
        return {
            "phones": len(phones),
            "join_s": [p.join_s for p in phones if p.join_s is not None],
            "join_failed": sum(1 for p in phones if not p.checked_in),
            "errors": sorted({p.error for p in phones if p.error})[:5],
            "deflate": sum(1 for p in phones if p.lean.deflate),
            "ack_s": [p.ack_s for p in voted if p.ack_s is not None],
            "vote_failed": sum(1 for p in voted if p.ack_s is None),
            "seen_s": [p.seen_s for p in voted if p.seen_s is not None],
            "not_seen": sum(1 for p in voted if p.ack_s is not None and p.seen_s is None),
            "lost": sum(1 for p in phones if p.checked_in and p.lost(final_seq, final_totals)),
            "counted": [p.counted for p in phones if p.checked_in],
            "window_cpu_s": cpu,
            "window_received": received,  # messages received in the vote window
            "cpu_s": time.process_time(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--n", type=int, required=True, help="phones in the whole run")
    parser.add_argument("--part", type=int, default=0)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument(
        "--rate", type=float, default=500.0, help="joins per second (all processes)"
    )
    parser.add_argument(
        "--start-at", type=float, default=0.0, help="monotonic time of the first join"
    )
    parser.add_argument("--cpu", type=int, help="pin this process to one core")
    parser.add_argument("--no-deflate", action="store_true", help="do not offer permessage-deflate")
    parser.add_argument(
        "--client", choices=["wire", "lean"], default="wire", help="the phones' socket.io client"
    )
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(Generator(args).run())


if __name__ == "__main__":
    main()
