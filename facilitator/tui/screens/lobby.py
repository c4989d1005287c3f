"""The lobby: a scannable QR code, the URL and codes as text, attendance and quorum."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from facilitator.tui.keys import key
from facilitator.tui.screens.base import SessionScreen
from facilitator.tui.view import View, label
from facilitator.tui.widgets.attendance import Attendance
from facilitator.tui.widgets.qr import QUIET_ZONE, SMALL_QUIET_ZONE, QrCode

SHORT_BELOW = 30  # rows; below this the QR code keeps a smaller quiet zone and no margin


def join_text(view: View) -> Text:
    tr, state = view.tr, view.state
    text = Text()
    text.append(state.title + "\n", "bold")
    kind = label(tr, f"term.kind.{state.kind.value}", state.kind.value)
    place = f" · {state.place}" if state.place else ""
    date = f" · {state.date.isoformat()}" if state.date else ""
    text.append(f"{kind}{place}{date}\n\n", "dim")
    text.append(tr("console.lobby.scan") + "\n")
    text.append(view.join_url or tr("console.lobby.no_url"), "bold underline")
    text.append("\n\n" + tr("console.lobby.code") + " ")
    text.append(state.numeric_code, "bold reverse")
    text.append("   " + tr("term.join_code") + " ")
    text.append(state.join_code, "bold")
    phase = tr(f"term.phase.{state.phase.value}")
    text.append("\n\n" + tr("console.lobby.phase", phase=phase), "dim")
    return text


class LobbyScreen(SessionScreen):
    """Shown before the session opens (and on demand, for latecomers)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("f2", "line('open')", "open"),
        key("f3", "prefill('walkins ')", "walkins"),
        key("f4", "prefill('roster ')", "roster"),
        key("f7", "line('main')", "main"),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-tall")]  # noqa: RUF012

    def body(self) -> ComposeResult:
        with Horizontal(id="lobby"):
            yield QrCode(id="qr")
            with VerticalScroll(id="join"):
                yield Static(id="join-text")
                yield Attendance(id="attendance")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#attendance").border_title = self.tr("console.lobby.attendance")

    def on_resize(self) -> None:
        short = self.size.height < SHORT_BELOW
        self.query_one(QrCode).border = SMALL_QUIET_ZONE if short else QUIET_ZONE

    def show(self, view: View) -> None:
        self.query_one(QrCode).url = view.join_url
        self.query_one("#join-text", Static).update(join_text(view))
        self.query_one(Attendance).show(view)
