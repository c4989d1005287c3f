"""What a key on the issue board asks for: the intent, after asking for a reason or a target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator.session.values import Urgency
from facilitator.tui import intents as i
from facilitator.tui.screens.dialogs import AskScreen

if TYPE_CHECKING:
    from facilitator.tui.app import ConsoleApp

_NEXT_URGENCY = dict(zip(Urgency, [*list(Urgency)[1:], next(iter(Urgency))], strict=True))


async def board_intent(app: ConsoleApp, action: str, number: int) -> i.Intent | None:
    """The intent for ``action`` on issue ``number``; None when the moderator cancels."""
    tr = app.tr
    if action in ("accept", "promote"):
        return i.IssueAction(action, number)
    if action == "urgency":
        found = next((x for x in app.latest.issues.values() if x.number == number), None)
        if found is None:
            return None
        return i.Classify(number, urgency=_NEXT_URGENCY[found.urgency])
    prompts = {
        "reject": tr("console.ask.reject", number=number),
        "merge": tr("console.ask.merge", number=number),
        "category": tr("console.ask.category", number=number),
    }
    answer = await app.push_screen_wait(AskScreen(tr, prompts[action]))
    if answer is None:
        return None
    if action == "reject":
        return i.IssueAction("reject", number, answer)
    if action == "category":
        return i.Classify(number, category=answer)
    target = answer.removeprefix("#")
    if not target.isdecimal():
        app.notify(
            tr("console.cmd.error.number", value=answer, usage="merge N INTO"), severity="error"
        )
        return None
    return i.Merge(number, int(target))
