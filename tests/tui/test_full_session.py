"""A whole session driven through the console alone; phones are simulated at the hub's door.

Phones send their commands through ``Hub.dispatch`` as a participant, exactly as the server does
for a socket; the console sees them only through the hub's snapshots.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from facilitator.session import commands as c
from facilitator.session.values import IssueSource, IssueStatus, Outcome, Phase
from facilitator.tui.screens.closing import ClosingScreen
from facilitator.tui.screens.dialogs import AskScreen, ConfirmScreen
from facilitator.tui.screens.lobby import LobbyScreen
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.screens.poll_form import PollForm
from facilitator.tui.widgets.board import IssueBoard
from tests.tui.console_kit import SESSION_ID, Kit, notices, screen_text, type_line, until

pytestmark = pytest.mark.slow  # whole evenings, pictures and layouts through Pilot: seconds each

PHONES = {"p1": "張伯", "p2": "李大姐", "p3": "趙先生", "p4": "孫阿姨"}


async def test_a_whole_session_through_the_console(kit: Kit) -> None:
    app = kit.app()
    async with app.run_test(size=(140, 45)) as pilot:
        shown = notices(app)
        assert isinstance(app.screen, LobbyScreen)
        for pid, name in PHONES.items():
            await kit.join(pid, name, "resident_rep")
        await type_line(pilot, "walkins 6")
        await until(lambda: kit.state.walk_ins == 6)
        await until(lambda: "在場 10 人" in screen_text(app))

        # open the session and start the first item (F2 on the lobby, then F2 on the main view)
        await pilot.press("f2")
        await until(lambda: kit.state.phase is Phase.OPEN)
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await pilot.press("f2")
        await until(lambda: kit.state.current_item_id is not None)

        # issues arrive from phones; two say the same thing
        for number, (pid, text) in enumerate(
            [
                ("p1", "費用怎麼分攤"),
                ("p2", "電梯費用誰來出"),
                ("p3", "一樓採光怎麼辦"),
                ("p4", "廣告"),
            ],
            start=1,
        ):
            await kit.phone(
                pid,
                c.RaiseIssue(
                    at=kit.clock(),
                    issue_id=f"i{number}",
                    text=text,
                    source=IssueSource.PHONE,
                    participant_id=pid,
                ),
            )
        await kit.phone("p4", c.SupportIssue(at=kit.clock(), issue_id="i2", participant_id="p4"))
        await until(lambda: "電梯費用誰來出" in screen_text(app))
        await type_line(pilot, "accept 1")
        await type_line(pilot, "merge 2 1")
        await until(lambda: kit.state.issues["i2"].status is IssueStatus.MERGED)
        assert (
            kit.state.issues["i1"].support_count == 3
        )  # the duplicate's two supporters came along

        # screen one from the board itself: the cursor row, key r, a reason in the dialog
        board = app.screen.query_one(IssueBoard)
        board.focus()

        def rows() -> list[str]:
            return [board.get_row_at(n)[1].plain for n in range(board.row_count)]

        await until(lambda: board.has_focus and "廣告" in rows())
        row = rows().index("廣告")
        board.move_cursor(row=row)
        await pilot.press("r")
        await until(lambda: isinstance(app.screen, AskScreen))
        app.screen.query_one(Input).value = "與本次主題無關"
        await pilot.press("enter")
        await until(lambda: kit.state.issues["i4"].status is IssueStatus.REJECTED)
        assert kit.state.issues["i4"].reject_reason == "與本次主題無關"

        # the floor: a phone raises a hand, a resident without a phone is queued by name
        await kit.phone("p1", c.RaiseHand(at=kit.clock(), entry_id="h1", participant_id="p1"))
        await type_line(pilot, "q+ 劉阿姨")
        await until(lambda: len(kit.state.queue) == 2)
        await pilot.press("f3")
        await until(lambda: kit.state.speaker_entry_id == "h1")
        kit.clock.advance(75)
        await until(lambda: "發言中：張伯  1:15 / 2:00" in screen_text(app))
        await pilot.press("f4")
        await until(lambda: kit.state.speaker_entry_id is None)
        await type_line(pilot, "opinion + 贊成按樓層分攤 @張伯")
        await until(lambda: len(kit.state.opinions) == 1)

        # a poll from the form; phones vote, hands are counted, a proxy ballot is cast
        await type_line(pilot, "roster 陳伯")
        await until(lambda: len(kit.state.participants) == 5)
        await pilot.press("f5")
        await until(lambda: isinstance(app.screen, PollForm))
        app.screen.query_one("#question", Input).value = "是否按樓層分攤電梯費用"
        await pilot.click("#ok")
        await until(lambda: kit.state.open_poll_id is not None)
        poll_id = kit.state.open_poll_id
        assert poll_id is not None
        for pid, choice in (("p1", "yes"), ("p2", "yes"), ("p3", "no")):
            await kit.phone(
                pid,
                c.CastBallot(
                    at=kit.clock(), poll_id=poll_id, participant_id=pid, choices=(choice,)
                ),
            )
        await type_line(pilot, "proxy 陳伯 贊成 by 陳伯的女兒")
        await type_line(pilot, "hands yes=9 no=1")  # 9 + 1 + 4 ballots is more than 11 present
        await until(lambda: any("在場" in notice for notice in shown))  # refused, with numbers
        await type_line(pilot, "hands yes=4 no=1 abstain=1")
        await until(lambda: kit.state.polls[poll_id].hand_voters == 6)
        await until(lambda: "手機 2 · 舉手 4 · 代投 1" in screen_text(app))
        await pilot.press("f6")
        await until(lambda: kit.state.polls[poll_id].decision is not None)
        decision = kit.state.polls[poll_id].decision
        assert decision is not None and decision.outcome is Outcome.PASSED
        await until(lambda: "決議：通過" in screen_text(app))

        # action items: added and assigned from the console, one claimed from a phone
        await type_line(pilot, "action 維修路燈 @物業公司 due 2026-12-31")
        await type_line(pilot, "action 召開3號樓業主分攤協商會")
        await until(lambda: len(kit.state.actions) == 2)
        await type_line(pilot, "assign 2 @趙先生 due 2026-06-30")
        await until(lambda: any(a.owner == "趙先生" for a in kit.state.actions.values()))
        second = next(a for a in kit.state.actions.values() if a.number == 2)
        await kit.phone(
            "p3", c.ClaimActionItem(at=kit.clock(), action_id=second.action_id, participant_id="p3")
        )
        await until(lambda: "趙先生 已認領" in screen_text(app))

        # closing: ratings from phones, then the session ends and the minutes appear
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, ClosingScreen) and app.screen.ready)
        await pilot.press("f2")
        await until(lambda: kit.state.rating_open)
        for pid, stars in (("p1", 5), ("p2", 4), ("p3", 3)):
            await kit.phone(pid, c.RateSession(at=kit.clock(), participant_id=pid, stars=stars))
        await until(lambda: "平均 4.0 星" in screen_text(app))
        await pilot.press("f3")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(lambda: kit.state.phase is Phase.CLOSED)
        await until(lambda: "會議紀要" in screen_text(app))
        assert not [n for n in shown if "內部" in n]
    assert kit.hub.state(SESSION_ID).phase is Phase.CLOSED


async def test_errors_are_notifications_not_crashes(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(140, 45)) as pilot:
        shown = notices(app)
        await type_line(pilot, "close")
        await type_line(pilot, "accept 9")
        await type_line(pilot, "grant")
        await type_line(pilot, "dance")
        await until(lambda: len(shown) == 4)
        assert shown[:2] == ["No poll is open.", "There is no issue #9."]
        assert len(shown) == 4 and "dance" in shown[3]
        assert app.is_running


async def test_quit_asks_first_and_is_quick(kit: Kit) -> None:
    app = kit.app()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+q")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.is_running
        await pilot.press("ctrl+q")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(lambda: not app.is_running, timeout=2.0)
