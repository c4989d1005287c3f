"""What staff accounts cost: a sign-in (scrypt at the documented parameters) over real HTTP, one
at a time and several at once, and a staff call with an account's token against the operator's.

    .venv/bin/python bench/staff.py [--logins 10] [--calls 200]

One process, a place server on 127.0.0.1 with the real SQLite file; the sign-in limits lifted (a
benchmark is not an attacker). Prints medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub
from facilitator.server.limits import Rate
from facilitator.server.place_app import intake_context, start_place_server
from facilitator.server.staff_auth import LOGIN_LIMITER, LoginLimits
from facilitator.store import EventStore

FREE = Rate(burst=1_000_000, per_s=1_000_000.0)
SECRET = "correct horse battery staple"


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


async def timed(http: aiohttp.ClientSession, method: str, url: str, **kw: object) -> float:
    started = time.perf_counter()
    async with http.request(method, url, **kw) as r:  # type: ignore[arg-type]
        assert r.status == 200, await r.text()
        await r.read()
    return time.perf_counter() - started


async def main(logins: int, calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store, hub = EventStore.open(db), PlaceHub.open(str(db))
        at = dt.datetime.now().astimezone()
        hub.execute("p", c.CreatePlace(at=at, place_id="p", name="和平里社區"))
        hub.staff.add("小李", "staff", ("p",), SECRET)
        server = await start_place_server(intake_context(hub, store, Path(tmp)), "127.0.0.1", 0)
        free = LoginLimits(login_name=FREE, login_address=FREE)
        server.runner.app[LOGIN_LIMITER].limits = free
        url = server.base_url
        body = {"name": "小李", "secret": SECRET}
        async with aiohttp.ClientSession() as http:
            one = [
                await timed(http, "POST", f"{url}/api/staff/login", json=body)
                for _ in range(logins)
            ]
            started = time.perf_counter()
            await asyncio.gather(
                *(timed(http, "POST", f"{url}/api/staff/login", json=body) for _ in range(logins))
            )
            together = time.perf_counter() - started
            async with http.post(f"{url}/api/staff/login", json=body) as r:
                token = (await r.json())["token"]
            listing = f"{url}/api/staff/p/requests"
            account, operator = [], []
            for _ in range(calls):
                auth = {"Authorization": f"Bearer {token}"}
                account.append(await timed(http, "GET", listing, headers=auth))
                auth = {"Authorization": f"Bearer {server.staff_token}"}
                operator.append(await timed(http, "GET", listing, headers=auth))
        await server.stop()
        hub.close()
        store.close()
    ms = 1000
    print(
        f"sign-in, one at a time: median {statistics.median(one) * ms:.0f} ms, "
        f"p95 {p95(one) * ms:.0f} ms (scrypt N=2^15, r=8, p=3)"
    )
    print(
        f"{logins} sign-ins at once: all answered in {together * ms:.0f} ms (2 checked at a time)"
    )
    print(
        f"staff list with an account's token: median {statistics.median(account) * ms:.2f} ms; "
        f"with the operator token: {statistics.median(operator) * ms:.2f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.logins, args.calls))
