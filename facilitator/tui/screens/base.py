"""What every full screen of the console shares: a header, a body, the command line, key hints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Header

from facilitator.i18n import Translate, translator
from facilitator.session.values import Phase
from facilitator.tui.keys import key, translate_bindings
from facilitator.tui.messages import RunLine
from facilitator.tui.view import View
from facilitator.tui.widgets.keyhints import KeyHints
from facilitator.tui.widgets.prompt import CommandLine, History
from facilitator.tui.widgets.status import StatusLine

Names = Callable[[], Iterable[str]]
VIEWS = ("lobby", "main", "closing")
PHASE_VIEW = {Phase.DRAFT: "lobby", Phase.OPEN: "main", Phase.CLOSED: "closing"}
_VIEW_LINES = (("lobby",), ("main",), ("closing",), ("help",))


class SessionScreen(Screen[None]):
    """A screen that draws a :class:`View`; subclasses compose ``body`` and implement ``show``."""

    AUTO_FOCUS = "#line"  # typing goes to the command line; Tab reaches the issue board
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "focus_line", "command_line"),
    ]

    def __init__(self, lang: str, names: Names, history: History) -> None:
        super().__init__()
        self.lang = lang
        self.tr: Translate = translator(lang)
        self._names = names
        self._history = history
        self.ready = False  # True once composed: the app draws only into a mounted screen
        self.closed = False  # the session is closed: nothing but looking is offered

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield from self.body()
        yield StatusLine(id="status")
        yield CommandLine(
            self._names, self._history, placeholder=self.tr("console.cmd.placeholder"), id="line"
        )
        yield KeyHints(compact=True, show_command_palette=False)  # ctrl+p still opens it

    def body(self) -> ComposeResult:
        """The screen's own widgets, between the header and the command line."""
        yield from ()

    def on_mount(self) -> None:
        translate_bindings(self, self.tr)
        for widget in self.query("*"):
            translate_bindings(widget, self.tr)
        self.ready = True

    def show(self, view: View) -> None:
        """Draw ``view``; called by the app at most ten times a second. Subclasses call this
        first: it keeps the key hints to what is still possible."""
        closed = view.state.phase is Phase.CLOSED
        if closed != self.closed:
            self.closed = closed
            self.call_after_refresh(self.refresh_bindings)  # once the key hints are listening

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """After the session closed, only switching views is offered (nothing else can work)."""
        if self.closed and action in ("line", "prefill") and parameters not in _VIEW_LINES:
            return False  # hidden (None would show it greyed out)
        return super().check_action(action, parameters)

    def action_line(self, line: str) -> None:
        """Carry out ``line`` as if typed (the function keys)."""
        self.post_message(RunLine(line))

    def action_prefill(self, text: str) -> None:
        self.prefill(text)

    def action_focus_line(self) -> None:
        self.query_one(CommandLine).focus()

    def prefill(self, text: str) -> None:
        self.query_one(CommandLine).prefill(text)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def refused(self, line: str) -> None:
        """``line`` was refused: it stays in the command line, selected."""
        if line:
            self.query_one(CommandLine).refused(line)

    def carried_out(self, line: str) -> None:
        """``line`` was accepted: the command line is cleared for the next one."""
        if line:
            self.query_one(CommandLine).carried_out(line)

    @on(CommandLine.Entered)
    def _entered(self, event: CommandLine.Entered) -> None:
        event.stop()
        self.post_message(RunLine(event.line))
