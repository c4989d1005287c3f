"""What every full screen of the console shares: a header, a body, the command line, key hints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header

from facilitator.i18n import Translate, translator
from facilitator.tui.keys import key, translate_bindings
from facilitator.tui.messages import RunLine
from facilitator.tui.view import View
from facilitator.tui.widgets.prompt import CommandLine

Names = Callable[[], Iterable[str]]


class SessionScreen(Screen[None]):
    """A screen that draws a :class:`View`; subclasses compose ``body`` and implement ``show``."""

    AUTO_FOCUS = "#line"  # typing goes to the command line; Tab reaches the issue board
    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "focus_line", "command_line"),
    ]

    def __init__(self, lang: str, names: Names) -> None:
        super().__init__()
        self.lang = lang
        self.tr: Translate = translator(lang)
        self._names = names
        self.ready = False  # True once composed: the app draws only into a mounted screen

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield from self.body()
        yield CommandLine(self._names, placeholder=self.tr("console.cmd.placeholder"), id="line")
        yield Footer()

    def body(self) -> ComposeResult:
        """The screen's own widgets, between the header and the command line."""
        yield from ()

    def on_mount(self) -> None:
        translate_bindings(self, self.tr)
        for widget in self.query("*"):
            translate_bindings(widget, self.tr)
        self.ready = True

    def show(self, view: View) -> None:
        """Draw ``view``; called by the app at most ten times a second."""

    def action_focus_line(self) -> None:
        self.query_one(CommandLine).focus()

    def prefill(self, text: str) -> None:
        self.query_one(CommandLine).prefill(text)

    @on(CommandLine.Entered)
    def _entered(self, event: CommandLine.Entered) -> None:
        event.stop()
        self.post_message(RunLine(event.line))
