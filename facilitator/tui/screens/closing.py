"""Closing: satisfaction ratings as they arrive, closing the session, and the minutes preview."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Markdown, Static

from facilitator.session.values import Phase
from facilitator.tui.keys import key
from facilitator.tui.screens.base import Names, SessionScreen
from facilitator.tui.view import View
from facilitator.tui.widgets.prompt import History


def ratings_text(view: View) -> Text:
    tr, state = view.tr, view.state
    stars = [r.stars for r in state.ratings.values()]
    text = Text()
    status = "console.closing.rating_open" if state.rating_open else "console.closing.rating_shut"
    if state.phase is Phase.CLOSED:  # F2 no longer opens anything: do not offer it
        status = "console.closing.rating_ended"
    text.append(tr(status) + "\n\n", "bold" if state.rating_open else "dim")
    text.append(tr("console.closing.ratings", count=len(stars)) + "\n")
    if stars:
        average = sum(stars) / len(stars)
        text.append(tr("console.closing.average", average=f"{average:.1f}") + "\n", "bold")
        for value in range(5, 0, -1):
            count = stars.count(value)
            text.append(f"{'★' * value:<5} {count:>4}\n")
        satisfied = sum(1 for s in stars if s >= 4)
        rate = round(100 * satisfied / len(stars))
        text.append(tr("console.closing.satisfied", rate=rate) + "\n")
    comments = [r.comment for r in state.ratings.values() if r.comment]
    for comment in comments[-5:]:
        text.append(f"「{comment}」\n", "italic")
    phase = tr(f"term.phase.{state.phase.value}")
    text.append("\n" + tr("console.lobby.phase", phase=phase), "dim")
    return text


class ClosingScreen(SessionScreen):
    """The end of the meeting; the minutes appear once the session is closed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("f2", "line('rating')", "rating"),
        key("f3", "line('end')", "end"),
        key("f7", "line('main')", "main"),
    ]

    def __init__(
        self, lang: str, names: Names, history: History, minutes: Callable[[], Awaitable[str]]
    ) -> None:
        super().__init__(lang, names, history)
        self._minutes = minutes
        self._showing = ""  # which text the minutes pane holds: "later" or "minutes"

    def body(self) -> ComposeResult:
        with Horizontal(id="closing"):
            yield Static(id="ratings")
            with VerticalScroll(id="minutes"):
                yield Markdown(id="minutes-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#ratings").border_title = self.tr("term.rating")
        self.query_one("#minutes").border_title = self.tr("term.minutes")

    def show(self, view: View) -> None:
        super().show(view)
        self.query_one("#ratings", Static).update(ratings_text(view))
        wanted = "minutes" if view.state.phase is Phase.CLOSED else "later"
        if wanted != self._showing:  # the log of a closed session no longer changes: render once
            self._showing = wanted
            if wanted == "minutes":  # read from the log through the hub, off the drawing path
                self.run_worker(self._show_minutes(), group="minutes", exclusive=True)
            else:
                self.query_one("#minutes-text", Markdown).update(self.tr("console.closing.later"))

    async def _show_minutes(self) -> None:
        text = await self._minutes()
        await self.query_one("#minutes-text", Markdown).update(text)
