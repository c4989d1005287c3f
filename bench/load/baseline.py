"""The baseline: a minimal aiohttp websocket server that counts votes and broadcasts the count.

It speaks just enough Engine.IO 4 / Socket.IO 5 for the same load generator (``phones.py``) and
driver to run against it unchanged: a namespace connect, ``join`` / ``check_in`` / ``vote`` with
acks, a moderator's ``command`` (``OpenPoll``; anything else only bumps ``seq``) and ``sync``.
Nothing is stored; no deflate; no pings. Snapshots are coalesced like the real server's (at most
one per 100 ms, the first at once), encoded once and written with ``send_str`` to each socket:
what the real server's fan-out is measured against.

    python bench/load/baseline.py --port 0 --ready-file /tmp/ready.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

from aiohttp import web

INTERVAL_S = 0.1
CHOICES = ("yes", "no", "abstain")


class Room:
    def __init__(self) -> None:
        self.seq = 1
        self.phones: set[web.WebSocketResponse] = set()
        self.ballots: dict[int, str] = {}
        self.poll_open = False
        self.dirty = asyncio.Event()
        self.next_id = 0

    def state(self) -> dict[str, Any]:
        totals = [sum(1 for c in self.ballots.values() if c == choice) for choice in CHOICES]
        poll = {"id": "v-base", "status": "open", "voters": len(self.ballots), "totals": totals}
        return {"seq": self.seq, "poll": poll if self.poll_open else None}

    def change(self) -> int:
        self.seq += 1
        self.dirty.set()
        return self.seq

    async def broadcast(self) -> None:
        while True:
            await self.dirty.wait()
            self.dirty.clear()
            frame = (
                '42/participant,["state",' + json.dumps(self.state(), separators=(",", ":")) + "]"
            )
            for ws in list(self.phones):
                if not ws.closed:
                    await ws.send_str(frame)
            await asyncio.sleep(INTERVAL_S)

    def answer(self, key: int, namespace: str, event: str, data: Any) -> dict[str, Any]:
        if namespace == "/moderator":
            if event == "sync":
                return {"ok": True, "state": self.state()}
            if data.get("type") == "OpenPoll":
                self.poll_open = True
            return {"ok": True, "seq": self.change(), "ids": {"poll_id": "v-base"}}
        if event == "vote":
            self.ballots[key] = data["choices"][0]
            return {"ok": True, "seq": self.change()}
        return {"ok": True, "seq": self.seq, "me": {"joined": True}}

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=64 * 1024)
        await ws.prepare(request)
        self.next_id += 1
        key = self.next_id
        await ws.send_str(
            f'0{{"sid":"b{key}","upgrades":[],"pingInterval":600000,"pingTimeout":600000}}'
        )
        try:
            async for message in ws:
                text = message.data
                if not isinstance(text, str) or not text.startswith("4"):
                    continue
                kind, body = text[1], text[2:]
                namespace, _, body = body.partition(",")
                if kind == "0":
                    await ws.send_str(f'40{namespace},{{"sid":"s{key}"}}')
                    if namespace == "/participant":
                        self.phones.add(ws)
                    await ws.send_str(f'42{namespace},["state",{json.dumps(self.state())}]')
                elif kind == "2":
                    split = body.index("[")
                    ack_id, (event, *args) = body[:split], json.loads(body[split:])
                    ack = self.answer(key, namespace, event, args[0] if args else {})
                    await ws.send_str(f"43{namespace},{ack_id}[{json.dumps(ack)}]")
        finally:
            self.phones.discard(ws)
        return ws


async def sample_loop_lag(path: Path, interval_s: float = 0.01) -> None:
    """The same sampler as ``facilitator serve`` has (``FACILITATOR_LOOP_LAG_FILE``)."""
    with path.open("a", encoding="ascii") as out:
        while True:
            due = time.monotonic() + interval_s
            await asyncio.sleep(interval_s)
            now = time.monotonic()
            out.write(f"{now:.4f} {max(0.0, now - due) * 1000:.2f}\n")


async def serve(port: int, ready_file: Path | None) -> None:
    room = Room()
    app = web.Application()
    app.router.add_get("/socket.io/", room.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = int(runner.addresses[0][1])
    tasks = [asyncio.create_task(room.broadcast())]
    lag_file = os.environ.get("FACILITATOR_LOOP_LAG_FILE")
    if lag_file:
        tasks.append(asyncio.create_task(sample_loop_lag(Path(lag_file))))
    if ready_file is not None:
        ready = {"url": f"http://127.0.0.1:{bound}", "moderator_token": "-", "session_id": "-"}
        ready_file.write_text(json.dumps({**ready, "pid": os.getpid()}), encoding="utf-8")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    import signal

    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for ws in list(room.phones):
        ws.force_close() if hasattr(ws, "force_close") else None
    await asyncio.wait_for(runner.cleanup(), 3.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ready-file", type=Path)
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(serve(args.port, args.ready_file))


if __name__ == "__main__":
    main()
