"""Generated command lists for the engine's properties (test_properties.py): valid and invalid
mixed, weighted towards what matters (ballots, support), and reaching every end of a poll: each
quorum and threshold rule, closing with every outcome, cancelling, proxy ballots for roster
members without a phone, late ballots after the close. test_properties.py checks the reach.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from facilitator.session import commands as c
from facilitator.session.values import (
    IssueSource,
    PollKind,
    Quorum,
    QuorumRule,
    Threshold,
    ThresholdRule,
)

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
# A proxy ballot is mostly cast for someone on the roster without a phone (r1 is checked in).
proxied = st.sampled_from(("r1", "r1", "r1", "r2", *PIDS))

# Every quorum and threshold rule, so closing a poll reaches every outcome.
quorums = st.one_of(
    st.just(Quorum()),
    st.integers(1, 9).map(lambda n: Quorum(QuorumRule.COUNT, count=n)),
    st.sampled_from(((1, 2), (2, 3), (1, 1))).map(
        lambda f: Quorum(QuorumRule.ROSTER_FRACTION, num=f[0], den=f[1])
    ),
)
thresholds = st.one_of(
    st.sampled_from([r for r in ThresholdRule if r is not ThresholdRule.FRACTION]).map(Threshold),
    st.sampled_from(((3, 5), (1, 3))).map(
        lambda f: Threshold(ThresholdRule.FRACTION, num=f[0], den=f[1])
    ),
)
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
    "proxy": 6,
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
def op(draw: st.DrawFn, keys: tuple[str, ...] = YNA) -> Op:
    """One command, valid or not; ballots mostly pick among ``keys`` (the first poll's)."""
    fitting = st.one_of(st.sampled_from(keys).map(lambda k: (k,)), choices)
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
            "quorum": draw(quorums),
            "threshold": draw(thresholds),
        }
    if kind == "ballot":
        return c.CastBallot, {
            "poll_id": draw(polls),
            "participant_id": draw(pids),
            "choices": draw(fitting),
        }
    if kind == "proxy":
        return c.CastProxyBallot, {
            "poll_id": draw(polls),
            "participant_id": draw(proxied),
            "choices": draw(fitting),
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
    """Two issues, a roster member at the door and a poll to start with, then a run of commands;
    sometimes the session closes and a few more are tried."""
    kind = draw(st.sampled_from((PollKind.YES_NO_ABSTAIN, *PollKind)))
    keys = YNA if kind is PollKind.YES_NO_ABSTAIN else ROUTES
    ops: list[Op] = [
        (c.CheckIn, {"participant_id": "r1"}),
        (c.RaiseIssue, {"issue_id": "i1", "text": "費用", "source": IssueSource.PHONE}),
        (c.RaiseIssue, {"issue_id": "i2", "text": "採光", "source": IssueSource.PHONE}),
        (
            c.OpenPoll,
            {
                "poll_id": "v1",
                "question": "q",
                "kind": kind,
                "options": ROUTES,
                "max_choices": 2,
                "changeable": draw(st.booleans()),
                "quorum": draw(quorums),
                "threshold": draw(thresholds),
            },
        ),
    ]
    ops.extend(draw(st.lists(op(keys), min_size=10, max_size=40)))
    if draw(st.integers(0, 3)) == 0:
        ops.append((c.CloseSession, {}))
        ops.extend(draw(st.lists(op(keys), max_size=3)))
    return ops


@st.composite
def vote_op(draw: st.DrawFn, keys: tuple[str, ...]) -> Op:
    """A command around one open poll with options ``keys``: ballots, hands, and people coming
    and going (so that the room is often exactly full when someone tries to leave)."""
    kind = draw(
        st.sampled_from(("ballot",) * 4 + ("proxy",) * 2 + ("hands",) * 2 + ("out",) * 2 + ("in",))
    )
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
            "participant_id": draw(st.sampled_from(("r1", "r2", "r1", voter))),
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
    """One poll, a crowd voting by phone, by proxy (for roster members at the door) and by
    hands while people come and go; then, mostly, the poll closes with a decision (or is
    cancelled) and a few late votes are tried."""
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
            "quorum": draw(quorums),
            "threshold": draw(thresholds),
        },
    )
    keys = YNA if kind is PollKind.YES_NO_ABSTAIN else ROUTES
    door = [(c.CheckIn, {"participant_id": pid}) for pid in ("r1", "r2") if draw(st.booleans())]
    ops = [*door, poll, *draw(st.lists(vote_op(keys), min_size=5, max_size=30))]
    ending = draw(st.sampled_from(("close",) * 6 + ("cancel", "none")))
    if ending != "none":
        ops.append((c.ClosePoll if ending == "close" else c.CancelPoll, {"poll_id": "v1"}))
        ops.extend(draw(st.lists(vote_op(keys), max_size=3)))  # too late: refused
    return ops
