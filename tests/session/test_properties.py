"""Properties over generated command lists, valid and invalid mixed (unknown ids, duplicate
ballots, wrong phases, over-capacity hands):

(a) replaying the emitted events with ``fold`` gives exactly the live state;
(b) a rejected command changes nothing;
(c) every poll's tallies are the latest ballot per participant, recomputed from the events, plus
    the latest hand count; voters never outnumber the people present while a poll is open;
(d) merges never double count: an issue's supporters are the union of the distinct people who
    supported it or anything merged into it, minus withdrawals.

The generators live in script_strategies.py; the last tests here check that they reach what the
properties are about (every outcome of a closed poll, proxy ballots), and ``event()`` notes what
each run exercised (``pytest --hypothesis-show-statistics``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from facilitator.session import events as e
from facilitator.session.engine import fold
from facilitator.session.errors import SessionError
from facilitator.session.state import options_for
from facilitator.session.values import Channel, Outcome
from tests.session.script_strategies import Op, scripts, vote_scripts
from tests.session.session_kit import Harness, make_session

pytestmark = pytest.mark.slow


def play(ops: list[Op]) -> Harness:
    """Run ``ops`` on a fresh session, checking (b) and the capacity bound after every step."""
    h = make_session(phones=4, roster=2)
    for cls, fields in ops:
        h.advance(seconds=7)
        before = h.state
        try:
            events = h.engine.handle(h.cmd(cls, **fields))
        except SessionError:
            assert h.state is before  # (b)
            assert h.state == before
            continue
        h.log.extend(events)
        assert h.state.version == before.version + len(events)
        poll = h.state.open_poll
        if poll is not None:
            assert poll.voters <= h.state.present  # (c), second half
    return h


def recount(log: list[e.Event]) -> dict[str, dict[str, Any]]:
    """Per poll, from the events alone: tallies per channel and voters."""
    kinds: dict[str, tuple[str, ...]] = {}
    latest: dict[str, dict[str, e.BallotCast]] = defaultdict(dict)
    hands: dict[str, e.HandCountRecorded] = {}
    for ev in log:
        if isinstance(ev, e.PollOpened):
            kinds[ev.poll_id] = options_for(ev.kind, ev.options)
        elif isinstance(ev, e.BallotCast):
            latest[ev.poll_id][ev.participant_id] = ev
        elif isinstance(ev, e.HandCountRecorded):
            hands[ev.poll_id] = ev
    out: dict[str, dict[str, Any]] = {}
    for poll_id, keys in kinds.items():
        tally = {ch: [0] * len(keys) for ch in (Channel.PHONE, Channel.PROXY)}
        voters = {Channel.PHONE: 0, Channel.PROXY: 0}
        for ballot in latest[poll_id].values():
            voters[ballot.channel] += 1
            for choice in ballot.choices:
                tally[ballot.channel][keys.index(choice)] += 1
        hand = hands.get(poll_id)
        hand_counts = hand.counts if hand else (0,) * len(keys)
        out[poll_id] = {
            "phone": tuple(tally[Channel.PHONE]),
            "proxy": tuple(tally[Channel.PROXY]),
            "hands": hand_counts,
            "totals": tuple(
                a + b + c_
                for a, b, c_ in zip(
                    tally[Channel.PHONE], tally[Channel.PROXY], hand_counts, strict=True
                )
            ),
            "voters": sum(voters.values()) + (hand.voters if hand else 0),
        }
    return out


def supporters(log: list[e.Event]) -> dict[str, set[str]]:
    """Per issue, from the events alone: the distinct people who now support it."""
    found: dict[str, set[str]] = {}
    for ev in log:
        if isinstance(ev, e.IssueRaised):
            found[ev.issue_id] = {ev.participant_id} if ev.participant_id else set()
        elif isinstance(ev, e.IssueSupported):
            found[ev.issue_id].add(ev.participant_id)
        elif isinstance(ev, e.SupportWithdrawn):
            found[ev.issue_id].discard(ev.participant_id)
        elif isinstance(ev, e.IssuesMerged):
            found[ev.into_issue_id] |= found[ev.issue_id]
    return found


PROPERTY = settings(
    max_examples=150,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(scripts())
def test_replay_equals_live_and_rejections_change_nothing(ops: list[Op]) -> None:
    h = play(ops)  # (b) is checked at every step
    replayed = fold(h.log)
    assert replayed == h.state  # (a)
    assert replayed is not None
    assert replayed.version == len(h.log)
    # Field by field too, so a failure names what differs.
    for f in dataclasses.fields(h.state):
        assert getattr(replayed, f.name) == getattr(h.state, f.name), f.name


@PROPERTY
@given(st.one_of(scripts(), vote_scripts()))
def test_tallies_are_the_latest_ballots_plus_hands(ops: list[Op]) -> None:
    h = play(ops)
    expected = recount(h.log)
    assert set(expected) == set(h.state.polls)
    for poll_id, poll in h.state.polls.items():
        want = expected[poll_id]
        got = {
            "phone": poll.phone,
            "proxy": poll.proxy,
            "hands": poll.hands,
            "totals": poll.totals,
            "voters": poll.voters,
        }
        assert got == want, poll_id
        assert len(poll.ballots) == poll.phone_voters + poll.proxy_voters
        if poll.decision is not None:
            assert poll.decision.totals == poll.totals  # a closed poll is frozen
            assert poll.decision.voters == poll.voters <= poll.decision.present
        event(f"poll {poll.status.value}" + (f": {poll.decision.outcome}" if poll.decision else ""))
    if any(isinstance(ev, e.BallotCast) and ev.channel is Channel.PROXY for ev in h.log):
        event("a proxy ballot was accepted")


@PROPERTY
@given(scripts())
def test_merges_never_double_count(ops: list[Op]) -> None:
    h = play(ops)
    expected = supporters(h.log)
    for issue_id, issue in h.state.issues.items():
        assert set(issue.supporters) == expected[issue_id], issue_id
        assert issue.support_count == len(expected[issue_id])
        if issue.merged_into is not None:
            # Supporting the duplicate now supports the issue it was merged into.
            assert h.state.issues[issue.merged_into].merged_from.count(issue_id) == 1


def reach(strategy: st.SearchStrategy[list[Op]], examples: int = 150) -> Counter[str]:
    """What ``examples`` generated scripts reach: closed polls by outcome, cancelled polls and
    accepted proxy ballots (derandomized: the same examples every run)."""
    seen: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def count(ops: list[Op]) -> None:
        for ev in play(ops).log:
            if isinstance(ev, e.PollClosed):
                seen[ev.decision.outcome.value] += 1
            elif isinstance(ev, e.PollCancelled):
                seen["cancelled"] += 1
            elif isinstance(ev, e.BallotCast) and ev.channel is Channel.PROXY:
                seen["proxy"] += 1

    count()
    return seen


def test_vote_scripts_close_their_poll_with_every_outcome() -> None:
    seen = reach(vote_scripts())
    assert all(seen[outcome.value] > 0 for outcome in Outcome), seen
    assert seen["cancelled"] > 0 and seen["proxy"] >= 20, seen


def test_the_mixed_scripts_reach_decisions_and_proxy_ballots() -> None:
    seen = reach(scripts())
    wanted = (Outcome.PASSED, Outcome.FAILED, Outcome.NO_QUORUM)
    assert all(seen[outcome.value] > 0 for outcome in wanted), seen
    assert seen["cancelled"] > 0 and seen["proxy"] >= 20, seen
