"""The agenda: items with their time boxes, and a countdown for the item in progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.session.values import ItemStatus
from facilitator.tui.view import View, clock
from facilitator.tui.widgets.colors import BAD, BAD_STYLE, OK_STYLE, WARN

_MARKS = {
    ItemStatus.PENDING: "  ",
    ItemStatus.ACTIVE: "▶ ",
    ItemStatus.PAUSED: "⏸ ",
    ItemStatus.DONE: "✓ ",
    ItemStatus.SKIPPED: "– ",
    ItemStatus.DEFERRED: "→ ",
}


def agenda_text(view: View) -> Text:
    """One line per item; the current one carries its remaining (or overrun) time."""
    tr, state = view.tr, view.state
    text = Text()
    for item_id in state.item_order:
        item = state.items[item_id]
        current = item_id == state.current_item_id
        style = "bold" if current else ("dim" if item.status is not ItemStatus.PENDING else "")
        text.append(f"{_MARKS[item.status]}{item.number}. {item.title}", style)
        if item.time_box_s is not None:
            text.append(" · " + tr("console.agenda.box", minutes=item.time_box_s // 60), "dim")
        if current and item.time_box_s is not None:
            left = item.time_box_s - item.elapsed_s(view.now)
            if left >= 0:
                text.append("\n    " + tr("console.agenda.left", time=clock(left)), OK_STYLE)
            else:
                text.append("\n    " + tr("console.agenda.over", time=clock(-left)), BAD_STYLE)
        elif current:
            text.append("\n    " + clock(item.elapsed_s(view.now)), "bold")
        if item.status is ItemStatus.PAUSED:
            text.append("  " + tr("term.item_status.paused"), WARN)
        text.append("\n")
    for ref in state.follow_ups:
        follow = state.follow_ups[ref]
        style = BAD if follow.overdue else ""
        owner = f" @{follow.owner}" if follow.owner else ""
        text.append(f"↺ {follow.title}{owner}\n", style)
    if not state.item_order:
        text.append(tr("console.agenda.empty"), "dim")
    text.rstrip()
    return text


class AgendaPanel(Static):
    """The agenda column of the main view."""

    def show(self, view: View) -> None:
        self.update(agenda_text(view))
