"""The console's intake screen (F12): the place's requests between evenings, screened by typing."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input

from facilitator.intake import RequestStatus
from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub
from facilitator.tui.screens.intake import IntakeScreen
from tests.tui.console_kit import Kit, notices, screen_text, until

pytestmark = pytest.mark.slow

AT = dt.datetime(2026, 5, 18, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def seed(kit: Kit) -> PlaceHub:
    places = PlaceHub.open(str(kit.store.path), clock=kit.clock)
    places.execute("heping", c.CreatePlace(at=AT, place_id="heping", name="和平里社區"))
    places.execute("heping", c.AddBuilding(at=AT, code="b6", name="6號樓"))
    for n, text in enumerate(("路燈不亮", "[bold]停車[/bold]", "路燈又壞了")):
        command = c.RaiseRequest(at=AT, device_key=f"k{n}", building="b6", text=text)
        places.execute("heping", command, actor=f"k{n}")
    return places


async def type_intake(pilot: object, screen: IntakeScreen, text: str) -> None:
    line = screen.query_one("#intake-line", Input)
    line.value = text
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_f12_opens_the_places_requests_and_staff_screen_them(kit: Kit) -> None:
    places = seed(kit)
    app = kit.app()
    async with app.run_test(size=(130, 40)) as pilot:
        seen = notices(app)
        await pilot.press("f12")
        await until(lambda: isinstance(app.screen, IntakeScreen))
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        table = screen.query_one("#intake-table", DataTable)
        assert table.row_count == 3
        text = screen_text(app)
        assert "[bold]停車[/bold]" in text and "和平里社區" in text  # text, never markup
        await type_intake(pilot, screen, "fix 1 物業公司 2026-06-01")
        await until(lambda: any(n.startswith("已處理") for n in seen))
        await type_intake(pilot, screen, "merge 3 1")
        await type_intake(pilot, screen, "reject 2")
        await type_intake(pilot, screen, "merge 2 x")
        await type_intake(pilot, screen, "launch 2")
        await until(lambda: len(seen) >= 5)
        assert "請填寫原因。" in seen and "「x」不是訴求編號" in seen
        assert "不認識的指令「launch」" in seen
        state = places.state("heping")
        assert state.requests[1].status is RequestStatus.FIXED
        assert state.requests[3].merged_into == 1 and len(state.requests[1].supporters) == 2
        assert state.requests[1].history[-1].by == "小李"  # the session's moderator screened it
        actors = {stored.actor for stored in places.log.load("heping")[-2:]}
        assert actors == {"operator:console"}  # the local operator, no staff account needed
        # a resident raises meanwhile, through another door: the list catches up by itself
        later = c.RaiseRequest(at=AT, device_key="k9", building="b6", text="垃圾桶滿了")
        places.execute("heping", later, actor="k9")
        await until(lambda: table.row_count == 3, timeout=10)  # #1 fixed, #2 and #4 open
        assert "垃圾桶滿了" in screen_text(app)
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, IntakeScreen))
    places.close()


async def test_without_a_place_the_screen_says_how_to_make_one(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("f12")
        await until(lambda: isinstance(app.screen, IntakeScreen))
        assert "No place yet: create one with facilitator place create" in screen_text(app)
