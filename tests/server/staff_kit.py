"""Staff accounts on a place served on 127.0.0.1: a clock the test moves, accounts of every kind,
signing in over HTTP, and the staff actions of the API as one table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from facilitator.intake import commands as c
from tests.server.intake_kit import NOW, PlaceServer, serve_place

SECRET = "correct horse battery staple"  # the secret every test account gets
ADMIN, HERE, ELSEWHERE, GONE = "王主任", "小李", "小張", "老趙"


class Clock:
    """The server's clock, moved by the test (a session's expiry without waiting 12 hours)."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 40)).save(out, "JPEG")
    return out.getvalue()


@dataclass
class StaffPlace:
    place: PlaceServer
    clock: Clock

    async def call(
        self, method: str, path: str, token: str | None, body: Any = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        url = f"{self.place.url}{path}"
        async with self.place.http.request(method, url, json=body, headers=headers) as r:
            if r.content_type == "application/json":
                return r.status, await r.json()
            return r.status, {"ok": r.status == 200, "bytes": len(await r.read())}

    async def login(self, name: str, secret: str = SECRET) -> tuple[int, Any]:
        return await self.call("POST", "/api/staff/login", None, {"name": name, "secret": secret})

    async def token(self, name: str) -> str:
        status, answer = await self.login(name)
        assert status == 200 and answer["ok"], answer
        token: str = answer["token"]
        return token

    def actors(self, place_id: str = "heping") -> list[str]:
        return [e.actor for e in self.place.hub.log.load(place_id)]

    def everything(self) -> tuple[object, ...]:
        """What any staff call could change: places, their events' actors, accounts, secrets."""
        hub = self.place.hub
        staff = hub.staff
        accounts = [(a, staff.store.secret_hash(a.name)) for a in staff.accounts()]
        return tuple(hub.place_ids()), [self.actors(p) for p in hub.place_ids()], accounts


@asynccontextmanager
async def staff_place(tmp_path: Path) -> AsyncIterator[StaffPlace]:
    """The place heping (4 buildings) and anle, with an admin, staff of heping (小李), staff of
    anle (小張) and a staff account of heping that will be disabled (老趙)."""
    clock = Clock()
    async with serve_place(tmp_path, clock=clock) as place:
        hub = place.hub
        hub.execute("anle", c.CreatePlace(at=NOW, place_id="anle", name="安樂社區"))
        hub.staff.add(ADMIN, "admin", (), SECRET)
        hub.staff.add(HERE, "staff", ("heping",), SECRET)
        hub.staff.add(ELSEWHERE, "staff", ("anle",), SECRET)
        hub.staff.add(GONE, "staff", ("heping",), SECRET)
        yield StaffPlace(place, clock)


# (name, method, path, body): every staff action of the API on request 1 / item r2 of heping
ACTIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "list": ("GET", "/api/staff/heping/requests", None),
    "accept": ("POST", "/api/staff/heping/requests/1/accept", {"category": "路燈照明"}),
    "merge": ("POST", "/api/staff/heping/requests/1/merge", {"into": 3}),
    "reject": ("POST", "/api/staff/heping/requests/1/reject", {"reason": "不屬本社區"}),
    "answer": ("POST", "/api/staff/heping/requests/1/answer", {"text": "已通知物業"}),
    "fix": ("POST", "/api/staff/heping/requests/1/fix", {"owner": "物業公司"}),
    "schedule": ("POST", "/api/staff/heping/requests/1/schedule", {"note": "下次議事"}),
    "feedback": ("POST", "/api/staff/heping/items/r2/feedback", {"text": "已換燈泡"}),
    "photo": ("GET", "/api/staff/photo/{photo}", None),
}
WRITES = {"accept", "merge", "reject", "answer", "fix", "schedule", "feedback"}
# what only a district admin (or the operator) may do: places and accounts
ADMIN_ACTIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "create place": ("POST", "/api/staff/places", {"place_id": "xinghe", "name": "星河社區"}),
    "list accounts": ("GET", "/api/staff/accounts", None),
    "add account": ("POST", "/api/staff/accounts", {"name": "新同事", "places": ["heping"]}),
    "grant": ("POST", f"/api/staff/accounts/{ELSEWHERE}/grant", {"place": "heping"}),
    "revoke": ("POST", f"/api/staff/accounts/{ELSEWHERE}/revoke", {"place": "anle"}),
    "disable": ("POST", f"/api/staff/accounts/{ELSEWHERE}/disable", {}),
    "reset secret": ("POST", f"/api/staff/accounts/{ELSEWHERE}/reset-secret", {}),
}


async def prepare_requests(staff: StaffPlace) -> str:
    """Requests 1 (with a photo), 2 (fixed as item r2) and 3 of heping; the photo's file name."""
    phone = staff.place.phone()
    status, answer = await phone.raise_with_photo("路燈不亮", small_jpeg())
    assert status == 200, answer
    await phone.raise_("樓道燈壞了")
    await phone.raise_("垃圾桶少")
    fix = c.FixRequest(at=NOW, number=2, item_id="r2", title="", owner="物業公司", deadline=None)
    staff.place.hub.execute("heping", fix, actor="operator:cli")
    photo: str = staff.place.hub.state("heping").requests[1].photo
    return photo
