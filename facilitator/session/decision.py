"""How a poll is decided: quorum first, then the threshold rule, stated with its numbers.

Rules (written down once, quoted by the minutes):

* **Present** is checked-in participants plus walk-ins counted by head, at the moment of closing.
* **Quorum**: ``count`` needs at least that many present; ``roster_fraction`` needs at least
  ``ceil(num/den x roster)`` present, the roster being every participant on the list.
  ``present_majority`` and ``present_fraction`` count those who take part in the vote (voters,
  abstentions included) against the people present: more than half of them, or at least
  ``ceil(num/den x present)`` — the quorum of a square talk, whose roster is simply who came.
* **Votes cast** for yes/no/abstain is yes + no: an abstention is recorded but is not a vote
  for or against. For single and multiple choice it is the number of voters.
* ``simple_majority``: more than half of the votes cast; ``majority_of_present``: more than half
  of the people present; ``two_thirds``: at least two thirds of the votes cast; ``fraction``:
  at least num/den of the votes cast; ``plurality``: the most votes, leading alone (for choosing
  among options, e.g. a pipe route; for yes/no: more yes than no). At least one vote is always
  needed.
* **A tie is a decision.** A yes/no vote under a simple majority or plurality with as many yes as
  no **fails** (it did not get more than half); the decision records ``tied = (yes, no)``. A
  choice poll whose leading options have equal counts chooses **none** of them: the outcome is
  ``tie`` and ``tied`` names them. Otherwise the proposal (or the leading option) passes when it
  reaches the needed count, and fails when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from facilitator.session.events import Decision
from facilitator.session.state import Poll, SessionState, options_for
from facilitator.session.values import (
    NO,
    PRESENT_QUORUMS,
    YES,
    Outcome,
    PollKind,
    Quorum,
    QuorumRule,
    ThresholdRule,
)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True, slots=True)
class QuorumStatus:
    """Whether a quorum is met: ``counted`` (people present, or voters for the rules of those
    present) against ``required``."""

    rule: QuorumRule
    counted: int
    required: int
    present: int

    @property
    def met(self) -> bool:
        return self.counted >= self.required

    @property
    def counts_voters(self) -> bool:
        return self.rule in PRESENT_QUORUMS


def required_for(quorum: Quorum, roster: int, present: int) -> int:
    """How many people (present, or voting for the rules of those present) the quorum needs."""
    if quorum.rule is QuorumRule.COUNT:
        return quorum.count
    if quorum.rule is QuorumRule.ROSTER_FRACTION:
        return _ceil_div(quorum.num * roster, quorum.den)
    if quorum.rule is QuorumRule.PRESENT_MAJORITY:
        return present // 2 + 1
    if quorum.rule is QuorumRule.PRESENT_FRACTION:
        return max(_ceil_div(quorum.num * present, quorum.den), 1)
    return 0


def quorum_status(state: SessionState, poll: Poll) -> QuorumStatus:
    """The quorum of ``poll`` as it stands now: shown live while the poll is open."""
    present = state.present
    required = required_for(poll.quorum, len(state.participants), present)
    counted = poll.voters if poll.quorum.rule in PRESENT_QUORUMS else present
    return QuorumStatus(poll.quorum.rule, counted, required, present)


def decision_quorum(decision: Decision) -> QuorumStatus:
    """The quorum status a closed poll's decision recorded."""
    rule = decision.quorum.rule
    counted = decision.voters if rule in PRESENT_QUORUMS else decision.present
    return QuorumStatus(rule, counted, decision.quorum_required, decision.present)


def needed(threshold_rule: ThresholdRule, num: int, den: int, base: int, present: int) -> int:
    """The smallest count of votes that passes under the rule."""
    if threshold_rule is ThresholdRule.SIMPLE_MAJORITY:
        need = base // 2 + 1
    elif threshold_rule is ThresholdRule.MAJORITY_OF_PRESENT:
        need = present // 2 + 1
    elif threshold_rule is ThresholdRule.PLURALITY:
        need = 1
    elif threshold_rule is ThresholdRule.TWO_THIRDS:
        need = _ceil_div(2 * base, 3)
    else:
        need = _ceil_div(num * base, den)
    return max(need, 1)


def _yes_no(poll: Poll, totals: tuple[int, ...]) -> tuple[int, int, tuple[str, ...], bool]:
    """base, lead, tied options, and whether the lead is beaten (plurality: more no than yes)."""
    yes, no = totals[0], totals[1]
    level = yes == no and yes > 0
    by_lead = poll.threshold.rule in (ThresholdRule.SIMPLE_MAJORITY, ThresholdRule.PLURALITY)
    tied = (YES, NO) if level and by_lead else ()
    beaten = poll.threshold.rule is ThresholdRule.PLURALITY and no >= yes
    return yes + no, yes, tied, beaten


def decide_outcome(state: SessionState, poll: Poll) -> Decision:
    """The decision of ``poll`` as it stands now (called when it closes)."""
    totals = poll.totals
    voters = poll.voters
    quorum = quorum_status(state, poll)
    rule = poll.threshold
    winner: str | None
    if poll.kind is PollKind.YES_NO_ABSTAIN:
        base, lead, tied, beaten = _yes_no(poll, totals)
        winner = YES
    else:
        base, lead, beaten = voters, max(totals), False
        leaders = tuple(o for o, n in zip(poll.options, totals, strict=True) if n == lead)
        tied = leaders if lead > 0 and len(leaders) > 1 else ()
        winner = leaders[0]
    need = needed(rule.rule, rule.num, rule.den, base, quorum.present)
    if not quorum.met:
        outcome, tied = Outcome.NO_QUORUM, ()
    elif tied and poll.kind is not PollKind.YES_NO_ABSTAIN:
        outcome = Outcome.TIE
    elif tied or beaten or lead < need:
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.PASSED
    return Decision(
        outcome=outcome,
        winner=winner if outcome is Outcome.PASSED else None,
        totals=totals,
        phone=poll.phone,
        hands=poll.hands,
        proxy=poll.proxy,
        voters=voters,
        votes_cast=base,
        present=quorum.present,
        quorum_required=quorum.required,
        needed=need,
        quorum=poll.quorum,
        threshold=poll.threshold,
        tied=tied,
    )


def settled(decision: Decision, poll: Poll) -> Decision:
    """``decision`` as read today: a yes/no vote recorded as a ``tie`` (by an earlier version)
    failed, and a recorded choice tie without its ``tied`` options gets them from the totals."""
    if decision.outcome is not Outcome.TIE or decision.tied:
        return decision
    keys = options_for(poll.kind, poll.options)
    if poll.kind is PollKind.YES_NO_ABSTAIN:
        return replace(decision, outcome=Outcome.FAILED, tied=(YES, NO))
    lead = max(decision.totals, default=0)
    tied = tuple(k for k, n in zip(keys, decision.totals, strict=True) if n == lead)
    return replace(decision, tied=tied)
