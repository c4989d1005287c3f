"""What staff type on the console's intake screen, turned into intake commands.

``accept N [CATEGORY] [!]`` (``!``: urgent), ``merge N INTO``, ``reject N REASON``,
``answer N TEXT``, ``fix N OWNER [YYYY-MM-DD]``, ``schedule N [NOTE]``,
``progress ITEM TEXT`` and ``done ITEM [TEXT]``. The rest of a line after the number is the
resident-facing text, taken as typed (never parsed as markup).
"""

from __future__ import annotations

import datetime as dt

from facilitator.intake import ItemProgress, Urgency
from facilitator.intake import commands as c

VERBS = ("accept", "merge", "reject", "answer", "fix", "schedule", "progress", "done")


class LineError(ValueError):
    """The line cannot be understood; ``key`` is the catalog message, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _number(word: str) -> int:
    if not word.lstrip("#").isdigit():
        raise LineError("intake.console.bad_number", word=word)
    return int(word.lstrip("#"))


def parse_line(line: str, at: dt.datetime, by: str = "") -> c.Command:
    """The command for ``line``; raises :class:`LineError` when it is not one."""
    verb, _, rest = line.strip().partition(" ")
    verb = verb.lower()
    if verb not in VERBS:
        raise LineError("intake.console.unknown", verb=verb or "?")
    first, _, text = rest.strip().partition(" ")
    text = text.strip()
    if not first:
        raise LineError("intake.console.usage")
    if verb in ("progress", "done"):
        status = ItemProgress.DONE if verb == "done" else ItemProgress.IN_PROGRESS
        return c.RecordItemFeedback(at=at, item_id=first, text=text, status=status, by=by)
    number = _number(first)
    match verb:
        case "accept":
            urgent = text.endswith("!")
            category = text.removesuffix("!").strip()
            urgency = Urgency.URGENT if urgent else Urgency.NORMAL
            return c.AcceptRequest(at=at, number=number, category=category, urgency=urgency, by=by)
        case "merge":
            return c.MergeRequest(at=at, number=number, into=_number(text or "?"), by=by)
        case "reject":
            return c.RejectRequest(at=at, number=number, reason=text, by=by)
        case "answer":
            return c.AnswerRequest(at=at, number=number, text=text, by=by)
        case "fix":
            owner, deadline = text, None
            words = text.rsplit(" ", 1)
            if len(words) == 2:
                try:
                    deadline = dt.date.fromisoformat(words[1])
                    owner = words[0]
                except ValueError:
                    pass
            return c.FixRequest(
                at=at, number=number, item_id=f"r{number}", owner=owner, deadline=deadline, by=by
            )
    return c.ScheduleRequest(at=at, number=number, note=text, by=by)
