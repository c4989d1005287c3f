"""What every panel renders from: one snapshot, the time to show it at, and the language.

Panels never read the hub or the clock themselves; the app builds a :class:`View` at most ten
times a second and hands it down, so every panel on screen shows the same moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.i18n import Translate, lookup, translator
from facilitator.minutes import rules
from facilitator.session.decision import settled
from facilitator.session.events import Decision
from facilitator.session.state import Poll, SessionState, options_for
from facilitator.session.values import PollKind, Quorum, Threshold


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


def threshold_text(tr: Translate, threshold: Threshold, kind: PollKind) -> str:
    return rules.threshold_text(tr, threshold, kind)


def quorum_text(tr: Translate, quorum: Quorum) -> str:
    return rules.quorum_text(tr, quorum)


def outcome_text(tr: Translate, poll: Poll, decision: Decision) -> str:
    """Passed (and which option), not passed (a tie said so), or the options that tied."""
    return rules.outcome_text(
        tr,
        settled(decision, poll),
        poll.kind,
        lambda key: option_label(tr, poll, key),
        lambda names: "、".join(f"「{n}」" for n in names),
    )


def decision_text(tr: Translate, poll: Poll, decision: Decision) -> str:
    """One line a secretary could read out: outcome, numbers and the rule that decided."""
    counts = " / ".join(
        f"{option_label(tr, poll, key)} {n}"
        for key, n in zip(poll_keys(poll), decision.totals, strict=True)
    )
    return tr(
        "console.poll.decision",
        outcome=outcome_text(tr, poll, decision),
        counts=counts,
        voters=decision.voters,
        present=decision.present,
        needed=decision.needed,
        rule=threshold_text(tr, decision.threshold, poll.kind),
    )


def poll_keys(poll: Poll) -> tuple[str, ...]:
    return options_for(poll.kind, poll.options)


def has_key(key: str, lang: str) -> bool:
    return lookup(key, lang) is not None
