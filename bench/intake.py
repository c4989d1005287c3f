"""The intake between evenings under load: many phones raising and supporting at once over real
HTTP, then the public page and the staff list of a busy place.

    .venv/bin/python bench/intake.py [--phones 50] [--requests 1000]

One process, a place server on 127.0.0.1 with the real SQLite log on disk (WAL, synchronous=FULL);
rate limits lifted (a benchmark is not a resident). Prints medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub
from facilitator.server.intake_api import IntakeContext, IntakeLimits
from facilitator.server.limits import Rate, RateLimiter
from facilitator.server.place_app import start_place_server
from facilitator.store import EventStore

FREE = Rate(burst=1_000_000, per_s=1_000_000.0)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


async def phone(http: aiohttp.ClientSession, url: str, count: int, out: list[float]) -> None:
    headers = {"X-Device": secrets.token_hex(16)}
    for n in range(count):
        started = time.perf_counter()
        body = {"text": f"樓道燈不亮 {n}", "rid": secrets.token_hex(6)}
        async with http.post(f"{url}/api/b/b{n % 4 + 1}/requests", json=body, headers=headers) as r:
            assert r.status == 200, await r.text()
        out.append(time.perf_counter() - started)


async def main(phones: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store, hub = EventStore.open(db), PlaceHub.open(str(db))
        at = dt.datetime.now().astimezone()
        hub.execute("p", c.CreatePlace(at=at, place_id="p", name="和平里社區"))
        for n in range(1, 5):
            hub.execute("p", c.AddBuilding(at=at, code=f"b{n}", name=f"{n}號樓"))
        limits = IntakeLimits(raise_device=FREE, raise_building=FREE, support_device=FREE)
        ctx = IntakeContext(hub, store, Path(tmp) / "photos", "t", RateLimiter(limits))
        server = await start_place_server(ctx, "127.0.0.1", 0)
        latencies: list[float] = []
        async with aiohttp.ClientSession() as http:
            started = time.perf_counter()
            each = requests // phones
            await asyncio.gather(
                *(phone(http, server.base_url, each, latencies) for _ in range(phones))
            )
            elapsed = time.perf_counter() - started
            page_times = []
            for _ in range(5):
                t0 = time.perf_counter()
                async with http.get(
                    f"{server.base_url}/api/staff/p/requests", headers={"Authorization": "Bearer t"}
                ) as r:
                    await r.read()
                page_times.append(time.perf_counter() - t0)
            for n in range(1, 201):  # 200 of them fixed: the public page lists 200 promises
                hub.execute("p", c.FixRequest(at=at, number=n, item_id=f"r{n}", owner="物業公司"))
            public_times = []
            for _ in range(5):
                hub.forget_ledger()  # each time from the log, as after a change
                t0 = time.perf_counter()
                async with http.get(f"{server.base_url}/p/p") as r:
                    await r.read()
                public_times.append(time.perf_counter() - t0)
        await server.stop()
        t0 = time.perf_counter()
        replayed = PlaceHub.open(str(db))
        replayed.state("p")
        replay = time.perf_counter() - t0
        replayed.close()
        hub.close()
        store.close()
    total = len(latencies)
    print(f"{phones} phones raised {total} requests in {elapsed:.2f} s: {total / elapsed:.0f}/s")
    print(
        f"raise latency median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {p95(latencies) * 1000:.1f} ms (each durable before the answer)"
    )
    print(f"staff list of {total} requests: median {statistics.median(page_times) * 1000:.1f} ms")
    print(f"public page with 200 promises: median {statistics.median(public_times) * 1000:.1f} ms")
    print(f"replay of the place's stream ({total + 205} events): {replay * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(main(args.phones, args.requests))
