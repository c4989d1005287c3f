"""SCENARIOS.md 4 over a simulated week at 和平里社區: 20 requests from 4 buildings, merges and a
refusal, 2 fixed directly and rated from phones (one reopened), 5 scheduled into Saturday's
session that handles them. The minutes, the ledger, the public page and the report all show the
chain 訴求 → 議題 → 事項 → 反饋 → 評價 with the same numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import socketio

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind
from facilitator.hub import Hub
from facilitator.intake import commands as ic
from facilitator.ledger import LedgerUpdate, compute_report
from facilitator.minutes import render_minutes
from facilitator.server import PROTOCOL_VERSION, ServerSettings, start_server
from facilitator.services import create_session
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore
from facilitator.store.ledger_log import LedgerLog, read_ledger
from tests.server.intake_kit import Phone, PlaceServer, serve_place

pytestmark = pytest.mark.slow

TZ = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
CATEGORIES = ("路燈照明", "停車收費", "環境衛生")


class Clock:
    """Simulated time: set by the story, a second further at each reading."""

    def __init__(self) -> None:
        self.now = MONDAY

    def at(self, day: int, hour: int, minute: int = 0) -> None:
        self.now = MONDAY.replace(hour=hour, minute=minute) + dt.timedelta(days=day)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


async def staff(place: PlaceServer, path: str, **body: object) -> None:
    status, answer = await place.staff(path, dict(body))
    assert status == 200, answer


async def rate(phone: Phone, ref: str, stars: int) -> dict[str, object]:
    status, answer = await phone.post("/api/p/heping/rate", {"ref": ref, "stars": stars})
    assert status == 200, answer
    item: dict[str, object] = answer["item"]
    return item


async def test_a_week_between_evenings(tmp_path: Path) -> None:
    clock = Clock()
    async with serve_place(tmp_path, clock) as place:
        place.hub.execute("heping", ic.UpdatePlace(at=MONDAY, answer_within_h=24))
        phones = [place.phone() for _ in range(21)]  # phones[n] raised request #n
        # Monday: 20 requests, 5 from each of the 4 buildings.
        for n in range(1, 21):
            clock.at(0, 8, n)
            text = "6號樓旁路燈又不亮了" if n in (1, 2) else f"訴求{n}"
            category = CATEGORIES[n % 3]
            assert await phones[n].raise_(text, code=f"b{(n - 1) // 5 + 1}",
                                          category=category) == n  # fmt: skip
        await phones[3].post("/api/b/b1/support", {"number": 1})
        await phones[1].post("/api/b/b3/support", {"number": 11})  # 王阿姨 supports from home
        # Tuesday: screening, one request a minute, each answered 24 hours after it came.
        reason = "屬下期廣場夜話主題，已排入議程"
        actions: dict[int, tuple[str, dict[str, object]]] = {
            1: ("fix", {"owner": "物業公司", "deadline": "2026-03-06"}),
            2: ("merge", {"into": 1}),
            6: ("fix", {"owner": "環衛所", "deadline": "2026-03-06"}),
            7: ("merge", {"into": 6}),
            10: ("reject", {"reason": "不屬社區事務，請撥打12345"}),
            16: ("answer", {"text": "已通知物業"}),
            17: ("answer", {"text": "下週清理"}),
            **{n: ("schedule", {"note": reason}) for n in range(11, 16)},
        }
        for n in range(1, 18):
            clock.at(1, 8, n)
            action, body = actions.get(n, ("accept", {}))
            await staff(place, f"/requests/{n}/{action}", **body)
        clock.at(2, 12)
        _, mine = await phones[19].get("/api/b/b4/mine")  # Wednesday: not answered yet
        assert mine["requests"][0]["answer_late"] is True
        for n in (18, 19, 20):  # Thursday: three answered late
            clock.at(3, 8, n)
            await staff(place, f"/requests/{n}/accept")
        _, mine = await phones[2].get("/api/b/b1/mine")
        assert mine["requests"][0]["merged_into"] == 1
        assert mine["requests"][0]["item"]["owner"] == "物業公司"
        _, mine = await phones[19].get("/api/b/b4/mine")
        assert mine["requests"][0]["answer_late"] is False  # answered now (late: the report says)
        _, mine = await phones[10].get("/api/b/b2/mine")
        assert mine["requests"][0]["reason"] == "不屬社區事務，請撥打12345"
        # Friday: the company and the sanitation office report; residents rate from home.
        clock.at(4, 10)
        await staff(place, "/items/r1/feedback", text="已換燈泡", status="done")
        await staff(place, "/items/r6/feedback", text="已清運", status="done")
        clock.at(4, 20)
        for phone, stars in zip(phones[1:4], (4, 5, 4), strict=True):
            lamp = await rate(phone, "heping/r1", stars)
        for phone, stars in zip(phones[6:9], (2, 1, 2), strict=True):
            trash = await rate(phone, "heping/r6", stars)
        assert lamp["status"] == "done" and lamp["ratings"] == {"count": 3, "average": 13 / 3}
        assert trash["status"] == "in_progress" and trash["reopened"] == 1

        # Saturday evening: the session takes the 5 scheduled requests as issues.
        clock.at(5, 19, 30)
        store = EventStore.open(tmp_path / "facilitator.db")
        hub = Hub(store, clock=clock)
        agenda = Agenda(
            title="廣場夜話：停車",
            kind=SessionKind.SQUARE_TALK,
            place="和平里社區廣場",
            date=dt.date(2026, 3, 7),
            items=(AgendaItemSpec(title="居民訴求"),),
        )
        sid = create_session(hub, agenda, clock.now.date())
        issues = {i.intake_ref: i for i in hub.state(sid).issues.values()}
        assert sorted(issues) == [f"heping#{n}" for n in range(11, 16)]
        assert issues["heping#11"].support_count == 2
        await hub.dispatch(sid, c.OpenSession(at=clock()), MODERATOR)
        await hub.dispatch(sid, c.AdvanceAgenda(at=clock()), MODERATOR)
        server = await start_server(hub, sid, ServerSettings(host="127.0.0.1", port=0))
        try:
            for token, name in ((phones[1].token, "王阿姨"), ("b" * 24, "李伯")):
                sio = socketio.AsyncClient(reconnection=False)
                auth = {"v": PROTOCOL_VERSION, "token": token, "lang": "zh-Hant"}
                await sio.connect(server.base_url, namespaces=["/participant"], auth=auth,
                                  transports=["websocket"], wait_timeout=5)  # fmt: skip
                joined = await sio.call("join", {"rid": name, "name": name},
                                        namespace="/participant", timeout=10)  # fmt: skip
                assert joined["ok"], joined
                issue_id = issues["heping#11"].issue_id
                home = issue_id in joined["me"]["supports"]  # her phone shows it supported
                assert home is (name == "王阿姨")
                ack = await sio.call("support", {"rid": "s" + name, "issue_id": issue_id},
                                     namespace="/participant", timeout=10)  # fmt: skip
                assert ack["ok"] is (name == "李伯"), ack  # 王阿姨 is counted already
                await sio.disconnect()
        finally:
            await server.stop()
        assert hub.state(sid).issues[issues["heping#11"].issue_id].support_count == 3
        ids = {ref: issue.issue_id for ref, issue in issues.items()}
        due = dt.date(2026, 3, 20)
        steps: list[c.Command] = [
            c.ResolveIssue(at=clock(), issue_id=ids["heping#11"], note="當場說明收費標準"),
            c.AddActionItem(at=clock(), action_id="x12", title="劃定訪客車位", owner="物業公司",
                            deadline=due, issue_id=ids["heping#12"]),
            c.AddActionItem(at=clock(), action_id="x13", title="公示停車收費", owner="居委會",
                            deadline=due, issue_id=ids["heping#13"]),
            c.MergeIssues(at=clock(), issue_id=ids["heping#14"], into_issue_id=ids["heping#15"]),
            c.AddActionItem(at=clock(), action_id="x15", title="夜間限停", owner="物業公司",
                            deadline=due, issue_id=ids["heping#15"]),
            c.CloseSession(at=clock()),
        ]  # fmt: skip
        for step in steps:
            await hub.dispatch(sid, step, MODERATOR)
        minutes = render_minutes([s.event for s in store.load(sid)], "zh-Hant")
        hub.close()

        # Sunday: progress recorded in the ledger, a rating from home of a session item.
        clock.at(6, 10)
        with LedgerLog.for_store(store) as log:
            for action, status in (("x12", "done"), ("x13", "in_progress"), ("x15", "done")):
                note = "已完成" if status == "done" else "辦理中"
                update = LedgerUpdate(f"{sid}/{action}", clock(), "status", status, None, note)
                log.append(update)
        clock.at(6, 20)
        await rate(phones[12], f"{sid}/x12", 5)
        parked = await rate(phones[13], f"{sid}/x12", 4)
        assert parked["ratings"] == {"count": 2, "average": 4.5}
        place.hub.forget_ledger()
        _, mine = await phones[12].get("/api/b/b3/mine")  # the resident sees the whole chain
        chain = mine["requests"][0]["session"]
        assert chain["date"] == "2026-03-07" and chain["items"][0]["owner"] == "物業公司"
        assert chain["items"][0]["status"] == "done"
        _, mine = await phones[11].get("/api/b/b3/mine")
        assert mine["requests"][0]["session"]["status"] == "resolved"

        # The chain, everywhere, with the same numbers.
        assert "#11" in minutes and "碼上議" in minutes and "劃定訪客車位" in minutes
        row = next(line for line in minutes.splitlines() if "訴求11" in line)
        assert "| 3 |" in row  # two from home, one tonight
        ledger = read_ledger(store)
        x12 = ledger.get(f"{sid}/x12")
        assert x12 is not None and x12.building == "3號樓" and x12.status.value == "done"
        _, public = await phones[0].get("/api/p/heping")
        shown = {item["ref"]: item for item in public["items"]}
        assert set(shown) == {
            "heping/r1",
            "heping/r6",
            *(f"{sid}/{a}" for a in ("x12", "x13", "x15")),
        }
        assert shown["heping/r1"]["source"] == "#1" and shown["heping/r6"]["reopened"] == 1
        assert [s["session_id"] for s in public["sessions"]] == [sid]
        async with place.http.get(f"{place.url}/p/heping/minutes/{sid}.html") as page:
            assert page.status == 200 and "劃定訪客車位" in await page.text()
        async with place.http.get(f"{place.url}/p/heping/minutes/s-other.html") as page:
            assert page.status == 404
        report = compute_report(ledger, clock.now.date())
        total = report.total
        assert report.sessions_held == 1
        assert (total.issues_raised, total.issues_rejected, total.issues_resolved) == (17, 1, 6)
        assert (total.actions, total.actions_done) == (5, 3)
        assert (total.ratings, total.satisfied) == (8, 5)
        shown_ratings = sum(int(item["ratings"]["count"]) for item in public["items"])
        assert shown_ratings == total.ratings
        assert report.intake is not None
        assert (report.intake.received, report.intake.answered) == (20, 20)
        assert (report.intake.median_hours, report.intake.overdue_answers) == (24.0, 3)
        assert report.intake.p90_hours is not None and round(report.intake.p90_hours) == 72
        by_building = dict(report.by_building)
        assert by_building["3號樓"].issues_raised == 4  # #11..#15 (one merged tonight)

        # A month later the follow-up session's minutes show the ratings given from home.
        clock.at(33, 19, 30)
        hub = Hub(store, clock=clock)
        follow_up = dataclasses.replace(agenda, title="廣場夜話：回顧", date=dt.date(2026, 4, 4))
        later = create_session(hub, follow_up, clock.now.date())
        assert f"{sid}/x12" in hub.state(later).follow_ups
        for step in (c.OpenSession(at=clock()), c.CloseSession(at=clock())):
            await hub.dispatch(later, step, MODERATOR)
        hub.close()
        review = render_minutes([s.event for s in store.load(later)], "zh-Hant")
        assert "劃定訪客車位：會前居民在公示頁評價，平均4.5分（2人評分）" in review
        store.close()
