"""Action items (整改事項): what, owner, deadline, and who claimed it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.tui.view import View
from facilitator.tui.widgets.colors import GOOD


def actions_text(view: View) -> Text:
    tr, state = view.tr, view.state
    text = Text()
    items = sorted(state.actions.values(), key=lambda a: a.number)
    for item in items:
        text.append(f"{item.number}. {item.title}", "bold")
        owner = item.owner or tr("console.actions.no_owner")
        text.append("  " + tr("console.actions.owner", owner=owner))
        if item.deadline is not None:
            text.append("  " + tr("console.actions.due", date=item.deadline.isoformat()))
        if item.claimed_by is not None:
            who = state.participants.get(item.claimed_by)
            name = who.display_name if who else item.claimed_by
            text.append("  " + tr("console.actions.claimed", name=name), GOOD)
        text.append("\n")
    if not items:
        text.append(tr("console.actions.empty"), "dim")
    text.rstrip()
    return text


class ActionPanel(Static):
    """The session's action items, in the order they were added."""

    def show(self, view: View) -> None:
        self.update(actions_text(view))
