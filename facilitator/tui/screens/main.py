"""The main view: agenda and speakers, the issue board, the poll and the action items."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical

from facilitator.tui.keys import key
from facilitator.tui.screens.base import SessionScreen
from facilitator.tui.view import View
from facilitator.tui.widgets.actions import ActionPanel
from facilitator.tui.widgets.agenda import AgendaPanel
from facilitator.tui.widgets.board import IssueBoard
from facilitator.tui.widgets.poll import PollPanel
from facilitator.tui.widgets.speakers import OpinionPanel, SpeakerPanel

_TITLES = {
    "#agenda": "term.agenda",
    "#speakers": "term.speaker_queue",
    "#opinions": "console.opinions.title",
    "#board": "console.board.title",
    "#poll": "term.poll",
    "#actions": "term.action_item",
}


class MainScreen(SessionScreen):
    """Where the meeting is run."""

    # Below 130 columns the side panels narrow so the issue board keeps room for all its columns.
    # (Textual declares this ``ClassVar[...] | None``, which mypy reads as an instance variable.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        key("f2", "app.run_line('next')", "next"),
        key("f3", "app.run_line('grant')", "grant"),
        key("f4", "app.run_line('done')", "done"),
        key("f5", "app.poll_form", "poll"),
        key("f6", "app.run_line('close')", "close"),
        key("f7", "app.run_line('lobby')", "lobby"),
        key("f8", "app.run_line('closing')", "closing"),
        key("f9", "app.prefill('hands ')", "hands"),
        key("f10", "app.prefill('action ')", "action"),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield AgendaPanel(id="agenda")
                yield SpeakerPanel(id="speakers")
                yield OpinionPanel(id="opinions")
            yield IssueBoard(id="board")
            with Vertical(id="right"):
                yield PollPanel(id="poll")
                yield ActionPanel(id="actions")

    def on_mount(self) -> None:
        super().on_mount()
        for selector, title in _TITLES.items():
            self.query_one(selector).border_title = self.tr(title)

    def show(self, view: View) -> None:
        self.query_one(AgendaPanel).show(view)
        self.query_one(SpeakerPanel).show(view)
        self.query_one(OpinionPanel).show(view)
        self.query_one(IssueBoard).show(view)
        self.query_one(PollPanel).show(view)
        self.query_one(ActionPanel).show(view)
