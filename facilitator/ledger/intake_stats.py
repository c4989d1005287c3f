"""The report's figures of the intake between sessions (碼上議): requests received, how fast staff
first answered (median and 90th percentile, in hours), and answers that came late or not at all.

* **Requests received**: every request raised in the period, duplicates included.
* **Time to first answer**: from raising to the first thing staff told the resident (accepted,
  answered, merged, refused, fixed or scheduled), over the requests answered so far.
* **Overdue answers**: answered after the place's answer-within, or still unanswered past it at
  the end of ``today``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from facilitator.ledger.model import RequestFact


@dataclass(frozen=True, slots=True)
class IntakeFigures:
    received: int = 0
    answered: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    overdue_answers: int = 0


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` 0..1): a value that really occurred."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def answer_hours(facts: Sequence[RequestFact]) -> list[float]:
    """Hours from raising to the first answer, of the requests answered so far."""
    return [
        (f.first_answer_at - f.raised_at).total_seconds() / 3600
        for f in facts
        if f.first_answer_at is not None
    ]


def intake_figures(facts: Sequence[RequestFact], today: dt.date) -> IntakeFigures:
    hours = answer_hours(facts)
    late = 0
    for f in facts:
        end_of_today = dt.datetime.combine(today, dt.time.max, tzinfo=f.raised_at.tzinfo)
        if (f.first_answer_at or end_of_today) > f.answer_due:
            late += 1
    return IntakeFigures(
        received=len(facts),
        answered=len(hours),
        median_hours=statistics.median(hours) if hours else None,
        p90_hours=percentile(hours, 0.9),
        overdue_answers=late,
    )
