"""What the minutes need from a session's events: the folded state plus what only the log knows.

The state tells where things ended; the log also tells who ever checked in and, in order, what the
moderator did to the issues (merges, rejections, promotions) and to the agenda (deferrals, skips).
Every collection is ordered by number, time or log position, never by a mapping's iteration order,
so the minutes of one log are the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from facilitator.i18n import Translate, lookup, normalize_lang, translator
from facilitator.minutes.escape import escape_inline
from facilitator.session import events as e
from facilitator.session import fold
from facilitator.session.state import Issue, Participant, Poll, SessionState


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One moderation step, for the moderation log: ``kind`` names its message."""

    at: dt.datetime
    kind: str  # merged | rejected | resolved | promoted | deferred | skipped
    subject: str  # an issue id or an agenda item id
    detail: str = ""  # the target issue, the reason or the note


@dataclass(frozen=True, slots=True)
class Facts:
    """A session's state and the parts of its log the minutes quote."""

    state: SessionState
    lang: str
    ever_checked_in: tuple[str, ...]  # participant ids, in order of first check-in
    moderation: tuple[LogEntry, ...]
    tr: Translate

    def people(self) -> list[Participant]:
        """Everyone on the list, by number."""
        return sorted(self.state.participants.values(), key=lambda p: p.number)

    def issues(self) -> list[Issue]:
        return sorted(self.state.issues.values(), key=lambda i: i.number)

    def polls(self) -> list[Poll]:
        return [self.state.polls[p] for p in self.state.poll_order]

    def name(self, participant_id: str | None) -> str:
        """The participant's name, escaped; empty when unknown or the session is anonymous."""
        person = self.state.participants.get(participant_id) if participant_id else None
        if person is None or self.state.anonymous:
            return ""
        return escape_inline(person.display_name)

    def term(self, group: str, value: str) -> str:
        """A glossary term (``term.<group>.<value>``); unknown free text is shown escaped."""
        found = lookup(f"term.{group}.{value}", self.lang)
        return found if found is not None else escape_inline(value)

    def sentences(self, parts: list[str]) -> str:
        """Sentences run on in one paragraph: separated by a space in English only."""
        return (" " if self.lang == "en" else "").join(p for p in parts if p)

    def colon(self) -> str:
        """Between a label and its value."""
        return ": " if self.lang == "en" else "："

    def paren(self, text: str, inner: str) -> str:
        """``text (inner)``, with full-width brackets in Chinese."""
        return f"{text} ({inner})" if self.lang == "en" else f"{text}（{inner}）"

    def sep(self) -> str:
        """Between the names of a list: the enumeration comma in Chinese."""
        return ", " if self.lang == "en" else "、"


_MODERATION = {
    e.IssuesMerged: "merged",
    e.IssueRejected: "rejected",
    e.IssueResolved: "resolved",
    e.IssuePromoted: "promoted",
    e.ItemDeferred: "deferred",
    e.ItemSkipped: "skipped",
}


def gather(events: Sequence[e.Event], lang: str) -> Facts:
    """Fold ``events`` (one session's whole log) and collect what the minutes quote."""
    lang = normalize_lang(lang)
    state = fold(events)
    if state is None:
        raise ValueError("no events: a session's log starts with SessionCreated")
    seen: dict[str, None] = {}
    log: list[LogEntry] = []
    for event in events:
        if isinstance(event, e.ParticipantCheckedIn):
            seen.setdefault(event.participant_id, None)
        kind = _MODERATION.get(type(event))
        if kind is None:
            continue
        if isinstance(event, e.IssuesMerged):
            log.append(LogEntry(event.at, kind, event.issue_id, event.into_issue_id))
        elif isinstance(event, e.IssueRejected):
            log.append(LogEntry(event.at, kind, event.issue_id, event.reason))
        elif isinstance(event, e.IssueResolved):
            log.append(LogEntry(event.at, kind, event.issue_id, event.note))
        elif isinstance(event, e.IssuePromoted):
            log.append(LogEntry(event.at, kind, event.issue_id, event.item_id))
        elif isinstance(event, e.ItemDeferred | e.ItemSkipped):
            log.append(LogEntry(event.at, kind, event.item_id))
    return Facts(state, lang, tuple(seen), tuple(log), translator(lang))


def hm(at: dt.datetime) -> str:
    """``19:30``: the time of day in the event's own offset."""
    return at.strftime("%H:%M")


def zone(at: dt.datetime) -> str:
    """``UTC+08:00`` for the event's own offset (empty for a naive time)."""
    offset = at.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def one_decimal(value: float) -> str:
    """A figure with one decimal, rounded half away from zero (not banker's rounding)."""
    scaled = int(abs(value) * 10 + 0.5 + 1e-9)
    sign = "-" if value < 0 and scaled else ""
    return f"{sign}{scaled // 10}.{scaled % 10}"


def percent(part: int, whole: int) -> str:
    """``85.7%``; ``—`` when there is nothing to divide by."""
    return "—" if whole == 0 else f"{one_decimal(100 * part / whole)}%"
