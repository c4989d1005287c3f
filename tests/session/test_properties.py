"""Properties over generated command lists, valid and invalid mixed (unknown ids, duplicate
ballots, wrong phases, over-capacity hands):

(a) replaying the emitted events with ``fold`` gives exactly the live state;
(b) a rejected command changes nothing;
(c) every poll's tallies are the latest ballot per participant, recomputed from the events, plus
    the latest hand count; voters never outnumber the people present while a poll is open;
(d) merges never double count: an issue's supporters are the union of the distinct people who
    supported it or anything merged into it, minus withdrawals.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.engine import fold
from facilitator.session.errors import SessionError
from facilitator.session.state import options_for
from facilitator.session.values import Channel, IssueSource, PollKind
from tests.session.session_kit import Harness, make_session

Op = tuple[type[c.Command], dict[str, Any]]

PIDS = ("p1", "p2", "p3", "p4", "r1", "r2", "p5", "ghost")
ISSUES = ("i1", "i2", "i3", "i4")
POLLS = ("v1", "v2", "v3")
ITEMS = ("a1", "a2", "a3", "zz")
ENTRIES = ("q1", "q2", "q3")
ROUTES = ("東", "西", "南")
KEYS = ("yes", "no", "abstain", *ROUTES, "bad")

# Ids that exist are drawn more often than ids that do not (yet).
pids = st.sampled_from(("p1", "p2", "p3", "p4", *PIDS))
issues = st.sampled_from(("i1", "i2", *ISSUES))
polls = st.sampled_from(("v1", "v1", "v1", *POLLS))


# How often each kind of command is drawn: ballots and support often, closing rarely.
WEIGHTS = {
    "join": 1,
    "roster": 1,
    "presence": 3,
    "walk_ins": 2,
    "raise": 4,
    "support": 5,
    "withdraw": 4,
    "merge": 3,
    "screen": 1,
    "reject": 1,
    "promote": 1,
    "open_poll": 3,
    "ballot": 14,
    "proxy": 3,
    "hands": 5,
    "close_poll": 1,
    "start": 1,
    "item": 2,
    "set_aside": 1,
    "hand": 2,
    "grant": 2,
    "lower": 1,
    "open": 1,
    "action": 1,
    "claim": 1,
    "rate": 1,
}
KINDS = tuple(kind for kind, weight in WEIGHTS.items() for _ in range(weight))

# Mostly a single plausible choice; sometimes several, none, or nonsense.
YNA = ("yes", "no", "abstain")
choices = st.one_of(
    st.sampled_from(YNA).map(lambda k: (k,)),
    st.sampled_from(YNA).map(lambda k: (k,)),
    st.sampled_from(ROUTES).map(lambda k: (k,)),
    st.lists(st.sampled_from(KEYS), max_size=3).map(tuple),
)
counts = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(YNA), st.integers(0, 3)), max_size=3, unique_by=lambda t: t[0]
    ),
    st.lists(
        st.tuples(st.sampled_from(ROUTES), st.integers(0, 3)), max_size=3, unique_by=lambda t: t[0]
    ),
    st.lists(st.tuples(st.sampled_from(KEYS), st.integers(-1, 4)), max_size=4),
).map(tuple)


@st.composite
def op(draw: st.DrawFn) -> Op:
    """One command, valid or not."""
    kind = draw(st.sampled_from(KINDS))
    cls: type[c.Command]
    if kind == "join":
        pid = draw(st.sampled_from(("p5", "p6", "p1")))
        device = draw(st.sampled_from(("dev-p5", "dev-p6", "dev-p1", "")))
        check_in = draw(st.booleans())
        return c.JoinSession, {
            "participant_id": pid,
            "device_key": device,
            "display_name": pid,
            "check_in": check_in,
        }
    if kind == "roster":
        pid = draw(st.sampled_from(("r3", "r1")))
        return c.AddRosterEntry, {"participant_id": pid, "display_name": pid}
    if kind == "presence":
        return draw(st.sampled_from((c.CheckIn, c.CheckOut))), {"participant_id": draw(pids)}
    if kind == "walk_ins":
        return c.SetWalkInCount, {"count": draw(st.integers(-1, 6))}
    if kind == "raise":
        raiser = draw(st.one_of(st.none(), pids))
        return c.RaiseIssue, {
            "issue_id": draw(issues),
            "text": draw(st.sampled_from(("費用", " ", "採光"))),
            "source": IssueSource.PHONE,
            "participant_id": raiser,
        }
    if kind in ("support", "withdraw"):
        cls = c.SupportIssue if kind == "support" else c.WithdrawSupport
        return cls, {"issue_id": draw(issues), "participant_id": draw(pids)}
    if kind == "merge":
        return c.MergeIssues, {"issue_id": draw(issues), "into_issue_id": draw(issues)}
    if kind == "screen":
        cls = draw(st.sampled_from((c.AcceptIssue, c.ResolveIssue)))
        return cls, {"issue_id": draw(issues)}
    if kind == "reject":
        return c.RejectIssue, {"issue_id": draw(issues), "reason": draw(st.sampled_from(("r", "")))}
    if kind == "promote":
        item_id = draw(st.sampled_from(("x1", "x2", "a1")))
        return c.PromoteIssue, {"issue_id": draw(issues), "item_id": item_id}
    if kind == "open_poll":
        return c.OpenPoll, {
            "poll_id": draw(polls),
            "question": "q",
            "kind": draw(st.sampled_from(tuple(PollKind))),
            "options": ROUTES,
            "max_choices": draw(st.integers(1, 3)),
            "changeable": draw(st.booleans()),
        }
    if kind == "ballot":
        return c.CastBallot, {
            "poll_id": draw(polls),
            "participant_id": draw(pids),
            "choices": draw(choices),
        }
    if kind == "proxy":
        return c.CastProxyBallot, {
            "poll_id": draw(polls),
            "participant_id": draw(pids),
            "choices": draw(choices),
            "cast_by": draw(st.sampled_from(("小李", "小李", ""))),
        }
    if kind == "hands":
        voters = draw(st.one_of(st.none(), st.none(), st.integers(0, 6)))
        return c.RecordHandCount, {"poll_id": draw(polls), "counts": draw(counts), "voters": voters}
    if kind == "close_poll":
        cls = draw(st.sampled_from((c.ClosePoll, c.ClosePoll, c.CancelPoll)))
        return cls, {"poll_id": draw(polls)}
    if kind == "start":
        return c.StartItem, {"item_id": draw(st.sampled_from(ITEMS))}
    if kind == "item":
        cls = draw(st.sampled_from((c.PauseItem, c.ResumeItem, c.AdvanceAgenda, c.EndSpeaking)))
        return cls, {}
    if kind == "set_aside":
        cls = draw(st.sampled_from((c.SkipItem, c.DeferItem)))
        return cls, {"item_id": draw(st.sampled_from(ITEMS))}
    if kind == "hand":
        who: dict[str, str] = draw(
            st.one_of(pids.map(lambda p: {"participant_id": p}), st.just({"name": "劉"}))
        )
        return c.RaiseHand, {"entry_id": draw(st.sampled_from(ENTRIES)), **who}
    if kind == "grant":
        return c.GrantFloor, {"entry_id": draw(st.one_of(st.none(), st.sampled_from(ENTRIES)))}
    if kind == "lower":
        return c.LowerHand, {"entry_id": draw(st.sampled_from(ENTRIES))}
    if kind == "open":
        return c.OpenSession, {}
    if kind == "action":
        return c.AddActionItem, {"action_id": "x", "title": "t", "poll_id": draw(polls)}
    if kind == "claim":
        return c.ClaimActionItem, {"action_id": "x", "participant_id": draw(pids)}
    return c.RateSession, {"participant_id": draw(pids), "stars": draw(st.integers(0, 6))}


@st.composite
def scripts(draw: st.DrawFn) -> list[Op]:
    """Two issues and a poll to start with, then a run of commands; sometimes the session
    closes and a few more are tried."""
    ops: list[Op] = [
        (c.RaiseIssue, {"issue_id": "i1", "text": "費用", "source": IssueSource.PHONE}),
        (c.RaiseIssue, {"issue_id": "i2", "text": "採光", "source": IssueSource.PHONE}),
        (
            c.OpenPoll,
            {
                "poll_id": "v1",
                "question": "q",
                "kind": draw(st.sampled_from((PollKind.YES_NO_ABSTAIN, *PollKind))),
                "options": ROUTES,
                "max_choices": 2,
                "changeable": draw(st.booleans()),
            },
        ),
    ]
    ops.extend(draw(st.lists(op(), min_size=10, max_size=40)))
    if draw(st.integers(0, 3)) == 0:
        ops.append((c.CloseSession, {}))
        ops.extend(draw(st.lists(op(), max_size=3)))
    return ops


@st.composite
def vote_op(draw: st.DrawFn, keys: tuple[str, ...]) -> Op:
    """A command around one open poll with options ``keys``: ballots, hands, and people coming
    and going (so that the room is often exactly full when someone tries to leave)."""
    kind = draw(st.sampled_from(("ballot",) * 4 + ("proxy", "hands", "hands", "out", "out", "in")))
    voter = draw(st.sampled_from(("p1", "p2", "p3", "p4", "r1", "r2", "p5")))
    picked = draw(
        st.one_of(
            st.sampled_from(keys).map(lambda k: (k,)),
            st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True).map(tuple),
            choices,
        )
    )
    if kind == "ballot":
        return c.CastBallot, {"poll_id": "v1", "participant_id": voter, "choices": picked}
    if kind == "proxy":
        return c.CastProxyBallot, {
            "poll_id": "v1",
            "participant_id": voter,
            "choices": picked,
            "cast_by": "小李",
        }
    if kind == "hands":
        given = draw(st.lists(st.tuples(st.sampled_from(keys), st.integers(0, 2)), max_size=2))
        return c.RecordHandCount, {"poll_id": "v1", "counts": tuple(dict(given).items())}
    if kind == "out":
        return c.CheckOut, {"participant_id": voter}
    if draw(st.booleans()):
        return c.CheckIn, {"participant_id": voter}
    return c.SetWalkInCount, {"count": draw(st.integers(0, 3))}


@st.composite
def vote_scripts(draw: st.DrawFn) -> list[Op]:
    """One poll, then a crowd voting by phone, by proxy and by hands while people come and go."""
    kind = draw(st.sampled_from(tuple(PollKind)))
    poll: Op = (
        c.OpenPoll,
        {
            "poll_id": "v1",
            "question": "q",
            "kind": kind,
            "options": ROUTES,
            "max_choices": 2,
            "changeable": draw(st.booleans()),
        },
    )
    keys = YNA if kind is PollKind.YES_NO_ABSTAIN else ROUTES
    return [poll, *draw(st.lists(vote_op(keys), min_size=5, max_size=30))]


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
