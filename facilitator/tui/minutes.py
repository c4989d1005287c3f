"""The minutes preview of the closing screen.

The minutes are a pure function of the session's events (:mod:`facilitator.minutes.render`); the
console reads the events back from the log, so the preview is exactly what will be published.
"""

from __future__ import annotations

import logging
from collections import Counter

from facilitator.i18n import t
from facilitator.minutes.render import render_minutes
from facilitator.store import EventStore

log = logging.getLogger(__name__)


def minutes_preview(store: EventStore, session_id: str, lang: str) -> str:
    """The session's minutes as Markdown; a count of what happened if rendering fails."""
    events = [stored.event for stored in store.load(session_id)]
    try:
        return render_minutes(events, lang)
    except Exception:  # the preview must never take the console down at the end of a meeting
        log.exception("minutes could not be rendered")
        kinds = Counter(type(event).__name__ for event in events)
        lines = [f"- {name}: {count}" for name, count in sorted(kinds.items())]
        return t("console.closing.summary", lang) + "\n\n" + "\n".join(lines)
