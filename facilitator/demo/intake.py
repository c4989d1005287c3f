"""The demo's place between evenings: 和平里社區 with four buildings and a few requests residents
raised during the week — two waiting for staff, one fixed by the property company, one answered,
and two scheduled for tonight's session (they arrive on its issue board with their supporters)."""

from __future__ import annotations

import datetime as dt
import hashlib

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub

PLACE_ID = "heping"
PLACE_NAME = "和平里社區"
BUILDINGS = (("b1", "1號樓"), ("b3", "3號樓"), ("b5", "5號樓"), ("b6", "6號樓"))
CATEGORIES = ("路燈照明", "停車收費", "環境衛生", "加裝電梯")
REQUESTS = (  # building, category, text, supporters
    ("b6", "路燈照明", "6號樓旁路燈又不亮了，晚上回家很黑", 3),
    ("b3", "環境衛生", "3號樓垃圾桶不夠，週末總是滿出來", 2),
    ("b1", "停車收費", "停車費漲得太多，希望公開收費標準", 6),
    ("b5", "停車收費", "想在5號樓下裝電動車充電樁", 4),
    ("b1", "加裝電梯", "加裝電梯的費用怎麼分攤？", 1),
    ("b5", "環境衛生", "樓道裡堆放雜物，有消防隱患", 2),
)


def _device(n: int) -> str:
    return hashlib.sha256(f"facilitator-demo-resident:{n}".encode()).hexdigest()


def seed_place(hub: PlaceHub, now: dt.datetime) -> None:
    """Create the place and its week of requests (once: a kept database is not seeded twice)."""
    if PLACE_ID in hub.place_ids():
        return
    at = now - dt.timedelta(days=5)
    hub.execute(PLACE_ID, c.CreatePlace(at=at, place_id=PLACE_ID, name=PLACE_NAME,
                                        categories=CATEGORIES))  # fmt: skip
    for code, name in BUILDINGS:
        hub.execute(PLACE_ID, c.AddBuilding(at=at, code=code, name=name, units=("1單元", "2單元")))
    hub.execute(PLACE_ID, c.AddStaff(at=at, name="小李"))
    resident = 0
    for number, (code, category, text, supporters) in enumerate(REQUESTS, start=1):
        resident += 1
        raise_ = c.RaiseRequest(
            at=at, device_key=_device(resident), building=code, category=category, text=text
        )
        hub.execute(PLACE_ID, raise_, actor="phone")
        for _ in range(supporters - 1):
            resident += 1
            support = c.SupportRequest(at=at, number=number, device_key=_device(resident))
            hub.execute(PLACE_ID, support, actor="phone")
    staff: list[c.Command] = [
        c.FixRequest(at=at, number=1, item_id="r1", owner="物業公司", by="小李"),
        c.AnswerRequest(at=at, number=5, text="費用分攤將在廣場夜話上討論", by="小李"),
        c.ScheduleRequest(at=at, number=3, note="屬本次廣場夜話主題，已排入議程", by="小李"),
        c.ScheduleRequest(at=at, number=4, note="已排入本次廣場夜話", by="小李"),
    ]
    for command in staff:
        hub.execute(PLACE_ID, command)
