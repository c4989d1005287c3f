"""How a poll is decided: quorum first, then the threshold rule, stated with its numbers.

Rules (written down once, quoted by the minutes):

* **Present** is checked-in participants plus walk-ins counted by head, at the moment of closing.
* **Quorum**: ``count`` needs at least that many present; ``roster_fraction`` needs at least
  ``ceil(num/den x roster)`` present, the roster being every participant on the list.
* **Votes cast** for yes/no/abstain is yes + no: an abstention is recorded but is not a vote
  for or against. For single and multiple choice it is the number of voters.
* ``simple_majority``: more than half of the votes cast; ``majority_of_present``: more than half
  of the people present; ``two_thirds``: at least two thirds of the votes cast; ``fraction``:
  at least num/den of the votes cast; ``plurality``: the most votes, leading alone (for choosing
  among options, e.g. a pipe route). At least one vote is always needed.
* yes/no/abstain under a simple majority with as many yes as no is a **tie**; a choice poll whose
  leading options have equal counts is a tie. Otherwise the proposal (or the leading option) passes
  when it reaches the needed count, and fails when it does not.
"""

from __future__ import annotations

from facilitator.session.events import Decision
from facilitator.session.state import Poll, SessionState
from facilitator.session.values import YES, Outcome, PollKind, QuorumRule, ThresholdRule


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def quorum_required(state: SessionState, poll: Poll) -> int:
    rule = poll.quorum
    if rule.rule is QuorumRule.COUNT:
        return rule.count
    if rule.rule is QuorumRule.ROSTER_FRACTION:
        return _ceil_div(rule.num * len(state.participants), rule.den)
    return 0


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


def decide_outcome(state: SessionState, poll: Poll) -> Decision:
    """The decision of ``poll`` as it stands now (called when it closes)."""
    totals = poll.totals
    voters = poll.voters
    present = state.present
    required = quorum_required(state, poll)
    rule = poll.threshold
    if poll.kind is PollKind.YES_NO_ABSTAIN:
        yes, no = totals[0], totals[1]
        base, lead, runner_up, winner = yes + no, yes, no, YES
    else:
        ranked = sorted(range(len(totals)), key=lambda i: -totals[i])
        base = voters
        lead = totals[ranked[0]]
        runner_up = totals[ranked[1]]
        winner = poll.options[ranked[0]]
    need = needed(rule.rule, rule.num, rule.den, base, present)
    if present < required:
        outcome = Outcome.NO_QUORUM
    elif (
        lead > 0
        and lead == runner_up
        and (poll.kind is not PollKind.YES_NO_ABSTAIN or rule.rule is ThresholdRule.SIMPLE_MAJORITY)
    ):
        outcome = Outcome.TIE
    elif lead >= need:
        outcome = Outcome.PASSED
    else:
        outcome = Outcome.FAILED
    return Decision(
        outcome=outcome,
        winner=winner if outcome is Outcome.PASSED else None,
        totals=totals,
        phone=poll.phone,
        hands=poll.hands,
        proxy=poll.proxy,
        voters=voters,
        votes_cast=base,
        present=present,
        quorum_required=required,
        needed=need,
        quorum=poll.quorum,
        threshold=poll.threshold,
    )
