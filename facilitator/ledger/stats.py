"""The figures communities report upward: sessions held, issues raised and resolved, and the
resolution, on-time and satisfaction rates, in total and by category and building.

Definitions (also in docs/ledger.md and in the report's footnote):

* **Issues raised**: issues of the sessions held in the period, a duplicate merged into another
  issue not counted again. **Not accepted**: those rejected at screening, with a reason.
* **Resolved**: settled on the spot, or every action item linked to it is done.
* **Resolution rate (辦結率)** = resolved / (raised - not accepted).
* **On-time rate (按期辦結率)** = items done on or before the deadline in force when they were
  marked done / (items with a deadline that are done, plus those still open past their deadline).
* **Satisfaction rate (滿意率)** = residents' ratings of delivered items with 4 or 5 stars / all
  such ratings (each resident's latest rating of each item). The session satisfaction rate is the
  same share over the sessions' own ratings.
* **Time to first answer** (hours, median and 90th percentile by nearest rank): of the requests
  between sessions answered so far. **Time to close** (days, the same way): from an item's
  creation to the day it was marked done, of the items done.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from facilitator.agenda.model import SessionKind
from facilitator.ledger.intake_stats import (
    IntakeFigures,
    answer_hours,
    intake_figures,
    percentile,
)
from facilitator.ledger.model import Entry, IssueFact, Ledger, RequestFact, SessionSummary, Status

SATISFIED_STARS = 4
_KIND_ORDER = {kind.value: n for n, kind in enumerate(SessionKind)}


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts for one slice (everything, one category, one building)."""

    issues_raised: int = 0
    issues_rejected: int = 0
    issues_resolved: int = 0
    actions: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    on_time: int = 0
    on_time_base: int = 0
    ratings: int = 0
    satisfied: int = 0
    requests: int = 0  # received between sessions (碼上議), duplicates included
    answer_hours: tuple[float, ...] = ()  # of the requests answered, sorted
    close_days: tuple[int, ...] = ()  # of the items done, sorted

    @property
    def answer_median(self) -> float | None:
        return statistics.median(self.answer_hours) if self.answer_hours else None

    @property
    def answer_p90(self) -> float | None:
        return percentile(self.answer_hours, 0.9)

    @property
    def close_median(self) -> float | None:
        return statistics.median(self.close_days) if self.close_days else None

    @property
    def close_p90(self) -> float | None:
        p90 = percentile(self.close_days, 0.9)
        return None if p90 is None else float(p90)

    @property
    def resolution_rate(self) -> float | None:
        base = self.issues_raised - self.issues_rejected
        return self.issues_resolved / base if base else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.on_time_base if self.on_time_base else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows; rows by category and building are sorted by name."""

    since: dt.date | None
    today: dt.date
    sessions_held: int
    sessions_by_kind: tuple[tuple[str, int], ...]
    total: Figures
    by_category: tuple[tuple[str, Figures], ...]
    by_building: tuple[tuple[str, Figures], ...]
    session_ratings: int
    session_satisfied: int
    # by the category of who raised the issue, in the place's order (the latest session's
    # declared categories first, then any other, then the unspecified)
    by_people: tuple[tuple[str, Figures], ...] = ()
    intake: IntakeFigures | None = None  # when some place takes requests between sessions
    until: dt.date | None = None

    @property
    def session_satisfaction_rate(self) -> float | None:
        return self.session_satisfied / self.session_ratings if self.session_ratings else None


def _latest_stars(entry: Entry) -> list[int]:
    latest: dict[str, int] = {}
    for rating in entry.ratings:
        latest[rating.rater] = rating.stars
    return [latest[k] for k in sorted(latest)]


def _figures(
    issues: list[IssueFact],
    entries: list[Entry],
    done: set[str],
    today: dt.date,
    facts: Sequence[RequestFact] = (),
) -> Figures:
    counted = [i for i in issues if i.status != "merged"]
    resolved = [
        i
        for i in counted
        if i.status == "resolved" or (i.action_refs and all(r in done for r in i.action_refs))
    ]
    stars = [s for x in entries for s in _latest_stars(x)]
    finished = [x for x in entries if x.status is Status.DONE]
    late_open = [x for x in entries if x.is_overdue(today)]
    return Figures(
        issues_raised=len(counted),
        issues_rejected=sum(1 for i in counted if i.status == "rejected"),
        issues_resolved=len(resolved),
        actions=len(entries),
        actions_done=len(finished),
        actions_overdue=len(late_open),
        on_time=sum(1 for x in finished if x.on_time),
        on_time_base=sum(1 for x in finished if x.on_time is not None) + len(late_open),
        ratings=len(stars),
        satisfied=sum(1 for s in stars if s >= SATISFIED_STARS),
        requests=len(facts),
        answer_hours=tuple(sorted(answer_hours(facts))),
        close_days=tuple(
            sorted((x.done_on - x.created_at.date()).days for x in finished if x.done_on)
        ),
    )


def _sliced(
    key: Callable[[IssueFact | Entry], str],
    issues: list[IssueFact],
    entries: list[Entry],
    done: set[str],
    today: dt.date,
    *,
    facts: Sequence[RequestFact] = (),
    fact_key: Callable[[RequestFact], str] = lambda f: "",
) -> tuple[tuple[str, Figures], ...]:
    names = sorted({key(i) for i in issues if i.status != "merged"} | {key(x) for x in entries})
    return tuple(
        (
            name,
            _figures(
                [i for i in issues if key(i) == name],
                [x for x in entries if key(x) == name],
                done,
                today,
                [f for f in facts if fact_key(f) == name],
            ),
        )
        for name in names
    )


def _in_place_order(
    rows: tuple[tuple[str, Figures], ...], sessions: list[SessionSummary], zero: Figures
) -> tuple[tuple[str, Figures], ...]:
    """``rows`` with the place's declared categories first, in its order (a declared category
    with nothing to count shows zeros), then the others by name, then the unspecified."""
    declared = next((s.categories for s in reversed(sessions) if s.categories), ())
    if not declared and all(not name for name, _ in rows):
        return ()  # nobody gave a category: no table of blanks
    seen = {name for name, _ in rows}
    rows = rows + tuple((name, zero) for name in declared if name not in seen)
    rank = {name: n for n, name in enumerate(declared)}
    return tuple(sorted(rows, key=lambda row: (row[0] == "", rank.get(row[0], len(rank)), row[0])))


def compute_report(
    ledger: Ledger, today: dt.date, since: dt.date | None = None, until: dt.date | None = None
) -> Report:
    """The report of sessions held from ``since`` to ``until`` (both included; open-ended when
    ``None``), their outcomes as of ``today``."""

    def within(day: dt.date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    sessions = [s for s in ledger.sessions if s.held and within(s.date)]
    held = {s.session_id for s in sessions}
    entries = [x for x in ledger.entries if x.session_id in held]
    done = {x.ref for x in ledger.entries if x.status is Status.DONE}
    issues = [i for s in sessions for i in s.issues]
    # Requests between sessions and the items fixed from them count with the sessions' own.
    facts = [f for f in ledger.requests if within(f.raised_at.date())]
    issues += [f.issue for f in facts if f.issue is not None]
    entries += [
        x
        for x in ledger.entries
        if x.session_id in ledger.intake_ids and within(x.created_at.date())
    ]
    kinds: dict[str, int] = {}
    for s in sessions:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    stars = [r for s in sessions for r in s.ratings]

    def cat(fact: RequestFact) -> str:
        return fact.category

    def bldg(fact: RequestFact) -> str:
        return fact.building

    return Report(
        since=since,
        today=today,
        sessions_held=len(sessions),
        sessions_by_kind=tuple(sorted(kinds.items(), key=lambda kv: _KIND_ORDER.get(kv[0], 99))),
        total=_figures(issues, entries, done, today, facts),
        by_category=_sliced(
            lambda x: x.category, issues, entries, done, today, facts=facts, fact_key=cat
        ),
        by_building=_sliced(
            lambda x: x.building, issues, entries, done, today, facts=facts, fact_key=bldg
        ),
        by_people=_in_place_order(
            _sliced(lambda x: x.raised_by, issues, entries, done, today),
            sessions,
            _figures([], [], done, today),
        ),
        session_ratings=len(stars),
        session_satisfied=sum(1 for s in stars if s >= SATISFIED_STARS),
        intake=intake_figures(facts, today) if ledger.intake_ids else None,
        until=until,
    )
