"""A standing place server killed with SIGKILL while phones raise requests: every request a phone
got a number for is in the log after the restart, and a retry of the last one is not doubled."""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NOW_TEXT = "路燈不亮"


async def start(db: Path, folder: Path) -> tuple[asyncio.subprocess.Process, str]:
    ready = folder / "ready.json"
    ready.unlink(missing_ok=True)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "facilitator", "serve", "--place", "p", "--db", str(db),
        "--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    async with asyncio.timeout(30):
        while not ready.exists():  # the condition: it listens
            assert proc.returncode is None
            await asyncio.sleep(0.02)
    return proc, json.loads(ready.read_text(encoding="utf-8"))["url"]


async def test_sigkill_loses_no_acknowledged_request(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    with PlaceHub.open(str(db)) as hub:
        hub.execute("p", c.CreatePlace(at=hub.clock(), place_id="p", name="和平里社區"))
        for n in range(1, 5):
            hub.execute("p", c.AddBuilding(at=hub.clock(), code=f"b{n}", name=f"{n}號樓"))
    proc, url = await start(db, tmp_path)
    acked: dict[int, str] = {}
    last: tuple[dict[str, str], dict[str, str]] | None = None
    async with aiohttp.ClientSession() as http:

        async def phone(n: int) -> None:
            nonlocal last
            headers = {"X-Device": secrets.token_hex(12)}
            for k in range(4):  # each phone: four requests, one building each
                body = {"text": f"{NOW_TEXT} {n}-{k}", "rid": f"r{n}-{k}"}
                try:
                    async with http.post(f"{url}/api/b/b{k + 1}/requests", json=body,
                                         headers=headers) as r:  # fmt: skip
                        answer = await r.json()
                except (TimeoutError, aiohttp.ClientError):
                    return  # the server died under it: not acknowledged
                acked[answer["number"]] = body["text"]
                last = (headers, body)

        phones = [asyncio.create_task(phone(n)) for n in range(10)]
        async with asyncio.timeout(30):
            while len(acked) < 12:  # kill it in the middle of the storm
                await asyncio.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        await asyncio.gather(*phones)
    with PlaceHub.open(str(db)) as hub:
        stored = {n: r.text for n, r in hub.state("p").requests.items()}
    assert acked.items() <= stored.items()  # nothing acknowledged is lost
    assert len(set(stored.values())) == len(stored)  # nothing stored twice
    proc, url = await start(db, tmp_path)
    try:
        assert last is not None
        headers, body = last
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{url}/api/b/b1/requests", json=body, headers=headers) as r,
        ):
            again = await r.json()
        assert again["replayed"] and acked[again["number"]] == body["text"]
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
