"""Polls (表決): ballots by phone and proxy, hand counts, capacity, and the decision rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.decision import needed
from facilitator.session.errors import ErrorCode
from facilitator.session.values import (
    Channel,
    Outcome,
    PollKind,
    Quorum,
    QuorumRule,
    Threshold,
    ThresholdRule,
)
from tests.session.session_kit import Harness

E = ErrorCode
TWO_THIRDS = Threshold(ThresholdRule.TWO_THIRDS)
ROUTES = ("東牆外", "西側綠化帶", "地下")


# --- opening -----------------------------------------------------------------------------------


def test_open_yes_no_abstain(live: Harness) -> None:
    event = live.one(c.OpenPoll, poll_id="v1", question=" 是否同意加裝電梯？ ", options=("x", "y"))
    assert event == e.PollOpened(
        at=live.now,
        poll_id="v1",
        item_id="a1",
        question="是否同意加裝電梯？",
        kind=PollKind.YES_NO_ABSTAIN,
        options=(),  # ignored for yes/no/abstain
        max_choices=1,
        secret=True,
        changeable=True,
        quorum=Quorum(),
        threshold=Threshold(),
        hide_tally=True,  # a secret ballot's running counts stay hidden by default
    )
    poll = live.state.polls["v1"]
    assert (poll.phone, poll.hands, poll.proxy) == ((0, 0, 0),) * 3
    assert live.state.open_poll_id == "v1"
    assert live.state.poll_order == ("v1",)


def test_open_refusals(live: Harness) -> None:
    single = {"kind": PollKind.SINGLE, "question": "q"}
    live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="", question="q")
    live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", question="q", kind="ranked")
    live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", **single, options=("a",))
    live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", **single, options=("a", "a"))
    live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", **single, options=("a",) * 21)
    live.reject(E.TEXT_EMPTY, c.OpenPoll, poll_id="v1", **single, options=("a", " "))
    live.reject(E.TEXT_TOO_LONG, c.OpenPoll, poll_id="v1", **single, options=("a", "b" * 101))
    multi = {"poll_id": "v1", "question": "q", "kind": PollKind.MULTI, "options": ROUTES}
    live.reject(E.INVALID_VALUE, c.OpenPoll, **multi, max_choices=0)
    live.reject(E.INVALID_VALUE, c.OpenPoll, **multi, max_choices=4)
    live.reject(E.INVALID_VALUE, c.OpenPoll, **multi, max_choices=True)
    for quorum in (
        Quorum(QuorumRule.COUNT, count=-1),
        Quorum(QuorumRule.ROSTER_FRACTION, num=0, den=3),
        Quorum(QuorumRule.ROSTER_FRACTION, num=4, den=3),
        Quorum("most"),  # type: ignore[arg-type]
    ):
        live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", question="q", quorum=quorum)
    for threshold in (
        Threshold(ThresholdRule.FRACTION, num=0, den=2),
        Threshold(ThresholdRule.FRACTION, num=3, den=2),
        Threshold(ThresholdRule.FRACTION, num=1, den=0),
        Threshold("loudest"),  # type: ignore[arg-type]
    ):
        live.reject(E.INVALID_VALUE, c.OpenPoll, poll_id="v1", question="q", threshold=threshold)
    live.reject(E.UNKNOWN_ITEM, c.OpenPoll, poll_id="v1", question="q", item_id="zz")
    live.reject(E.TEXT_EMPTY, c.OpenPoll, poll_id="v1", question="")
    live.poll("v1")
    live.reject(E.DUPLICATE_ID, c.OpenPoll, poll_id="v1", question="q")
    live.reject(E.POLL_ALREADY_OPEN, c.OpenPoll, poll_id="v2", question="q")


# --- ballots -----------------------------------------------------------------------------------


def test_one_ballot_each_and_changing_it_moves_the_count(live: Harness) -> None:
    live.poll()
    assert live.vote("p1", "yes") == (
        e.BallotCast(
            at=live.now, poll_id="v1", participant_id="p1", choices=("yes",), channel=Channel.PHONE
        ),
    )
    live.vote("p2", "no")
    live.vote("p3", "abstain")
    poll = live.state.polls["v1"]
    assert (poll.phone, poll.totals, poll.voters) == ((1, 1, 1), (1, 1, 1), 3)
    live.vote("p1", "no")  # a changed mind
    poll = live.state.polls["v1"]
    assert (poll.totals, poll.voters, poll.phone_voters) == ((0, 2, 1), 3, 3)
    assert live.vote("p1", "no") == ()  # the same ballot again (a retry) changes nothing
    assert live.state.polls["v1"].totals == (0, 2, 1)


def test_only_people_present_vote(live: Harness) -> None:
    live.poll()
    live.reject(E.NOT_CHECKED_IN, c.CastBallot, poll_id="v1", participant_id="r1", choices=("yes",))
    live.reject(
        E.UNKNOWN_PARTICIPANT, c.CastBallot, poll_id="v1", participant_id="zz", choices=("yes",)
    )
    live.reject(E.UNKNOWN_POLL, c.CastBallot, poll_id="v9", participant_id="p1", choices=("yes",))


@pytest.mark.parametrize("choices", [(), ("maybe",), ("yes", "yes"), ("YES",)])
def test_invalid_choices(live: Harness, choices: tuple[str, ...]) -> None:
    live.poll()
    live.reject(E.INVALID_CHOICE, c.CastBallot, poll_id="v1", participant_id="p1", choices=choices)


def test_yes_and_no_at_once_is_too_many(live: Harness) -> None:
    live.poll()
    error = live.reject(
        E.TOO_MANY_CHOICES, c.CastBallot, poll_id="v1", participant_id="p1", choices=("yes", "no")
    )
    assert error.params == {"max": 1}


def test_single_choice(live: Harness) -> None:
    live.poll(kind=PollKind.SINGLE, options=ROUTES)
    live.vote("p1", "西側綠化帶")
    live.vote("p2", "西側綠化帶")
    live.vote("p3", "地下")
    assert live.state.polls["v1"].totals == (0, 2, 1)
    live.reject(
        E.TOO_MANY_CHOICES, c.CastBallot, poll_id="v1", participant_id="p4", choices=ROUTES[:2]
    )
    live.reject(E.INVALID_CHOICE, c.CastBallot, poll_id="v1", participant_id="p4", choices=("yes",))


def test_multi_choice_with_a_maximum(live: Harness) -> None:
    live.poll(kind=PollKind.MULTI, options=ROUTES, max_choices=2)
    events = live.vote("p1", "地下", "東牆外")
    ballot = events[0]
    assert isinstance(ballot, e.BallotCast)
    assert ballot.choices == ("東牆外", "地下")  # in option order, whatever the order sent
    live.vote("p2", "地下")
    poll = live.state.polls["v1"]
    assert (poll.totals, poll.voters) == ((1, 0, 2), 2)
    error = live.reject(
        E.TOO_MANY_CHOICES, c.CastBallot, poll_id="v1", participant_id="p3", choices=ROUTES
    )
    assert error.params == {"max": 2}
    assert live.vote("p1", "地下", "東牆外") == ()  # same set, other order: a retry
    live.vote("p1", "西側綠化帶")
    assert live.state.polls["v1"].totals == (0, 1, 1)


@pytest.mark.parametrize("secret", [True, False])
def test_secret_or_named_is_recorded_and_ballots_are_kept_per_person(
    live: Harness, secret: bool
) -> None:
    live.poll(secret=secret)
    live.vote("p1", "yes")
    poll = live.state.polls["v1"]
    assert poll.secret is secret
    assert poll.ballots["p1"].choices == ("yes",)  # kept for one-person-one-ballot either way


def test_final_ballots_cannot_be_changed(live: Harness) -> None:
    live.poll(changeable=False)
    live.vote("p1", "yes")
    live.reject(E.BALLOT_FINAL, c.CastBallot, poll_id="v1", participant_id="p1", choices=("no",))
    live.reject(
        E.BALLOT_FINAL,
        c.CastProxyBallot,
        poll_id="v1",
        participant_id="p1",
        choices=("yes",),
        cast_by="小李",
    )
    assert live.vote("p1", "yes") == ()  # a retry of the same ballot is still fine
    assert live.state.polls["v1"].totals == (1, 0, 0)


def test_proxy_ballot_records_who_cast_it(live: Harness) -> None:
    live.run(c.CheckIn, participant_id="r1")
    live.poll()
    events = live.run(
        c.CastProxyBallot, poll_id="v1", participant_id="r1", choices=("yes",), cast_by=" 小李 "
    )
    assert events == (
        e.BallotCast(
            at=live.now,
            poll_id="v1",
            participant_id="r1",
            choices=("yes",),
            channel=Channel.PROXY,
            cast_by="小李",
        ),
    )
    poll = live.state.polls["v1"]
    assert (poll.proxy, poll.phone, poll.proxy_voters, poll.voters) == ((1, 0, 0), (0, 0, 0), 1, 1)
    assert poll.ballots["r1"].cast_by == "小李"
    live.reject(
        E.TEXT_EMPTY,
        c.CastProxyBallot,
        poll_id="v1",
        participant_id="p1",
        choices=("no",),
        cast_by="",
    )
    live.reject(
        E.NOT_CHECKED_IN,
        c.CastProxyBallot,
        poll_id="v1",
        participant_id="r2",
        choices=("no",),
        cast_by="小李",
    )


def test_proxy_and_phone_ballots_replace_each_other(live: Harness) -> None:
    live.poll()
    live.vote("p1", "yes")
    live.run(c.CastProxyBallot, poll_id="v1", participant_id="p1", choices=("no",), cast_by="小李")
    poll = live.state.polls["v1"]
    assert (poll.phone, poll.proxy, poll.totals) == ((0, 0, 0), (0, 1, 0), (0, 1, 0))
    assert (poll.phone_voters, poll.proxy_voters, poll.voters) == (0, 1, 1)
    # The same choice by the other channel is a new ballot (it records who cast it).
    events = live.vote("p1", "no")
    assert len(events) == 1
    poll = live.state.polls["v1"]
    assert (poll.phone, poll.proxy, poll.voters) == ((0, 1, 0), (0, 0, 0), 1)
    assert poll.ballots["p1"].channel is Channel.PHONE
    assert poll.ballots["p1"].cast_by == ""


def test_hand_counts_replace_earlier_counts(make: Callable[..., Harness]) -> None:
    h = make(phones=2, walk_ins=10, start_first=True)
    h.poll()
    assert h.hands(yes=4, no=2) == (
        e.HandCountRecorded(at=h.now, poll_id="v1", counts=(4, 2, 0), voters=6),
    )
    h.hands(yes=3, abstain=5)  # a recount
    poll = h.state.polls["v1"]
    assert (poll.hands, poll.hand_voters, poll.voters) == ((3, 0, 5), 8, 8)
    h.vote("p1", "yes")
    assert h.state.polls["v1"].totals == (4, 0, 5)


def test_hand_count_refusals(make: Callable[..., Harness]) -> None:
    h = make(phones=2, walk_ins=10, start_first=True)
    h.poll()
    h.reject(E.INVALID_CHOICE, c.RecordHandCount, poll_id="v1", counts=(("maybe", 1),))
    h.reject(E.INVALID_CHOICE, c.RecordHandCount, poll_id="v1", counts=(("yes", 1), ("yes", 2)))
    h.reject(E.INVALID_VALUE, c.RecordHandCount, poll_id="v1", counts=(("yes", -1),))
    h.reject(E.INVALID_VALUE, c.RecordHandCount, poll_id="v1", counts=(("yes", True),))
    h.reject(E.INVALID_VALUE, c.RecordHandCount, poll_id="v1", counts=(("yes", 2),), voters=3)
    h.reject(E.UNKNOWN_POLL, c.RecordHandCount, poll_id="v9", counts=())
    h.close_poll()
    h.reject(E.POLL_CLOSED, c.RecordHandCount, poll_id="v1", counts=(("yes", 1),))


def test_multi_choice_hand_counts_need_a_consistent_number_of_voters(
    make: Callable[..., Harness],
) -> None:
    h = make(walk_ins=20, start_first=True)
    h.poll(kind=PollKind.MULTI, options=ROUTES, max_choices=2)
    counts = (("東牆外", 6), ("地下", 4))
    # 6 to 10 people could have raised 10 hands with up to two each; the default is the largest.
    for voters in (4, 11):
        h.reject(E.INVALID_VALUE, c.RecordHandCount, poll_id="v1", counts=counts, voters=voters)
    h.reject(E.INVALID_VALUE, c.RecordHandCount, poll_id="v1", counts=(("東牆外", 9),), voters=4)
    h.run(c.RecordHandCount, poll_id="v1", counts=counts)
    assert h.state.polls["v1"].hand_voters == 6
    h.run(c.RecordHandCount, poll_id="v1", counts=counts, voters=8)
    assert h.state.polls["v1"].voters == 8


# --- capacity: voters never outnumber the people present ---------------------------------------


def test_ballots_cannot_outnumber_people_present(make: Callable[..., Harness]) -> None:
    h = make(phones=3, walk_ins=2, start_first=True)
    h.poll()
    h.hands(no=3)  # the volunteer counted one phone owner among the hands
    h.vote("p1", "yes")
    h.vote("p2", "yes")
    error = h.reject(
        E.OVER_CAPACITY, c.CastBallot, poll_id="v1", participant_id="p3", choices=("no",)
    )
    assert error.params == {"total": 6, "present": 5}
    h.vote("p2", "no")  # changing a ballot adds nobody


def test_hands_cannot_outnumber_people_without_a_phone_vote(make: Callable[..., Harness]) -> None:
    h = make(phones=3, walk_ins=2, start_first=True)
    h.poll()
    for pid in ("p1", "p2", "p3"):
        h.vote(pid, "yes")
    # A phone voter is not counted again by hands: only the two walk-ins are left.
    h.hands(yes=1, no=1)
    error = h.reject(E.OVER_CAPACITY, c.RecordHandCount, poll_id="v1", counts=(("yes", 3),))
    assert error.params == {"total": 6, "present": 5}
    assert h.state.polls["v1"].voters == 5


def test_voting_after_close_or_cancel(live: Harness) -> None:
    live.poll()
    live.vote("p1", "yes")
    live.close_poll()
    live.reject(E.POLL_CLOSED, c.CastBallot, poll_id="v1", participant_id="p2", choices=("no",))
    live.reject(E.POLL_CLOSED, c.ClosePoll, poll_id="v1")
    live.reject(E.UNKNOWN_POLL, c.ClosePoll, poll_id="v9")
    live.poll("v2")
    assert live.run(c.CancelPoll, poll_id="v2", reason=" 題目有誤 ") == (
        e.PollCancelled(at=live.now, poll_id="v2", reason="題目有誤"),
    )
    poll = live.state.polls["v2"]
    assert (poll.status, poll.cancel_reason, poll.decision) == ("cancelled", "題目有誤", None)
    assert live.state.open_poll_id is None
    live.reject(E.POLL_CLOSED, c.CancelPoll, poll_id="v2")
    live.reject(E.UNKNOWN_POLL, c.CancelPoll, poll_id="v9")
    live.poll("v3")
    live.reject(E.TEXT_TOO_LONG, c.CancelPoll, poll_id="v3", reason="因" * 301)


# --- decisions ---------------------------------------------------------------------------------


def test_decision_states_the_numbers(make: Callable[..., Harness]) -> None:
    h = make(phones=4, walk_ins=37, start_first=True)
    h.poll(threshold=TWO_THIRDS, quorum=Quorum(QuorumRule.COUNT, count=30))
    h.vote("p1", "yes")
    h.vote("p2", "yes")
    h.vote("p3", "no")
    h.run(c.CastProxyBallot, poll_id="v1", participant_id="p4", choices=("yes",), cast_by="小李")
    h.hands(yes=21, no=9, abstain=7)
    h.advance(minutes=5)
    decision = h.close_poll()
    assert decision == e.Decision(
        outcome=Outcome.PASSED,
        winner="yes",
        totals=(24, 10, 7),
        phone=(2, 1, 0),
        hands=(21, 9, 7),
        proxy=(1, 0, 0),
        voters=41,
        votes_cast=34,  # abstentions are not votes for or against
        present=41,
        quorum_required=30,
        needed=23,  # ceil(2/3 x 34)
        quorum=Quorum(QuorumRule.COUNT, count=30),
        threshold=TWO_THIRDS,
    )
    poll = h.state.polls["v1"]
    assert (poll.status, poll.closed_at, poll.decision) == ("closed", h.now, decision)
    assert h.state.open_poll_id is None


@pytest.mark.parametrize(
    "case",
    [
        (ThresholdRule.SIMPLE_MAJORITY, 1, 2, 10, 80, 6),
        (ThresholdRule.SIMPLE_MAJORITY, 1, 2, 9, 80, 5),
        (ThresholdRule.SIMPLE_MAJORITY, 1, 2, 0, 80, 1),  # at least one vote, always
        (ThresholdRule.MAJORITY_OF_PRESENT, 1, 2, 10, 80, 41),
        (ThresholdRule.MAJORITY_OF_PRESENT, 1, 2, 10, 7, 4),
        (ThresholdRule.MAJORITY_OF_PRESENT, 1, 2, 0, 0, 1),
        (ThresholdRule.TWO_THIRDS, 1, 2, 30, 80, 20),
        (ThresholdRule.TWO_THIRDS, 1, 2, 31, 80, 21),
        (ThresholdRule.TWO_THIRDS, 1, 2, 3, 80, 2),
        (ThresholdRule.TWO_THIRDS, 1, 2, 0, 80, 1),
        (ThresholdRule.FRACTION, 3, 5, 10, 80, 6),
        (ThresholdRule.FRACTION, 3, 4, 10, 80, 8),
        (ThresholdRule.FRACTION, 1, 1, 7, 80, 7),
        (ThresholdRule.FRACTION, 1, 2, 10, 80, 5),  # "at least half": 5 of 10 is enough
    ],
)
def test_needed_counts(case: tuple[ThresholdRule, int, int, int, int, int]) -> None:
    rule, num, den, base, present, need = case
    assert needed(rule, num, den, base, present) == need


@pytest.mark.parametrize(
    "case",
    [
        # Two thirds of 30 votes cast is 20.
        (TWO_THIRDS, 20, 10, 5, Outcome.PASSED, 20),
        (TWO_THIRDS, 19, 11, 5, Outcome.FAILED, 20),
        (TWO_THIRDS, 21, 9, 7, Outcome.PASSED, 20),
        (TWO_THIRDS, 5, 5, 0, Outcome.FAILED, 7),  # equal, but not a simple majority: no tie
        # Simple majority of 20 votes cast needs 11; abstentions aside.
        (Threshold(), 11, 9, 10, Outcome.PASSED, 11),
        (Threshold(), 10, 9, 10, Outcome.PASSED, 10),
        (Threshold(), 10, 10, 10, Outcome.FAILED, 11),  # a tie does not pass
        (Threshold(), 0, 0, 7, Outcome.FAILED, 1),
        (Threshold(), 0, 0, 0, Outcome.FAILED, 1),
        # More than half of the 40 present: 21, however few vote.
        (Threshold(ThresholdRule.MAJORITY_OF_PRESENT), 21, 0, 0, Outcome.PASSED, 21),
        (Threshold(ThresholdRule.MAJORITY_OF_PRESENT), 20, 1, 19, Outcome.FAILED, 21),
        (Threshold(ThresholdRule.MAJORITY_OF_PRESENT), 20, 20, 0, Outcome.FAILED, 21),
        # Three fifths of 25 is 15.
        (Threshold(ThresholdRule.FRACTION, 3, 5), 15, 10, 0, Outcome.PASSED, 15),
        (Threshold(ThresholdRule.FRACTION, 3, 5), 14, 11, 0, Outcome.FAILED, 15),
    ],
)
def test_yes_no_thresholds_at_the_boundary(
    make: Callable[..., Harness], case: tuple[Threshold, int, int, int, Outcome, int]
) -> None:
    threshold, yes, no, abstain, outcome, need = case
    h = make(walk_ins=40, start_first=True)
    h.poll(threshold=threshold)
    h.hands(yes=yes, no=no, abstain=abstain)
    decision = h.close_poll()
    assert (decision.outcome, decision.needed) == (outcome, need)
    assert decision.votes_cast == yes + no
    assert decision.present == 40
    assert decision.winner == ("yes" if outcome is Outcome.PASSED else None)


@pytest.mark.parametrize(
    ("counts", "outcome", "winner", "need"),
    [
        ((6, 3, 1), Outcome.PASSED, "東牆外", 6),  # more than half of 10 voters
        ((5, 3, 2), Outcome.FAILED, None, 6),  # the most, but not a majority
        ((4, 4, 2), Outcome.TIE, None, 6),
        ((0, 0, 0), Outcome.FAILED, None, 1),
    ],
)
def test_single_choice_outcomes(
    make: Callable[..., Harness],
    counts: tuple[int, int, int],
    outcome: Outcome,
    winner: str | None,
    need: int,
) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(kind=PollKind.SINGLE, options=ROUTES)
    h.run(c.RecordHandCount, poll_id="v1", counts=tuple(zip(ROUTES, counts, strict=True)))
    decision = h.close_poll()
    assert (decision.outcome, decision.winner, decision.needed) == (outcome, winner, need)
    assert decision.votes_cast == sum(counts)


@pytest.mark.parametrize(
    ("counts", "outcome", "winner"),
    [
        ((5, 3, 2), Outcome.PASSED, "東牆外"),  # a plurality is enough under this rule
        ((4, 4, 2), Outcome.TIE, None),
        ((0, 0, 0), Outcome.FAILED, None),
    ],
)
def test_plurality_picks_the_leading_option(
    make: Callable[..., Harness],
    counts: tuple[int, int, int],
    outcome: Outcome,
    winner: str | None,
) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(kind=PollKind.SINGLE, options=ROUTES, threshold=Threshold(ThresholdRule.PLURALITY))
    h.run(c.RecordHandCount, poll_id="v1", counts=tuple(zip(ROUTES, counts, strict=True)))
    decision = h.close_poll()
    assert (decision.outcome, decision.winner, decision.needed) == (outcome, winner, 1)


def test_multi_choice_outcome_counts_voters_not_marks(make: Callable[..., Harness]) -> None:
    h = make(walk_ins=12, start_first=True)
    h.poll(kind=PollKind.MULTI, options=ROUTES, max_choices=2)
    h.run(
        c.RecordHandCount,
        poll_id="v1",
        counts=tuple(zip(ROUTES, (7, 5, 2), strict=True)),
        voters=10,
    )
    decision = h.close_poll()
    assert (decision.outcome, decision.winner, decision.votes_cast, decision.needed) == (
        Outcome.PASSED,
        "東牆外",
        10,
        6,
    )


@pytest.mark.parametrize(("count", "outcome"), [(10, Outcome.PASSED), (11, Outcome.NO_QUORUM)])
def test_quorum_by_count(make: Callable[..., Harness], count: int, outcome: Outcome) -> None:
    h = make(phones=6, walk_ins=4, start_first=True)
    h.poll(quorum=Quorum(QuorumRule.COUNT, count=count))
    for pid in ("p1", "p2", "p3"):
        h.vote(pid, "yes")
    decision = h.close_poll()
    assert (decision.outcome, decision.present, decision.quorum_required) == (outcome, 10, count)
    assert decision.winner == ("yes" if outcome is Outcome.PASSED else None)


@pytest.mark.parametrize(("present", "outcome"), [(8, Outcome.PASSED), (7, Outcome.NO_QUORUM)])
def test_quorum_as_a_fraction_of_the_roster(
    make: Callable[..., Harness], present: int, outcome: Outcome
) -> None:
    h = make(roster=12, start_first=True)
    for n in range(1, present + 1):
        h.run(c.CheckIn, participant_id=f"r{n}")
    h.poll(quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=2, den=3))
    h.run(c.CastProxyBallot, poll_id="v1", participant_id="r1", choices=("yes",), cast_by="主持人")
    decision = h.close_poll()
    assert decision.quorum_required == 8  # ceil(2/3 x 12)
    assert decision.outcome is outcome


def test_roster_fraction_rounds_up(make: Callable[..., Harness]) -> None:
    h = make(roster=10, start_first=True)
    for n in range(1, 7):
        h.run(c.CheckIn, participant_id=f"r{n}")
    h.poll(quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=2, den=3))
    decision = h.close_poll()
    assert decision.quorum_required == 7  # 6.67 people round up to 7
    assert decision.outcome is Outcome.NO_QUORUM


def test_closing_the_session_closes_the_open_poll_first(live: Harness) -> None:
    live.poll()
    live.vote("p1", "yes")
    live.advance(minutes=1)
    events = live.run(c.CloseSession)
    assert [type(ev) for ev in events] == [e.PollClosed, e.ItemCompleted, e.SessionClosed]
    closed = events[0]
    assert isinstance(closed, e.PollClosed)
    assert (closed.poll_id, closed.decision.outcome, closed.decision.totals) == (
        "v1",
        Outcome.PASSED,
        (1, 0, 0),
    )
    assert live.state.polls["v1"].status == "closed"
    assert live.state.open_poll_id is None


def test_poll_commands_need_an_open_session(make: Callable[..., Harness]) -> None:
    h = make(opened=False, phones=1)
    h.reject(E.SESSION_NOT_OPEN, c.CastBallot, poll_id="v1", participant_id="p1", choices=("yes",))
    h.reject(E.SESSION_NOT_OPEN, c.RecordHandCount, poll_id="v1", counts=())
    h.reject(E.UNKNOWN_POLL, c.ClosePoll, poll_id="v1")
