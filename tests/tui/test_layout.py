"""Layout checked as text (CJK widths), the QR code's explicit colours, and bounded redraws."""

from __future__ import annotations

import asyncio
import inspect
import time

import pytest
from rich.cells import cell_len

from facilitator.session import commands as c
from facilitator.tui.screens.base import SessionScreen
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.widgets.board import IssueBoard
from facilitator.tui.widgets.qr import QUIET_ZONE, qr_matrix, qr_text
from tests.tui.console_kit import JOIN_URL, Kit, board_issues, screen_text, type_line, until

pytestmark = pytest.mark.slow  # whole evenings, pictures and layouts through Pilot: seconds each


def test_qr_is_black_on_white_with_a_quiet_zone() -> None:
    matrix = qr_matrix(JOIN_URL)
    assert all(not cell for cell in matrix[0]) and all(not row[0] for row in matrix)
    assert len(matrix) == len(matrix[0]) >= 21 + 2 * QUIET_ZONE
    text = qr_text(JOIN_URL)
    assert len(text.plain.splitlines()) == (len(matrix) + 1) // 2
    for span in text.spans:  # every cell names both colours: no theme colour leaks in
        style = span.style
        assert not isinstance(style, str)
        assert style.color is not None and style.bgcolor is not None
        assert {style.color.name, style.bgcolor.name} <= {"#000000", "#ffffff"}


async def test_lobby_in_english_shows_url_code_and_attendance(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(130, 40)):
        await kit.join("p1", "Zhang", "deputy")
        await until(lambda: "People's congress deputy" in screen_text(app))
        text = screen_text(app)
        assert JOIN_URL in text
        assert "Numeric code 4321" in text
        assert "People's congress deputy" in text
        assert "Present: 1 (1 checked in, 0 counted by head)" in text


async def test_simplified_chinese_main_view(kit: Kit) -> None:
    app = kit.app("zh-Hans")
    async with app.run_test(size=(130, 40)) as pilot:
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, "next")
        await until(lambda: "剩 10:00" in screen_text(app))
        text = screen_text(app)
        assert "议题板" in text
        # a wide character takes two cells: the left panel's right border stays in one column
        rows = [line for line in text.splitlines() if line[:1] in ("│", "╭", "╰")]
        assert any("主題說明" in row for row in rows)
        for row in rows:
            border = next(i for i, ch in enumerate(row) if i > 0 and ch in "│╮╯")
            assert cell_len(row[: border + 1]) == 34, row


async def test_a_vote_storm_is_drawn_at_a_bounded_rate(kit: Kit) -> None:
    app = kit.app()
    async with app.run_test(size=(130, 40)) as pilot:
        for n in range(200):
            await kit.join(f"p{n}", f"居民{n}")
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, "vote 是否加裝電梯")
        poll_id = kit.state.open_poll_id
        assert poll_id is not None
        draws = 0
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        original = screen.show

        def counting(view: object) -> None:
            nonlocal draws
            draws += 1
            original(view)  # type: ignore[arg-type]

        screen.show = counting  # type: ignore[method-assign]
        started = time.monotonic()
        await asyncio.gather(
            *(
                kit.phone(
                    f"p{n}",
                    c.CastBallot(
                        at=kit.clock(), poll_id=poll_id, participant_id=f"p{n}", choices=("yes",)
                    ),
                )
                for n in range(200)
            )
        )
        await until(lambda: draws >= 1 and app._drawn[0] >= kit.state.version)  # all drawn
        elapsed = time.monotonic() - started  # measured, not assumed: the machine may be busy
        assert kit.state.polls[poll_id].voters == 200
        # 200 ballots, a handful of pictures: never more than the timer's rate allows
        assert 1 <= draws <= app.REFRESH_HZ * elapsed + 2
        assert draws < 200
        assert "200" in screen_text(app)


async def test_palette_entries_run_the_same_commands(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(130, 40)) as pilot:
        entries = {entry.title: entry for entry in app.get_system_commands(app.screen)}
        assert {"Open session", "Next item", "New poll", "Hand count", "Quit"} <= set(entries)
        result = entries["Open session"].callback()
        if inspect.isawaitable(result):
            await result
        await until(lambda: kit.state.phase.value == "open")
        await pilot.pause()


LONG = "晚上九點以後廣場舞音響太吵，三號樓老人睡不著，請物業和舞隊商量音量和結束時間"


async def test_the_board_fits_its_columns_and_wraps_long_issues(kit: Kit) -> None:
    """Status and supporters stay in sight at any width; a long text wraps, it is never cut."""
    app = kit.app()
    async with app.run_test(size=(130, 40)) as pilot:
        await kit.join("p1", "張伯")
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, f"issue {LONG}")
        await type_line(pilot, "issue 路燈壞了")
        board = app.screen.query_one(IssueBoard)
        for size in ((130, 40), (160, 40), (112, 40)):
            await pilot.resize_terminal(*size)
            await until(lambda size=size: app.screen.size == size)  # type: ignore[misc]
            await pilot.pause()  # one more refresh: the board lays out after the screen
            assert board.virtual_size.width <= board.scrollable_content_region.width, size
            text = screen_text(app)
            assert "狀態" in text and "附議" in text, size
            assert text.count("新提出") == 2, size
            assert LONG in board_issues(app), size  # wrapped over lines, all of it there
            rows = [board.get_row_at(n) for n in range(board.row_count)]
            assert [str(row[0]) for row in rows] == ["#1", "#2"]
