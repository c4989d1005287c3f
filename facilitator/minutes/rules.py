"""The words for a poll's rules and its decision, shared by the minutes and the console.

One wording per rule *and* poll kind: a yes/no vote counts yes against no, a choice poll counts
the leading option against the voters, and the text says which. The phone page and the projector
build the same sentences from the same catalog keys (static/render.js, static/display.js).
"""

from __future__ import annotations

from collections.abc import Callable

from facilitator.i18n import Translate
from facilitator.session.decision import QuorumStatus
from facilitator.session.events import Decision
from facilitator.session.values import Outcome, PollKind, Quorum, QuorumRule, Threshold


def threshold_key(threshold: Threshold, kind: PollKind) -> str:
    """The catalog key of a threshold rule's wording for a poll of ``kind``."""
    if kind is PollKind.YES_NO_ABSTAIN:
        return f"term.threshold.{threshold.rule.value}"
    return f"term.threshold.choice.{threshold.rule.value}"


def threshold_text(tr: Translate, threshold: Threshold, kind: PollKind) -> str:
    return tr(threshold_key(threshold, kind), num=threshold.num, den=threshold.den)


def quorum_text(tr: Translate, quorum: Quorum) -> str:
    return tr(
        f"term.quorum.{quorum.rule.value}", count=quorum.count, num=quorum.num, den=quorum.den
    )


def quorum_line(tr: Translate, status: QuorumStatus) -> str:
    """「在場9人，法定人數8人：已達」, or with the voters for the quorum of those present."""
    state = tr("term.quorum.met" if status.met else "term.quorum.short")
    key = "term.quorum.status.voters" if status.counts_voters else "term.quorum.status.present"
    return tr(
        key, counted=status.counted, present=status.present, required=status.required, state=state
    )


def has_quorum(quorum: Quorum) -> bool:
    return quorum.rule is not QuorumRule.NONE


def outcome_text(
    tr: Translate,
    decision: Decision,
    kind: PollKind,
    label: Callable[[str], str],
    join: Callable[[list[str]], str],
) -> str:
    """What was decided, plainly: passed (and which option), not passed (and why, a tie
    included), or which options tied so that none was chosen. ``label`` gives an option's text
    as it should appear, ``join`` lists several."""
    outcome = decision.outcome
    choice = kind is not PollKind.YES_NO_ABSTAIN
    if outcome is Outcome.PASSED and choice and decision.winner is not None:
        return tr("term.outcome.passed_option", option=label(decision.winner))
    if outcome is Outcome.TIE:
        return tr("term.outcome.tie_options", options=join([label(o) for o in decision.tied]))
    if outcome is Outcome.FAILED and decision.tied:
        return tr("term.outcome.failed_tie")
    if outcome is Outcome.FAILED and choice:
        return tr("term.outcome.failed_choice")
    return tr(f"term.outcome.{outcome.value}")
