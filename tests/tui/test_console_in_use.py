"""The console in a moderator's hands: whatever is typed, it answers and keeps running.

``help`` and a bare ``vote`` once crashed the console (and, in ``facilitator run``, the phones'
server with it): their usage texts have square brackets, which Textual read as markup. These tests
type what a moderator types — help, half commands, typos, brackets, CJK, control characters —
and check the answer on the status line, the command line's memory, and that the server in the
same loop still answers.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import aiohttp
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.command import CommandPalette
from textual.widgets import Input
from textual.widgets._toast import Toast

from facilitator.server import ServerSettings, start_server
from facilitator.session.values import Phase
from facilitator.tui.grammar import USAGE
from facilitator.tui.screens.dialogs import ConfirmScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.main import MainScreen
from tests.tui.console_kit import Kit, make_kit, screen_text, status_text, type_line, until

pytestmark = pytest.mark.slow  # whole evenings, pictures and layouts through Pilot: seconds each

DANGEROUS = (
    "help",
    "vote",
    "hands",
    "action",
    "[bold]",
    "[b]x",
    "[/]",
    "[link=http://x]y",
    "action 修路燈 [@OWNER] [due 2026-12-31]",
    "issue [red]紅字[/red] \\[escaped]",
    "q+ [bold]王阿姨",
    "roster \\",
    "help [",
)


BRACKETS_AND_WORDS = "[]\\/@#=|｜　加裝電梯王阿姨 abcvotehnds0123"
VERBS = sorted(USAGE)


def _line(app: object) -> str:
    return app.screen.query_one("#line", Input).value  # type: ignore[attr-defined,no-any-return]


async def test_help_lists_every_command_with_its_grammar_and_an_example(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_line(pilot, "help")
        await until(lambda: isinstance(app.screen, HelpScreen))
        shown = str(app.screen.query_one("#help-text").render())
        for usage in USAGE.values():
            assert usage in shown  # square brackets and all, as written
        assert "e.g. vote Shall we add a lift?" in shown
        assert "action TITLE [@OWNER] [due YYYY-MM-DD]" in shown
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, HelpScreen))
        await type_line(pilot, "help vote")
        await until(lambda: isinstance(app.screen, HelpScreen))
        one = str(app.screen.query_one("#help-text").render())
        assert USAGE["vote"] in one and "e.g. vote" in one and "hands" not in one
        await pilot.press("escape")
        await type_line(pilot, "help dance")
        await until(lambda: "help" in status_text(app) and "dance" in status_text(app))
        assert app.is_running


async def test_a_bare_verb_answers_with_its_usage(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        for verb in ("vote", "hands", "action", "proxy", "merge", "reject"):
            usage = USAGE[verb]
            await type_line(pilot, verb)
            await until(lambda: usage in status_text(app))  # noqa: B023 (awaited at once)
            assert _line(app) == verb  # kept, to be finished
        assert app.is_running


async def test_accepted_lines_say_what_changed_and_clear_refused_ones_stay(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_line(pilot, "open")
        await until(lambda: "The session is open" in status_text(app))
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, "next")
        await until(lambda: "Item 1 started" in status_text(app))
        assert _line(app) == ""
        await type_line(pilot, "nxet")
        await until(lambda: "did you mean next" in status_text(app))
        assert _line(app) == "nxet" and status_text(app).startswith("✗")
        await pilot.press("end", "backspace", "backspace", "backspace", "e", "x", "t")
        assert _line(app) == "next"  # corrected in place
        await pilot.press("ctrl+a", "backspace")
        await type_line(pilot, "nope")
        await until(lambda: "nope" in status_text(app))
        await pilot.press(*"walkins 2")  # the refused line is selected: typing replaces it
        assert _line(app) == "walkins 2"
        await type_line(pilot, "q+ Mrs Liu")
        await until(lambda: "Mrs Liu is in the queue" in status_text(app))
        await type_line(pilot, "walkins 3")
        await until(lambda: "Head count 3" in status_text(app))
        await type_line(pilot, "action Fix the lamp @Property due 2026-12-31")
        await until(lambda: "Action item 1 added: Fix the lamp" in status_text(app))


async def test_typing_goes_on_after_the_view_changes(kit: Kit) -> None:
    """Key by key, as a moderator types: ``open`` moves to the main view while it runs, ``lobby``
    and ``main`` switch views; every next line still reaches the command line."""
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        for line in ("open", "next", "lobby", "main"):
            await pilot.press(*line, "enter")
            await until(lambda: _line(app) == "" and app.focused is not None)
            assert app.focused.id == "line"  # type: ignore[union-attr]
        assert isinstance(app.screen, MainScreen)
        await pilot.press(*"end", "enter")
        await until(lambda: isinstance(app.screen, ConfirmScreen))


async def test_up_and_down_recall_earlier_lines(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        for typed in ("walkins 5", "walkins 6", "nxet"):
            await type_line(pilot, typed)
        await until(lambda: "nxet" in status_text(app))
        line = app.screen.query_one("#line", Input)
        line.value = "half"
        await pilot.press("up")
        assert line.value == "nxet"
        await pilot.press("up", "up")
        assert line.value == "walkins 5"
        await pilot.press("up")  # nothing older: stays
        assert line.value == "walkins 5"
        await pilot.press("down", "down", "down")
        assert line.value == "half"  # back to what was being typed


async def test_ctrl_c_says_how_to_quit(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+c")
        await until(lambda: "Ctrl+Q" in status_text(app))
        assert app.is_running


async def test_notifications_show_brackets_as_written_and_never_cover_the_line(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("[Errno 28] No space left on device [/] [bold")  # a storage problem, say
        screen = app.screen
        screen.notify("[red]from a widget[/red")  # widgets' notifications come here too
        await pilot.pause()
        shown = list(app._notifications)
        assert [n.message for n in shown][-2:] == [
            "[Errno 28] No space left on device [/] [bold",
            "[red]from a widget[/red",
        ]
        assert not any(n.markup for n in shown)  # drawn as written, never parsed
        await until(lambda: "[Errno 28]" in screen_text(app))
        line = app.screen.query_one("#line").region
        toasts = list(app.screen.query(Toast))
        assert toasts and all(not t.region.overlaps(line) for t in toasts)
        assert app.is_running


async def test_a_refused_hand_count_gives_the_largest_count_and_the_fix(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await kit.join("p1", "Zhang")
        for line in ("walkins 4", "open", "vote Lift?"):
            await type_line(pilot, line)
        await until(lambda: kit.state.open_poll_id is not None)
        await type_line(pilot, "hands yes=6 no=1")  # 7 hands, 5 present
        await until(lambda: "at most 5 hands" in status_text(app))
        assert "walkins 6" in status_text(app)  # 4 walk-ins + the 2 not counted


async def test_ending_names_what_was_never_started(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        for line in ("open", "next", "vote Lift?"):
            await type_line(pilot, line)
        await until(lambda: kit.state.open_poll_id is not None)
        await type_line(pilot, "end")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("Label").render())
        assert "2. " in question and "3. " in question and "Lift?" in question
        assert "1. " not in question  # item 1 was started
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, ConfirmScreen))
        assert kit.state.phase is Phase.OPEN
        await type_line(pilot, "end")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(lambda: kit.state.phase is Phase.CLOSED)
        # closed: the closing view offers nothing that is no longer possible
        await until(lambda: app.screen.id == "_default" or "closing" in str(app.view_name))
        await until(lambda: "f3" not in _footer(app) and "f2" not in _footer(app))
        assert "f7" in _footer(app)
        await until(lambda: "The session is closed; rating has" in screen_text(app))
        assert "F2" not in screen_text(app) and "F3" not in screen_text(app)


def _footer(app: object) -> str:
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def _answers(kit: Kit, lines: list[str], size: tuple[int, int]) -> None:
    """Type ``lines`` into a console running beside a real server; both must survive."""
    server = await start_server(
        kit.hub, "s-test", ServerSettings(host="127.0.0.1", port=0, public_url=None)
    )
    app = kit.app()
    try:
        async with app.run_test(size=size) as pilot, aiohttp.ClientSession() as http:
            for line in lines:
                await type_line(pilot, line)
                if isinstance(app.screen, HelpScreen | ConfirmScreen):
                    await pilot.press("escape")
                await pilot.pause()
                assert app.is_running, line
            async with http.get(server.join_url) as answer:  # the phones' page still answers
                assert answer.status == 200
    finally:
        await asyncio.wait_for(server.stop(), timeout=5)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(DANGEROUS),
            st.text(min_size=1, max_size=60),
            st.text(
                alphabet="[]\\/@#=|｜　加裝電梯王阿姨 abcvotehnds0123", min_size=1, max_size=40
            ),
            st.builds(
                lambda v, t: f"{v} {t}", st.sampled_from(sorted(USAGE)), st.text(max_size=30)
            ),
            st.text(min_size=300, max_size=2000),
        ),
        min_size=1,
        max_size=6,
    )
)
@example(lines=list(DANGEROUS))
def test_nothing_typed_crashes_the_console_or_its_server(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kit = make_kit(Path(folder))
        try:
            asyncio.run(_answers(kit, lines, (80, 24)))
        finally:
            kit.close()


async def test_80x24_shows_one_panel_at_a_time_and_every_key(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await kit.join("p1", "Zhang")
        await until(lambda: "http://192.0.2.10:8080/j/ABC234" in screen_text(app))
        assert "Numeric code 4321" in screen_text(app)  # the lobby's codes are not cut off
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.compact
        keys = "\n".join(screen_text(app).splitlines()[-2:])
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "^o", "^q"):
            assert key in keys, key  # the hints wrap onto two rows rather than run off
        await until(lambda: "Agenda" in screen_text(app))
        assert "Issue board" not in screen_text(app)
        await pilot.press("ctrl+o")
        await until(lambda: "Issue board" in screen_text(app))
        assert "Status" in screen_text(app) and "Support" in screen_text(app)
        await type_line(pilot, "vote Lift?")  # a poll that opens comes forward
        await until(lambda: "#1 Lift?" in screen_text(app))
        assert screen.panel == "right"
        await pilot.resize_terminal(140, 40)  # wide again: three columns, no tabs
        await until(lambda: not screen.compact)
        await until(lambda: "Issue board" in screen_text(app) and "Agenda" in screen_text(app))
        await until(lambda: "^o" not in screen_text(app))  # offered only when compact


async def test_the_command_palette_shows_usages_as_written(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await until(lambda: isinstance(app.screen, CommandPalette))
        wrapped = "[--hide-tally|--show-tally]"  # the end of vote's usage, on a line of its own
        for search, usage in (("action", USAGE["action"]), ("poll", wrapped)):
            await pilot.press(*search)
            await until(lambda: usage in screen_text(app))  # noqa: B023 (awaited at once)
            await pilot.press(*["backspace"] * len(search))
        assert app.is_running
