"""Pictures of the lobby, the main view with an open poll, and closing.

Fixed clock, fixed ids and a fixed join URL: nothing in the pictures changes between runs. The
SVGs squash wide (CJK) cells — a known Textual limitation — so CJK layout is checked as text in
test_full_session.py and test_layout.py; these pictures guard colours, borders and placement.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.values import IssueSource, Phase
from facilitator.tui import intents as i
from facilitator.tui.screens.dialogs import ConfirmScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.screens.poll_form import PollForm
from facilitator.tui.widgets.board import IssueBoard
from tests.tui.console_kit import Kit, type_line, until

pytestmark = pytest.mark.slow  # whole evenings, pictures and layouts through Pilot: seconds each

SIZES = ((80, 24), (120, 40), (200, 50))  # a laptop terminal, a usual window, a large screen
Snap = Callable[..., bool]
Before = Callable[[Pilot[Any]], Awaitable[None]]
SNAPSHOTS = Path(__file__).parent / "__snapshots__" / Path(__file__).stem
_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')


def svg_rows(svg: str) -> list[str]:
    """The characters of a Textual SVG screenshot, row by row (for a readable failure)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in _TEXT.findall(svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return ["".join(text for _, text in sorted(row)).rstrip() for _, row in sorted(rows.items())]


def compare(snap_compare: Snap, kit: Kit, name: str, before: Before, size: tuple[int, int]) -> None:
    """``snap_compare``, and on a mismatch the difference as text in the failure message.

    The picture's HTML report stays on the machine that ran the tests; the text difference
    travels with the test output, so a mismatch on another machine can be understood."""
    seen: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await before(pilot)
        seen.append(pilot.app.export_screenshot())

    if snap_compare(kit.app(), terminal_size=size, run_before=run_before):
        return
    expected = svg_rows((SNAPSHOTS / f"{name}.svg").read_text(encoding="utf-8"))
    got = svg_rows(seen[-1]) if seen else []
    diff = "\n".join(difflib.unified_diff(expected, got, "expected", "drawn", lineterm=""))
    shown = diff or "(the same characters: colours or attributes differ)"
    raise AssertionError(f"{name}: the picture differs\n{shown}")


async def _people(kit: Kit) -> None:
    for pid, name, category in (
        ("p1", "張伯", "resident_rep"),
        ("p2", "李大姐", "resident_rep"),
        ("p3", "物業王經理", "property_company"),
    ):
        await kit.join(pid, name, category)
    await kit.hub.dispatch("s-test", c.SetWalkInCount(at=kit.clock(), count=5), MODERATOR)


async def _meeting(kit: Kit, pilot: Pilot[Any]) -> None:
    await _people(kit)
    app = pilot.app
    for line in ("open", "next", "next", "q+ 劉阿姨", "issue 一樓住戶採光怎麼辦 @劉阿姨"):
        await app.controller.run_line(line)  # type: ignore[attr-defined]
    await kit.phone(
        "p1",
        c.RaiseIssue(
            at=kit.clock(),
            issue_id="i-x",
            text="費用怎麼分攤",
            source=IssueSource.PHONE,
            participant_id="p1",
        ),
    )
    await kit.phone("p2", c.SupportIssue(at=kit.clock(), issue_id="i-x", participant_id="p2"))
    await kit.phone("p1", c.RaiseHand(at=kit.clock(), entry_id="h1", participant_id="p1"))
    await app.controller.run_line("grant 張伯")  # type: ignore[attr-defined]
    await app.controller.run_line("vote 是否加裝電梯 --2/3")  # type: ignore[attr-defined]
    poll_id = kit.state.open_poll_id
    assert poll_id is not None
    for pid in ("p1", "p2"):
        await kit.phone(
            pid, c.CastBallot(at=kit.clock(), poll_id=poll_id, participant_id=pid, choices=("yes",))
        )
    await app.controller.run_line("hands yes=3 no=1 abstain=1")  # type: ignore[attr-defined]
    await app.controller.run_line("action 出具1號樓採光評估 @設計院 due 2026-06-20")  # type: ignore[attr-defined]
    kit.clock.advance(95)
    await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
    await pilot.pause(0.3)


async def _steady(pilot: Pilot[Any]) -> None:
    """Stop the cursor blinking, and put the board's cursor on top: where it stays depends on
    which draws happened between arrivals (it follows its issue), which is timing, not state."""
    pilot.app.screen.query_one("#line", Input).cursor_blink = False
    for board in pilot.app.screen.query(IssueBoard):
        board.move_cursor(row=0)
    await pilot.pause(0.2)


def _name(test: str, size: tuple[int, int]) -> str:
    return f"{test}[{size[0]}x{size[1]}]"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lobby(snap_compare: Snap, kit: Kit, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _people(kit)
        await pilot.pause(0.3)
        await _steady(pilot)

    compare(snap_compare, kit, _name("test_lobby", size), before, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_view_with_an_open_poll(snap_compare: Snap, kit: Kit, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _meeting(kit, pilot)
        await _steady(pilot)

    compare(snap_compare, kit, _name("test_main_view_with_an_open_poll", size), before, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_poll_form(snap_compare: Snap, kit: Kit, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _meeting(kit, pilot)
        await pilot.press("f5")
        await until(lambda: isinstance(pilot.app.screen, PollForm))
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        question = pilot.app.screen.query_one("#question", Input)
        await until(lambda: question.has_focus and question.region.height > 0)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.3)

    compare(snap_compare, kit, _name("test_poll_form", size), before, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_and_confirm(snap_compare: Snap, kit: Kit, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _meeting(kit, pilot)
        await _steady(pilot)
        await type_line(pilot, "help vote")
        await until(lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.press("escape")
        await type_line(pilot, "end")  # items never started: the question names them
        await until(lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.3)

    compare(snap_compare, kit, _name("test_help_and_confirm", size), before, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_closing(snap_compare: Snap, kit: Kit, size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _meeting(kit, pilot)
        app = pilot.app
        for line in ("close", "rating"):
            await app.controller.run_line(line)  # type: ignore[attr-defined]
        for pid, stars in (("p1", 5), ("p2", 4), ("p3", 2)):
            await kit.phone(pid, c.RateSession(at=kit.clock(), participant_id=pid, stars=stars))
        kit.clock.advance(600)
        await app.controller.run(i.Simple("end"), confirmed=True)  # type: ignore[attr-defined]
        await until(lambda: kit.state.phase is Phase.CLOSED)
        await pilot.pause(0.5)
        await _steady(pilot)

    compare(snap_compare, kit, _name("test_closing", size), before, size)
