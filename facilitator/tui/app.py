"""The moderator's console: composes the screens, binds keys, subscribes and dispatches.

The hub pushes an immutable snapshot after every durable change; the listener only keeps the
latest one. A timer draws it at most :attr:`ConsoleApp.REFRESH_HZ` times a second (and once a
second for the timers), so a storm of a thousand ballots a second costs ten redraws, not a
thousand, and key presses stay quick.

Nothing the console shows is read as markup: participants, agenda writers and the grammar's own
usage texts are full of square brackets (see :mod:`facilitator.tui.plain`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ScreenStackError, SystemCommand
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.screen import Screen

from facilitator.hub import Clock, Hub
from facilitator.i18n import normalize_lang, translator
from facilitator.services import new_id
from facilitator.session.events import Event
from facilitator.session.state import SessionState
from facilitator.tui import intents as i
from facilitator.tui.board_actions import board_intent
from facilitator.tui.controller import Controller, Result
from facilitator.tui.keys import key, translate_bindings
from facilitator.tui.messages import RunIntent, RunLine
from facilitator.tui.minutes import minutes_preview
from facilitator.tui.palette import system_commands
from facilitator.tui.plain import PlainApp
from facilitator.tui.resolve import NewId
from facilitator.tui.screens.base import PHASE_VIEW, VIEWS, SessionScreen
from facilitator.tui.screens.closing import ClosingScreen
from facilitator.tui.screens.dialogs import ConfirmScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.intake import IntakeScreen
from facilitator.tui.screens.lobby import LobbyScreen
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.screens.poll_form import PollForm
from facilitator.tui.view import View
from facilitator.tui.widgets.board import IssueBoard
from facilitator.tui.widgets.prompt import History


class ConsoleApp(PlainApp):
    """Runs one session of ``hub`` for its moderator; ``join_url`` is what the QR code says."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    REFRESH_HZ = 10
    BINDINGS: ClassVar[list[BindingType]] = [
        key("ctrl+q", "ask_quit", "quit", priority=True),
        key("f12", "intake_screen", "intake", show=False),
    ]

    def __init__(
        self,
        hub: Hub,
        session_id: str,
        join_url: str,
        lang: str = "zh-Hant",
        *,
        clock: Clock | None = None,
        ids: NewId = new_id,
        phones: Callable[[], int] | None = None,
        folder: Path = Path("minutes"),
    ) -> None:
        super().__init__()
        self.lang = normalize_lang(lang)
        self.tr = translator(self.lang)
        self.hub, self.session_id, self.join_url = hub, session_id, join_url
        self.clock: Clock = clock or hub.clock
        self.controller = Controller(
            hub, session_id, self.lang, clock=self.clock, ids=ids, join_url=join_url, folder=folder
        )
        self.phones = phones
        self.history = History()  # one for every screen's command line
        self.latest: SessionState = hub.state(session_id)
        self.view_name = PHASE_VIEW[self.latest.phase]
        self._drawn: tuple[int, int, int] = (-1, -1, 0)
        self._phase = self.latest.phase
        self._unsubscribe: list[Callable[[], None]] = []
        self._said = ("", "")  # the status line's latest answer: (kind, text)

    # --- composing and drawing ------------------------------------------------------------------

    def on_mount(self) -> None:
        self.title = self.latest.title
        self.sub_title = self.tr("console.app.title")
        translate_bindings(self, self.tr)
        names, history = self._names, self.history
        self.install_screen(LobbyScreen(self.lang, names, history), "lobby")
        self.install_screen(MainScreen(self.lang, names, history), "main")
        minutes = lambda: minutes_preview(self.hub, self.session_id, self.lang)  # noqa: E731
        self.install_screen(ClosingScreen(self.lang, names, history, minutes), "closing")
        self.push_screen(self.view_name)
        self._unsubscribe = [
            self.hub.subscribe(self.session_id, self._on_change),
            self.hub.on_storage(self._on_storage),
        ]
        if self.hub.storage_error:
            self._on_storage(self.hub.storage_error)
        self.set_interval(1 / self.REFRESH_HZ, self.draw)
        self.call_after_refresh(self.draw)

    def on_unmount(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def _on_change(self, state: SessionState, events: tuple[Event, ...]) -> None:
        self.latest = state  # only keep it: drawing happens on the timer

    def _on_storage(self, problem: str | None) -> None:
        """The log stopped (or resumed) taking writes, whoever was writing: say so at once."""
        if problem is None:
            self.notify(self.tr("console.storage.ok"))
        else:
            self.notify(
                self.tr("console.storage.failed", problem=problem), severity="error", timeout=60
            )

    def _names(self) -> Iterable[str]:  # for the command line's completion
        return [p.display_name for p in self.latest.participants.values()]

    def draw(self, force: bool = False) -> None:
        """Draw the latest snapshot if it, the second, or the view changed since the last draw."""
        state, now = self.latest, self.clock()
        try:
            self.screen  # noqa: B018 (only asks whether there is one)
        except ScreenStackError:  # quitting: the screens are gone before the timer is
            return
        if state.phase is not self._phase:  # the meeting moved on: follow it
            self._phase = state.phase
            self.show_view(PHASE_VIEW[state.phase])
        screen = self.screen
        stamp = (state.version, int(now.timestamp()), id(screen))
        if not isinstance(screen, SessionScreen) or not screen.ready:
            return
        if stamp == self._drawn and not force:
            return
        self._drawn = stamp
        phones = self.phones() if self.phones else None
        with contextlib.suppress(NoMatches):  # quitting: the widgets go before the timer does
            if screen.status.said != self._said:  # a view shown since: it says the latest too
                screen.status.say(*self._said)
            screen.show(View(state, now, self.lang, self.join_url, phones))

    def show_view(self, name: str) -> None:
        """Switch to the lobby, main or closing view (under any open dialog, it waits)."""
        self.view_name = name
        if isinstance(self.screen, SessionScreen) and self.screen is not self.get_screen(name):
            self.switch_screen(name)
            self.call_after_refresh(self.draw, True)
            self.call_after_refresh(self.run_action, "screen.focus_line")  # keep typing

    # --- commands -------------------------------------------------------------------------------

    async def action_run_line(self, line: str) -> None:
        self._report(await self.controller.run_line(line), line)

    async def run_intent(self, intent: i.Intent, *, confirmed: bool = False) -> None:
        self._report(await self.controller.run(intent, confirmed=confirmed))

    def _report(self, result: Result, line: str = "") -> None:
        """Answer on the status line; an accepted line leaves the command line, a refused one
        stays (selected) to be corrected."""
        if result.error is not None:
            self._say("refused", result.error)
            self._lines(lambda screen: screen.refused(line))
            return
        self._lines(lambda screen: screen.carried_out(line))
        if result.confirm_end is not None:
            self.confirm_end(result.confirm_end)
        elif result.help is not None:
            self.push_screen(HelpScreen(self.tr, result.help))
        elif result.view is not None:
            self.show_view(result.view)
        if said := result.notice or result.done:
            self._say("ok", said)
        self.draw()

    def _lines(self, do: Callable[[SessionScreen], None]) -> None:
        """``do`` to the command line of every view it was typed in (the meeting may have moved
        on to another view while the command ran: ``open`` shows the main view)."""
        for name in VIEWS:
            screen = self.get_screen(name)
            if isinstance(screen, SessionScreen) and screen.ready:
                do(screen)

    def _say(self, kind: str, text: str) -> None:
        """Put ``text`` on the status line (every view's: a command may switch views)."""
        self._said = (kind, text)
        if isinstance(self.screen, SessionScreen) and self.screen.ready:
            self.screen.status.say(kind, text)

    @on(RunLine)
    async def _run_line(self, message: RunLine) -> None:
        await self.action_run_line(message.line)

    @on(RunIntent)
    async def _run_intent(self, message: RunIntent) -> None:
        await self.run_intent(message.intent)

    @on(IssueBoard.Act)
    @work(group="board")
    async def _board(self, message: IssueBoard.Act) -> None:
        intent = await board_intent(self, message.action, message.number)
        if intent is not None:
            await self.run_intent(intent)

    def action_prefill(self, text: str) -> None:
        if isinstance(self.screen, SessionScreen):
            self.screen.prefill(text)

    def action_help_quit(self) -> None:  # Ctrl+C with nothing to copy: say how to quit
        self._say("hint", self.tr("console.quit_hint"))

    @work(group="dialogs")
    async def action_poll_form(self) -> None:
        item = self.latest.current_item
        question = item.title if item is not None and item.options else ""
        options = item.options if item is not None else ()
        vote = await self.push_screen_wait(PollForm(self.tr, question, options))
        if vote is not None:
            await self.run_intent(vote)

    @work(group="dialogs", exclusive=True)
    async def confirm_end(self, warnings: tuple[str, ...]) -> None:
        """Ask before ending, naming what ending now cuts short; end only on yes."""
        question = "\n\n".join((self.tr("console.confirm.end"), *warnings))
        if await self.push_screen_wait(ConfirmScreen(self.tr, question)):
            await self.run_intent(i.Simple("end"), confirmed=True)

    def action_intake_screen(self) -> None:  # the place's requests between evenings (碼上議)
        db, place = self.hub.store.location, self.latest.place
        self.push_screen(IntakeScreen(db, place, self.lang, self.clock, self.latest.moderator))

    @work(group="dialogs", exclusive=True)
    async def action_ask_quit(self) -> None:
        if await self.push_screen_wait(ConfirmScreen(self.tr, self.tr("console.confirm.quit"))):
            self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from system_commands(self.tr, self.run_action, self.action_ask_quit)
