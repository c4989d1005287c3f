"""Bringing promises back: what a place's next session must review first ("上次承諾").

``follow_ups_for`` picks the ledger entries of a place that still need review — not done yet, or
delivered but not yet accepted by residents — overdue ones first, and turns them into the
engine's :class:`FollowUpSpec`, so that ``CreateSession.follow_ups`` carries them into the session
(where the owner reports feedback and residents rate delivered items from their phones).
"""

from __future__ import annotations

import datetime as dt

from facilitator.i18n import translator
from facilitator.ledger.model import Entry, Ledger, Status
from facilitator.session.commands import FollowUpSpec


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def place_matches(place: str, wanted: str) -> bool:
    """Whether an entry's ``place`` is the place asked for: the same, or containing it
    (``和平里`` matches ``和平里社區廣場``), ignoring case and spacing. Empty matches everything."""
    asked = _norm(wanted)
    return not asked or asked in _norm(place)


def _order(entry: Entry, today: dt.date) -> tuple[int, dt.date, dt.date, str]:
    overdue = 0 if entry.is_overdue(today) else 1
    return (overdue, entry.deadline or dt.date.max, entry.session_date, entry.ref)


def open_entries(ledger: Ledger, place: str, today: dt.date) -> list[Entry]:
    """The place's entries to review, overdue first (earliest deadline first), then by deadline."""
    found = [x for x in ledger.entries if x.needs_review and place_matches(x.place, place)]
    return sorted(found, key=lambda x: _order(x, today))


def origin(entry: Entry) -> str:
    """Where the promise was made: the session's date and title."""
    return f"{entry.session_date.isoformat()} {entry.session_title}"


def follow_ups_for(ledger: Ledger, place: str, today: dt.date) -> tuple[FollowUpSpec, ...]:
    """The follow-ups for a new session at ``place`` on ``today``, in agenda order."""
    return tuple(
        FollowUpSpec(
            ref=x.ref,
            title=x.title,
            owner=x.owner,
            deadline=x.deadline,
            status=x.status.value,
            overdue=x.is_overdue(today),
            origin=origin(x),
            home_ratings=tuple(r.stars for r in x.round if r.rater.startswith("ledger:")),
        )
        for x in open_entries(ledger, place, today)
    )


def follow_up_titles(follow_ups: tuple[FollowUpSpec, ...], lang: str) -> tuple[str, ...]:
    """One agenda line per follow-up, for ``agenda_template(follow_up=...)``: the promise, its
    owner, its deadline, and whether it is overdue or awaiting the residents' rating."""
    tr = translator(lang)
    lines = []
    for spec in follow_ups:
        parts = [spec.owner] if spec.owner else []
        if spec.deadline is not None:
            parts.append(tr("minutes.ledger.due", date=spec.deadline.isoformat()))
        if spec.overdue:
            parts.append(tr("term.action_status.overdue"))
        elif spec.status == Status.DONE:
            parts.append(tr("minutes.ledger.to_rate"))
        sep = ", " if lang == "en" else "，"
        detail = sep.join(parts)
        if not detail:
            lines.append(spec.title)
        elif lang == "en":
            lines.append(f"{spec.title} ({detail})")
        else:
            lines.append(f"{spec.title}（{detail}）")
    return tuple(lines)
