"""The console's side of decisions and of the place's people: the live quorum line, the
categories in the place's order, the poll form's quorum and running-count choices, and what the
command line accepts for them."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.session import SessionEngine, SessionState
from facilitator.session import commands as c
from facilitator.session.values import PollKind, Quorum, QuorumRule
from facilitator.tui import intents as i
from facilitator.tui.commandline import parse
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.screens.poll_form import PollForm
from facilitator.tui.view import View
from facilitator.tui.widgets.attendance import attendance_text
from facilitator.tui.widgets.poll import poll_text
from tests.tui.console_kit import Kit, type_line, until

T0 = dt.datetime(2026, 5, 20, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PLACES = ("居民", "黨員", "社區兩委", "物業", "網格員")


def _session(**create: object) -> SessionEngine:
    engine = SessionEngine()
    engine.handle(
        c.CreateSession(
            at=T0,
            session_id="s",
            kind=SessionKind.SQUARE_TALK,
            title="廣場夜話",
            join_code="ABC234",
            numeric_code="4321",
            items=(AgendaItemSpec("一"),),
            item_ids=("a1",),
            **create,  # type: ignore[arg-type]
        )
    )
    engine.handle(c.OpenSession(at=T0))
    return engine


def _view(state: SessionState, lang: str = "zh-Hant") -> View:
    return View(state=state, now=T0, lang=lang, join_url="")


def test_attendance_follows_the_places_categories_in_its_order() -> None:
    engine = _session(categories=PLACES)
    for n, category in enumerate(("網格員", "居民", "居民", "", "律師")):
        engine.handle(
            c.AddRosterEntry(
                at=T0, participant_id=f"r{n}", display_name=f"甲{n}", category=category,
                check_in=True,
            )
        )  # fmt: skip
    lines = [line.strip() for line in attendance_text(_view(engine.state)).plain.splitlines()]
    listed = [line for line in lines[1:] if line and "樓" not in line]
    assert listed[:7] == [
        "居民  2",
        "黨員  0",
        "社區兩委  0",
        "物業  0",
        "網格員  1",
        "律師  1",  # not declared: after the place's own, by its own name
        "未分類  1",
    ]


def test_the_poll_panel_shows_the_quorum_live() -> None:
    engine = _session()
    engine.handle(c.SetWalkInCount(at=T0, count=9))
    engine.handle(
        c.OpenPoll(at=T0, poll_id="v1", question="加裝電梯？", quorum=Quorum(QuorumRule.COUNT, 8))
    )
    assert "在場9人，法定人數8人：已達" in poll_text(_view(engine.state)).plain
    engine.handle(c.SetWalkInCount(at=T0, count=7))
    assert "在場7人，法定人數8人：未達" in poll_text(_view(engine.state)).plain


def test_a_tie_reads_as_a_decision_on_the_console() -> None:
    engine = _session()
    engine.handle(c.SetWalkInCount(at=T0, count=9))
    engine.handle(c.OpenPoll(at=T0, poll_id="v1", question="週末施工？"))
    engine.handle(c.RecordHandCount(at=T0, poll_id="v1", counts=(("yes", 4), ("no", 4))))
    assert "若現在結束： 未通過（票數相同）" in poll_text(_view(engine.state)).plain
    engine.handle(c.ClosePoll(at=T0, poll_id="v1"))
    assert "決議：未通過（票數相同）" in poll_text(_view(engine.state)).plain


def test_the_command_line_takes_a_quorum_of_those_present_and_the_tally_choice() -> None:
    vote = parse("vote 加裝電梯？ --quorum=過半數在場 --show-tally")
    assert vote == i.Vote(
        "加裝電梯？", quorum=Quorum(QuorumRule.PRESENT_MAJORITY), hide_tally=False
    )
    assert parse("vote 問題") == i.Vote("問題", quorum=None)  # the agenda's quorum
    roster = Quorum(QuorumRule.ROSTER_FRACTION, 0, 2, 3)
    assert parse("vote 問題 --quorum=2/3") == i.Vote("問題", quorum=roster)
    assert parse("vote 問題 --named --hide-tally") == i.Vote("問題", secret=False, hide_tally=True)


async def test_the_poll_form_hides_the_running_counts_and_reads_the_quorum(kit: Kit) -> None:
    app = kit.app("zh-Hant")
    async with app.run_test(size=(130, 45)) as pilot:
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await pilot.press("f5")
        await until(lambda: isinstance(app.screen, PollForm))
        form = app.screen
        form.query_one("#question", Input).value = "是否同意加裝電梯？"
        form.query_one("#tally", Select).value = "hide"
        form.query_one("#quorum", Input).value = "過半數在場"
        form.query_one("#question", Input).focus()
        await pilot.press("enter")
        await until(lambda: kit.state.open_poll_id is not None)
        poll = kit.state.polls[kit.state.open_poll_id or ""]
        assert poll.kind is PollKind.YES_NO_ABSTAIN and poll.hide_tally
        assert poll.quorum == Quorum(QuorumRule.PRESENT_MAJORITY)


def test_the_lobby_shows_the_agendas_quorum_of_people_present() -> None:
    engine = _session(quorum=Quorum(QuorumRule.COUNT, count=8))
    engine.handle(c.SetWalkInCount(at=T0, count=9))
    assert "在場9人，法定人數8人：已達" in attendance_text(_view(engine.state)).plain
    engine.handle(c.SetWalkInCount(at=T0, count=5))
    shown = attendance_text(_view(engine.state)).plain
    assert "在場5人，法定人數8人：未達" in shown and "2/3" not in shown


def test_the_console_says_when_phones_do_not_see_the_counts() -> None:
    engine = _session()
    engine.handle(c.SetWalkInCount(at=T0, count=9))
    engine.handle(c.OpenPoll(at=T0, poll_id="v1", question="加裝電梯？"))  # secret: hidden
    engine.handle(c.RecordHandCount(at=T0, poll_id="v1", counts=(("yes", 4), ("no", 1))))
    shown = poll_text(_view(engine.state)).plain
    assert "手機和投影暫不顯示票數" in shown and "   4" in shown  # the console still counts
    engine.handle(c.ClosePoll(at=T0, poll_id="v1"))
    assert "手機和投影暫不顯示票數" not in poll_text(_view(engine.state)).plain
