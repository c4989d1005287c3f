"""The minutes preview of the closing screen.

The minutes are a pure function of the session's events (:mod:`facilitator.minutes.render`); the
console reads the events back from the log, so the preview is exactly what will be published. The
read goes through the hub's I/O worker (the store's connection is never used by two threads), and
the caller awaits it in a worker, so the console keeps drawing meanwhile.
"""

from __future__ import annotations

import logging
from collections import Counter

from facilitator.hub import Hub
from facilitator.i18n import t
from facilitator.minutes.render import render_minutes

log = logging.getLogger(__name__)


async def minutes_preview(hub: Hub, session_id: str, lang: str) -> str:
    """The session's minutes as Markdown; a count of what happened if rendering fails."""
    try:
        events = await hub.history(session_id)
    except Exception as error:  # an unreadable log: say so, the console stays up
        log.exception("the log could not be read for the minutes")
        return t("console.closing.unreadable", lang, error=str(error))
    try:
        return render_minutes(events, lang)
    except Exception:  # the preview must never take the console down at the end of a meeting
        log.exception("minutes could not be rendered")
        kinds = Counter(type(event).__name__ for event in events)
        lines = [f"- {name}: {count}" for name, count in sorted(kinds.items())]
        return t("console.closing.summary", lang) + "\n\n" + "\n".join(lines)
