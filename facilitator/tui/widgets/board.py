"""The issue board: open issues in board order, live, with keys to screen them.

The rows come from :func:`facilitator.session.issues.board_order`. The board only says which issue
and which action the moderator chose (:class:`IssueBoard.Act`); the app decides what to ask and
what to send, so the widget holds no session logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable

from facilitator.session.issues import board_order
from facilitator.session.values import IssueStatus, Urgency
from facilitator.tui.keys import key
from facilitator.tui.view import View, label
from facilitator.tui.widgets.colors import BAD, BAD_STYLE, GOOD, WARN_STYLE

_STATUS_STYLE = {IssueStatus.NEW: WARN_STYLE, IssueStatus.ACCEPTED: GOOD}
_COLUMNS = ("number", "issue", "supporters", "urgency", "status")
_MIN_ISSUE_WIDTH = 8
_URGENCY_STYLE = {Urgency.URGENT: BAD_STYLE, Urgency.HIGH: BAD, Urgency.LOW: "dim"}


class IssueBoard(DataTable[Text]):
    """Open issues, highest on the board first; the cursor row is the one keys act on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("a", "act('accept')", "accept"),
        key("r", "act('reject')", "reject"),
        key("m", "act('merge')", "merge"),
        key("p", "act('promote')", "promote"),
        key("u", "act('urgency')", "urgency"),
        key("c", "act('category')", "category"),
    ]

    @dataclass
    class Act(Message):
        """The moderator chose ``action`` for the issue shown as ``number``."""

        action: str
        number: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: tuple[tuple[str, ...], ...] = ()
        self._columns: tuple[str, int] = ("", 0)  # (language, width) the columns were laid for
        self._view: View | None = None

    def on_resize(self, event: events.Resize) -> None:
        if self._view is not None:
            self.show(self._view)

    def _lay_columns(self, view: View) -> None:
        """Fit the columns to the board: the issue text takes what the others leave.

        Every column but the issue text is as wide as its longest possible label, so the number,
        supporters, urgency and status always show, whatever the language; a long issue text wraps
        onto more lines of its row instead of pushing them out of sight behind a scrollbar.
        """
        tr = view.tr
        width = self.scrollable_content_region.width
        if self._columns == (view.lang, width):
            return
        headers = {name: tr(f"console.board.{name}") for name in _COLUMNS}
        widths = {
            "number": max(cell_len(headers["number"]), 4),
            "supporters": max(cell_len(headers["supporters"]), 4),
            "urgency": max(
                cell_len(s)
                for s in (headers["urgency"], *(label(tr, f"term.urgency.{u}", u) for u in Urgency))
            ),
            "status": max(
                cell_len(s)
                for s in (
                    headers["status"],
                    *(label(tr, f"term.issue_status.{s}", s) for s in IssueStatus),
                )
            ),
        }
        padding = 2 * self.cell_padding * len(_COLUMNS)
        widths["issue"] = max(_MIN_ISSUE_WIDTH, width - sum(widths.values()) - padding)
        self.clear(columns=True)
        for name in _COLUMNS:
            self.add_column(headers[name], width=widths[name], key=name)
        self._columns, self._rows = (view.lang, width), ()

    def show(self, view: View) -> None:
        tr = view.tr
        self._view = view
        selected = self._selected_number()
        self._lay_columns(view)
        rows: list[tuple[str, ...]] = []
        for issue in board_order(view.state):
            who = issue.on_behalf_of or ""
            category = f" [{issue.category}]" if issue.category else ""
            rows.append(
                (
                    str(issue.number),
                    issue.text + category + (f" — {who}" if who else ""),
                    str(issue.support_count),
                    issue.urgency.value,
                    issue.status.value,
                )
            )
        if tuple(rows) == self._rows:
            return  # unchanged: keep the cursor and skip the work
        self._rows = tuple(rows)
        self.clear()
        for number, text, supporters, urgency, status in rows:
            self.add_row(
                Text(f"#{number}"),
                Text(text),
                Text(supporters, justify="right"),
                Text(
                    label(tr, f"term.urgency.{urgency}", urgency),
                    _URGENCY_STYLE.get(Urgency(urgency), ""),
                ),
                Text(
                    label(tr, f"term.issue_status.{status}", status),
                    _STATUS_STYLE.get(IssueStatus(status), ""),
                ),
                key=number,
                height=None,  # as many lines as the issue text needs at the column's width
            )
        if selected is not None and selected in {r[0] for r in rows}:
            self.move_cursor(row=self.get_row_index(selected))

    def _selected_number(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def action_act(self, action: str) -> None:
        number = self._selected_number()
        if number is not None:
            self.post_message(self.Act(action, int(number)))
