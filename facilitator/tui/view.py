"""What every panel renders from: one snapshot, the time to show it at, and the language.

Panels never read the hub or the clock themselves; the app builds a :class:`View` at most ten
times a second and hands it down, so every panel on screen shows the same moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.i18n import Translate, lookup, translator
from facilitator.session.events import Decision
from facilitator.session.state import Poll, SessionState, options_for
from facilitator.session.values import PollKind, Quorum, QuorumRule, Threshold, ThresholdRule


@dataclass(frozen=True, slots=True)
class View:
    """A snapshot to draw, at ``now``, in ``lang``, with the URL phones join at."""

    state: SessionState
    now: dt.datetime
    lang: str
    join_url: str
    phones: int | None = None  # phones connected to the server, when the console knows

    @property
    def tr(self) -> Translate:
        return translator(self.lang)


def clock(seconds: float) -> str:
    """``m:ss`` for a duration; negative durations keep their sign (overtime)."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def label(tr: Translate, key: str, raw: str) -> str:
    """``tr(key)`` when the catalog has it, else the raw text (a free category, say)."""
    found = tr(key)
    return raw if found == key else found


def option_label(tr: Translate, poll: Poll, key: str) -> str:
    if poll.kind is PollKind.YES_NO_ABSTAIN:
        return tr(f"term.vote.{key}")
    return key


def threshold_text(tr: Translate, threshold: Threshold) -> str:
    if threshold.rule is ThresholdRule.FRACTION:
        return tr("term.threshold.fraction", num=threshold.num, den=threshold.den)
    return tr(f"term.threshold.{threshold.rule.value}")


def quorum_text(tr: Translate, quorum: Quorum) -> str:
    if quorum.rule is QuorumRule.COUNT:
        return tr("term.quorum.count", count=quorum.count)
    if quorum.rule is QuorumRule.ROSTER_FRACTION:
        return tr("term.quorum.roster_fraction", num=quorum.num, den=quorum.den)
    return tr("term.quorum.none")


def decision_text(tr: Translate, poll: Poll, decision: Decision) -> str:
    """One line a secretary could read out: outcome, numbers and the rule that decided."""
    counts = " / ".join(
        f"{option_label(tr, poll, key)} {n}"
        for key, n in zip(poll_keys(poll), decision.totals, strict=True)
    )
    winner = ""
    if decision.winner and poll.kind is not PollKind.YES_NO_ABSTAIN:
        winner = f"「{decision.winner}」"
    return tr(
        "console.poll.decision",
        outcome=tr(f"term.outcome.{decision.outcome.value}"),
        winner=winner,
        counts=counts,
        voters=decision.voters,
        present=decision.present,
        needed=decision.needed,
        rule=threshold_text(tr, decision.threshold),
    )


def poll_keys(poll: Poll) -> tuple[str, ...]:
    return options_for(poll.kind, poll.options)


def has_key(key: str, lang: str) -> bool:
    return lookup(key, lang) is not None
