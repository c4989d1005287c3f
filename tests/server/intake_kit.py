"""A place served on 127.0.0.1 (as by `serve --place`), a resident's and staff's HTTP clients."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub, local_now
from facilitator.place_hub.staff import ScryptParams
from facilitator.server.intake_api import IntakeContext
from facilitator.server.place_app import (
    RunningPlaceServer,
    intake_context,
    photos_folder,
    start_place_server,
)
from facilitator.store import EventStore

CATEGORIES = ("路燈照明", "停車收費", "環境衛生")
NOW = dt.datetime(2026, 3, 3, 21, 0).astimezone()
# Cheap scrypt for the many sign-ins of the tests; the real parameters are checked on their own
# (tests/hub/test_staff_directory.py) and used by the command line's tests.
FAST_SCRYPT = ScryptParams(n=2**10, r=8, p=1)


def create_place(hub: PlaceHub, buildings: int = 4) -> None:
    hub.execute("heping", c.CreatePlace(at=NOW, place_id="heping", name="和平里社區",
                                         categories=CATEGORIES))  # fmt: skip
    for n in range(1, buildings + 1):
        units = ("1單元", "2單元")
        hub.execute("heping", c.AddBuilding(at=NOW, code=f"b{n}", name=f"{n}號樓", units=units))


@dataclass
class PlaceServer:
    hub: PlaceHub
    store: EventStore
    ctx: IntakeContext
    server: RunningPlaceServer
    http: aiohttp.ClientSession

    @property
    def url(self) -> str:
        return self.server.base_url

    def phone(self) -> Phone:
        return Phone(self, secrets.token_hex(12))

    async def staff(self, path: str, body: dict[str, Any] | None = None, token: str | None = None
                    ) -> tuple[int, Any]:  # fmt: skip
        headers = {"Authorization": f"Bearer {token or self.server.staff_token}"}
        url = f"{self.url}/api/staff/heping{path}"
        if body is None:
            async with self.http.get(url, headers=headers) as r:
                return r.status, await r.json()
        async with self.http.post(url, json=body, headers=headers) as r:
            return r.status, await r.json()


@dataclass
class Phone:
    place: PlaceServer
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Device": self.token}

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.place.http.get(self.place.url + path, headers=self.headers) as r:
            return r.status, await r.json()

    async def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        url = self.place.url + path
        async with self.place.http.post(url, json=body, headers=self.headers, **kw) as r:
            return r.status, await r.json()

    async def raise_(self, text: str, code: str = "b1", **fields: Any) -> int:
        status, answer = await self.post(f"/api/b/{code}/requests", {"text": text, **fields})
        assert status == 200 and answer["ok"], answer
        number: int = answer["number"]
        return number

    async def raise_with_photo(self, text: str, photo: bytes, code: str = "b1") -> tuple[int, Any]:
        form = aiohttp.FormData()
        form.add_field("text", text)
        form.add_field("rid", secrets.token_hex(6))
        form.add_field("photo", io.BytesIO(photo), filename="p.jpg", content_type="image/jpeg")
        url = f"{self.place.url}/api/b/{code}/requests"
        async with self.place.http.post(url, data=form, headers=self.headers) as r:
            return r.status, await r.json()


@asynccontextmanager
async def serve_place(
    tmp_path: Path, clock: Callable[[], dt.datetime] | None = None
) -> AsyncIterator[PlaceServer]:
    db = tmp_path / "facilitator.db"
    store = EventStore.open(db)
    hub = PlaceHub.open(str(db), clock=clock or local_now, staff_params=FAST_SCRYPT)
    create_place(hub)
    ctx = intake_context(hub, store, photos_folder(db))
    server = await start_place_server(ctx, "127.0.0.1", 0)
    http = aiohttp.ClientSession()
    try:
        yield PlaceServer(hub, store, ctx, server, http)
    finally:
        await http.close()
        await server.stop()
        hub.close()
        store.close()
