"""The main view: agenda and speakers, the issue board, the poll and the action items.

Wide terminals show the three columns side by side. Below :data:`COMPACT_BELOW` columns (an
80×24 laptop terminal, a projector's low resolution) the columns become three panels behind tabs
— agenda and speakers, the issue board, poll and actions — each with the whole width, so the
board never shrinks to a sliver. ``ctrl+o`` (or a click on a tab) switches; a poll that opens
brings its panel forward by itself.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Tab, Tabs

from facilitator.tui.keys import key
from facilitator.tui.screens.base import SessionScreen
from facilitator.tui.view import View
from facilitator.tui.widgets.actions import ActionPanel
from facilitator.tui.widgets.agenda import AgendaPanel
from facilitator.tui.widgets.board import IssueBoard
from facilitator.tui.widgets.poll import PollPanel
from facilitator.tui.widgets.speakers import OpinionPanel, SpeakerPanel

COMPACT_BELOW = 110  # columns; below this the main view shows one panel at a time
PANELS = ("left", "board", "right")  # the columns, and the tabs that show them when compact
_TAB_TITLES = {
    "left": "console.tab.agenda",
    "board": "console.tab.board",
    "right": "console.tab.poll",
}
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

    # Below 130 columns the side panels narrow so the issue board keeps room for all its columns;
    # below 110 one panel at a time. (Textual declares this ``ClassVar[...] | None``, which mypy
    # reads as an instance variable.)
    HORIZONTAL_BREAKPOINTS = [(0, "-compact"), (COMPACT_BELOW, "-narrow"), (130, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        key("f2", "line('next')", "next"),
        key("f3", "line('grant')", "grant"),
        key("f4", "line('done')", "done"),
        key("f5", "poll_form", "poll"),
        key("f6", "line('close')", "close"),
        key("f7", "line('lobby')", "lobby"),
        key("f8", "line('closing')", "closing"),
        key("f9", "prefill('hands ')", "hands"),
        key("f10", "prefill('action ')", "action"),
        key("ctrl+o", "next_panel", "panel"),
    ]

    _poll_seen: str | None = None

    def body(self) -> ComposeResult:
        yield Tabs(*(Tab(self.tr(_TAB_TITLES[p]), id=f"tab-{p}") for p in PANELS), id="panels")
        with Horizontal(id="main"):
            with Vertical(id="left", classes="-shown"):
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

    @property
    def compact(self) -> bool:
        return self.has_class("-compact")

    @property
    def panel(self) -> str:
        """The column shown when compact (``left``, ``board`` or ``right``)."""
        active = self.query_one(Tabs).active or "tab-left"
        return active.removeprefix("tab-")

    def show_panel(self, panel: str) -> None:
        self.query_one(Tabs).active = f"tab-{panel}"

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        shown = event.tab.id.removeprefix("tab-") if event.tab.id else "left"
        for panel in PANELS:
            self.query_one(f"#{panel}").set_class(panel == shown, "-shown")

    async def action_poll_form(self) -> None:
        await self.app.run_action("poll_form")

    def action_next_panel(self) -> None:
        self.show_panel(PANELS[(PANELS.index(self.panel) + 1) % len(PANELS)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_panel":
            return self.compact  # only offered when the panels are behind tabs
        if action == "poll_form" and self.closed:
            return False
        return super().check_action(action, parameters)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_bindings)  # ctrl+o is offered only when compact

    def show(self, view: View) -> None:
        super().show(view)
        poll = view.state.open_poll_id
        if poll is not None and poll != self._poll_seen:  # a poll just opened: bring it forward
            self.show_panel("right")
        self._poll_seen = poll
        self.query_one(AgendaPanel).show(view)
        self.query_one(SpeakerPanel).show(view)
        self.query_one(OpinionPanel).show(view)
        self.query_one(IssueBoard).show(view)
        self.query_one(PollPanel).show(view)
        self.query_one(ActionPanel).show(view)
