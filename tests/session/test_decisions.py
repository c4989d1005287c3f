"""What a poll decided: ties are decisions, quorum of those present, the live quorum, the
session's quorum from the agenda, hidden running tallies and the place's categories."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.decision import decision_quorum, quorum_status, settled
from facilitator.session.errors import ErrorCode
from facilitator.session.values import (
    Outcome,
    PollKind,
    Quorum,
    QuorumRule,
    Threshold,
    ThresholdRule,
)
from tests.session.session_kit import Harness, make_session

ROUTES = ("東牆外", "西牆外", "樓內")


def test_a_tied_yes_no_vote_fails_and_says_it_was_a_tie(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll()
    h.hands(yes=5, no=5, abstain=2)
    decision = h.close_poll()
    assert decision.outcome is Outcome.FAILED
    assert decision.tied == ("yes", "no")
    assert decision.winner is None


def test_a_tied_choice_poll_names_the_tied_options_and_chooses_none(
    make: Callable[..., Harness],
) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(kind=PollKind.SINGLE, options=ROUTES, threshold=Threshold(ThresholdRule.PLURALITY))
    h.run(c.RecordHandCount, poll_id="v1", counts=(("東牆外", 4), ("西牆外", 1), ("樓內", 4)))
    decision = h.close_poll()
    assert decision.outcome is Outcome.TIE
    assert decision.tied == ("東牆外", "樓內")
    assert decision.winner is None


def test_a_clear_winner_is_not_a_tie(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(kind=PollKind.SINGLE, options=ROUTES, threshold=Threshold(ThresholdRule.PLURALITY))
    h.run(c.RecordHandCount, poll_id="v1", counts=(("東牆外", 2), ("西牆外", 5), ("樓內", 2)))
    decision = h.close_poll()
    assert (decision.outcome, decision.winner, decision.tied) == (Outcome.PASSED, "西牆外", ())


def test_plurality_on_yes_no_needs_more_yes_than_no(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(threshold=Threshold(ThresholdRule.PLURALITY))
    h.hands(yes=1, no=5)
    assert h.close_poll().outcome is Outcome.FAILED  # one yes against five no never passes
    h.poll("v2", threshold=Threshold(ThresholdRule.PLURALITY))
    h.hands("v2", yes=3, no=3)
    decision = h.close_poll("v2")
    assert (decision.outcome, decision.tied) == (Outcome.FAILED, ("yes", "no"))


def test_no_quorum_overrides_a_tie(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=4, start_first=True)
    h.poll(quorum=Quorum(QuorumRule.COUNT, count=8))
    h.hands(yes=2, no=2)
    decision = h.close_poll()
    assert (decision.outcome, decision.tied) == (Outcome.NO_QUORUM, ())


@pytest.mark.parametrize(
    ("quorum", "voters", "required", "met"),
    [
        (Quorum(QuorumRule.PRESENT_MAJORITY), 10, 10, True),  # more than half of 18
        (Quorum(QuorumRule.PRESENT_MAJORITY), 9, 10, False),  # exactly half is not a majority
        (Quorum(QuorumRule.PRESENT_FRACTION, num=2, den=3), 12, 12, True),
        (Quorum(QuorumRule.PRESENT_FRACTION, num=2, den=3), 11, 12, False),
    ],
)
def test_quorum_of_those_present_counts_the_voters(
    make: Callable[..., Harness], quorum: Quorum, voters: int, required: int, met: bool
) -> None:
    h = make(walk_ins=18, start_first=True)
    h.poll(quorum=quorum)
    h.hands(yes=voters, no=0)
    status = quorum_status(h.state, h.state.polls["v1"])
    assert (status.counted, status.required, status.met, status.counts_voters) == (
        voters,
        required,
        met,
        True,
    )
    decision = h.close_poll()
    assert decision.quorum_required == required
    assert (decision.outcome is Outcome.NO_QUORUM) is not met
    assert decision_quorum(decision).met is met


def test_a_fraction_of_those_present_must_make_sense(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=18, start_first=True)
    bad = Quorum(QuorumRule.PRESENT_FRACTION, num=3, den=2)
    h.reject(ErrorCode.INVALID_VALUE, c.OpenPoll, poll_id="v1", question="?", quorum=bad)


def test_the_quorum_status_moves_while_the_poll_is_open(make: Callable[..., Harness]) -> None:
    h = make(phones=7, start_first=True)
    h.poll(quorum=Quorum(QuorumRule.COUNT, count=8))
    status = quorum_status(h.state, h.state.polls["v1"])
    assert (status.counted, status.required, status.met) == (7, 8, False)
    h.join("p8")
    status = quorum_status(h.state, h.state.polls["v1"])
    assert (status.counted, status.required, status.met) == (8, 8, True)


def test_a_poll_without_its_own_quorum_uses_the_sessions() -> None:
    h = make_session(walk_ins=10, start_first=True, quorum=Quorum(QuorumRule.PRESENT_MAJORITY))
    assert h.state.quorum == Quorum(QuorumRule.PRESENT_MAJORITY)
    h.poll()
    assert h.state.polls["v1"].quorum == Quorum(QuorumRule.PRESENT_MAJORITY)
    h.close_poll()
    h.poll("v2", quorum=Quorum())  # naming "no quorum" is a choice too
    assert h.state.polls["v2"].quorum == Quorum()
    assert h.replayed() == h.state


def test_a_session_quorum_that_makes_no_sense_is_refused() -> None:
    with pytest.raises(Exception) as caught:
        make_session(quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=0, den=3))
    assert getattr(caught.value, "code", None) is ErrorCode.INVALID_VALUE


@pytest.mark.parametrize(
    ("secret", "asked", "hidden"),
    [(True, None, True), (False, None, False), (True, False, False), (False, True, True)],
)
def test_hiding_the_running_tally_defaults_to_secret_ballots(
    live: Harness, secret: bool, asked: bool | None, hidden: bool
) -> None:
    event = live.one(c.OpenPoll, poll_id="v1", question="?", secret=secret, hide_tally=asked)
    assert isinstance(event, e.PollOpened)
    assert event.hide_tally is hidden
    assert live.state.polls["v1"].hide_tally is hidden


def test_an_earlier_tie_record_reads_as_todays_decision(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll()
    h.hands(yes=5, no=5)
    poll = h.state.polls["v1"]
    old = dataclasses.replace(h.close_poll(), outcome=Outcome.TIE, tied=())
    assert (settled(old, poll).outcome, settled(old, poll).tied) == (Outcome.FAILED, ("yes", "no"))
    h.poll("v2", kind=PollKind.SINGLE, options=ROUTES)
    h.run(c.RecordHandCount, poll_id="v2", counts=(("東牆外", 3), ("西牆外", 3)))
    choice = h.state.polls["v2"]
    old = dataclasses.replace(h.close_poll("v2"), tied=())
    assert settled(old, choice).tied == ("東牆外", "西牆外")
    assert settled(old, choice).outcome is Outcome.TIE


def test_the_places_categories_are_kept_in_their_order() -> None:
    h = make_session(categories=("居民", "黨員", "社區兩委", "物業", "網格員"))
    assert h.state.categories == ("居民", "黨員", "社區兩委", "物業", "網格員")
    assert h.replayed() == h.state
    with pytest.raises(Exception) as caught:
        make_session(categories=("居民", "居民"))
    assert getattr(caught.value, "code", None) is ErrorCode.INVALID_VALUE


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=2, max_size=4),
    st.sampled_from(list(ThresholdRule)),
)
def test_a_tie_never_passes_and_a_winner_is_never_tied(
    counts: list[int], rule: ThresholdRule
) -> None:
    options = tuple(f"方案{n}" for n in range(len(counts)))
    h = make_session(walk_ins=30, start_first=True)
    h.poll(kind=PollKind.SINGLE, options=options, threshold=Threshold(rule, 1, 2))
    h.run(c.RecordHandCount, poll_id="v1", counts=tuple(zip(options, counts, strict=True)))
    decision = h.close_poll()
    if decision.tied:
        assert decision.outcome is Outcome.TIE and decision.winner is None
        assert len(decision.tied) > 1
        assert all(counts[options.index(o)] == max(counts) for o in decision.tied)
    if decision.outcome is Outcome.PASSED:
        assert decision.winner is not None and not decision.tied
        assert sum(n == max(counts) for n in counts) == 1
