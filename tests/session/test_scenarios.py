"""SCENARIOS.md stories 1 and 2, end to end through the engine."""

from __future__ import annotations

import datetime as dt

from facilitator.agenda.model import SessionKind
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.engine import fold
from facilitator.session.errors import ErrorCode
from facilitator.session.issues import board_order
from facilitator.session.values import (
    Channel,
    IssueSource,
    IssueStatus,
    ItemStatus,
    Outcome,
    Phase,
    PollKind,
    Quorum,
    QuorumRule,
    Stance,
    Threshold,
    ThresholdRule,
)
from tests.session.session_kit import T0, Clock, Harness, item_specs

TWO_THIRDS = Threshold(ThresholdRule.TWO_THIRDS)


def test_story_1_lifts_at_heping_li() -> None:
    """廣場夜話 at 和平里: about 80 people, 43 phones, 37 counted by a volunteer."""
    h = Harness(Clock(T0.replace(hour=16)))
    h.run(
        c.CreateSession,
        session_id="hpl-2026-03",
        kind=SessionKind.SQUARE_TALK,
        title="加裝電梯意見徵集",
        join_code="HPL314",
        numeric_code="3140",
        place="和平里社區廣場",
        moderator="小李",
        date=dt.date(2026, 3, 14),
        speaking_time_s=120,
        items=item_specs(["工程師說明"], 10)
        + item_specs(["居民關切"], 30)
        + item_specs(["分樓棟表態"], 15),
        item_ids=("brief", "concerns", "support"),
    )
    # Some residents scan early and raise issues from home.
    h.join("p1", "王先生", building="1號樓", check_in=False)
    h.join("p2", "陳太太", building="3號樓", check_in=False)
    h.run(
        c.RaiseIssue,
        issue_id="i-light",
        text="一樓住戶採光怎麼辦",
        source=IssueSource.PHONE,
        participant_id="p1",
    )
    h.run(
        c.RaiseIssue,
        issue_id="i-cost",
        text="費用怎麼分攤",
        source=IssueSource.PHONE,
        participant_id="p2",
    )
    assert h.state.phase is Phase.DRAFT
    assert h.state.present == 0

    # 19:30 in the square: 43 phones check in (the early two come back as themselves).
    h.clock.now = T0
    h.run(c.OpenSession)
    assert h.run(c.JoinSession, participant_id="other", device_key="dev-p1", display_name="x") == (
        e.ParticipantCheckedIn(at=h.now, participant_id="p1"),
    )
    h.join("p2", "陳太太")
    for n in range(3, 44):
        h.join(f"p{n}", building=f"{n % 6 + 1}號樓")
    h.run(c.SetWalkInCount, count=37)
    assert (h.state.checked_in, h.state.walk_ins, h.state.present) == (43, 37, 80)

    h.run(c.AdvanceAgenda)
    h.advance(minutes=10)
    h.run(c.AdvanceAgenda)
    assert h.state.current_item_id == "concerns"

    # New issues; two say the same about cost sharing and are merged, supporters added up.
    h.run(
        c.RaiseIssue,
        issue_id="i-cost2",
        text="電梯錢按樓層怎麼出",
        source=IssueSource.PHONE,
        participant_id="p10",
    )
    for pid in ("p3", "p4", "p5"):
        h.run(c.SupportIssue, issue_id="i-cost", participant_id=pid)
    for pid in ("p5", "p6"):  # p5 supports both
        h.run(c.SupportIssue, issue_id="i-cost2", participant_id=pid)
    h.run(c.MergeIssues, issue_id="i-cost2", into_issue_id="i-cost")
    cost = h.state.issues["i-cost"]
    assert set(cost.supporters) == {"p2", "p3", "p4", "p5", "p6", "p10"}
    assert h.state.issues["i-cost2"].status is IssueStatus.MERGED
    assert [i.issue_id for i in board_order(h.state)] == ["i-cost", "i-light"]

    # 張伯 raises his hand from his phone; 劉阿姨 is queued by name (q+ 劉阿姨).
    h.run(c.UpdateParticipant, participant_id="p7", display_name="張伯")
    h.run(c.RaiseHand, entry_id="q1", participant_id="p7")
    h.run(c.RaiseHand, entry_id="q2", name="劉阿姨")
    h.run(c.GrantFloor)
    h.advance(minutes=2)
    h.run(c.EndSpeaking)
    h.run(c.GrantFloor)
    h.advance(minutes=2)
    h.run(c.EndSpeaking)
    h.run(
        c.RecordOpinion, opinion_id="o1", stance=Stance.FOR, text="老人上下樓太難", speaker="劉阿姨"
    )
    assert [(q.name, q.duration_s) for q in h.state.queue] == [("張伯", 120.0), ("劉阿姨", 120.0)]

    # The support vote per building.
    h.advance(minutes=26)
    h.run(c.AdvanceAgenda)
    assert h.state.current_item_id == "support"
    h.poll("b3", question="3號樓是否支持加裝電梯？", threshold=TWO_THIRDS)
    h.hands("b3", yes=21, no=9, abstain=7)
    b3 = h.close_poll("b3")
    assert (b3.outcome, b3.winner, b3.totals) == (Outcome.PASSED, "yes", (21, 9, 7))
    assert (b3.votes_cast, b3.needed, b3.present, b3.threshold) == (30, 20, 80, TWO_THIRDS)

    h.poll("b5", question="5號樓是否支持加裝電梯？", threshold=TWO_THIRDS)
    for n in range(1, 44):
        h.vote(f"p{n}", "yes" if n <= 30 else "no" if n <= 38 else "abstain", poll_id="b5")
    # The console refuses a count that would make more voters than people present.
    refused = h.reject(
        ErrorCode.OVER_CAPACITY,
        c.RecordHandCount,
        poll_id="b5",
        counts=(("yes", 22), ("no", 9), ("abstain", 7)),
    )
    assert refused.params == {"total": 81, "present": 80}
    h.hands("b5", yes=21, no=9, abstain=7)
    b5 = h.close_poll("b5")
    assert (b5.outcome, b5.totals, b5.phone, b5.hands) == (
        Outcome.PASSED,
        (51, 17, 12),
        (30, 8, 5),
        (21, 9, 7),
    )
    assert (b5.voters, b5.votes_cast, b5.needed) == (80, 68, 46)  # ceil(2/3 x 68) = 46

    # Action items; the building head claims one from a phone.
    h.run(
        c.AddActionItem,
        action_id="x1",
        title="出具1號樓採光評估",
        owner="設計院",
        deadline=dt.date(2026, 4, 14),
        issue_id="i-light",
    )
    h.run(c.AddActionItem, action_id="x2", title="召開3號樓業主分攤協商會", issue_id="i-cost")
    h.run(c.ClaimActionItem, action_id="x2", participant_id="p2")
    assert h.state.actions["x2"].owner == "陳太太"

    # 21:00: residents rate the evening, and the session closes.
    h.clock.now = T0.replace(hour=21)
    h.run(c.OpenRating)
    for n, stars in zip(range(1, 11), (5, 4, 5, 3, 4, 5, 5, 4, 2, 5), strict=True):
        h.run(c.RateSession, participant_id=f"p{n}", stars=stars)
    h.run(c.CloseSession)
    state = h.state
    assert state.phase is Phase.CLOSED
    assert all(state.items[i].status is ItemStatus.DONE for i in state.item_order)
    assert len(state.ratings) == 10
    assert fold(h.log) == state  # the log replays to exactly the live state


def test_story_2_gas_pipe_at_jinyuan() -> None:
    """議事亭 at 金苑: a 7+X roster of twelve, ten present, quorum two thirds of the roster."""
    h = Harness(Clock(T0))
    h.run(
        c.CreateSession,
        session_id="jy-gas",
        kind=SessionKind.PAVILION,
        title="燃氣管線沿牆敷設",
        join_code="JY0001",
        numeric_code="5566",
        items=item_specs(["情況說明", "路線表決", "分工"]),
        item_ids=("a1", "a2", "a3"),
    )
    roster = [
        ("m1", "社區書記", "社區兩委"),
        ("m2", "社區主任", "社區兩委"),
        ("m3", "街道辦王科長", "街道"),
        ("m4", "業委會李主任", "業委會"),
        ("m5", "人大代表趙女士", "人大代表"),
        ("m6", "居民代表周伯", "居民代表"),
        ("m7", "居民代表吳奶奶", "居民代表"),
        ("m8", "居民代表鄭先生", "居民代表"),
        ("m9", "物業經理", "物業"),
    ]
    for pid, name, category in roster:
        h.roster(pid, name, category=category)
    h.run(c.OpenSession)
    # X: the gas company and two shop owners join by phone.
    h.join("x1", "燃氣公司孫工", category="燃氣公司")
    h.join("x2", "店主甲", category="商戶")
    h.join("x3", "店主乙", category="商戶", check_in=False)  # could not come
    for pid in ("m1", "m2", "m3", "m4", "m5", "m6", "m7"):  # m8 and m9 absent
        h.run(c.CheckIn, participant_id=pid)
    assert (len(h.state.participants), h.state.present) == (12, 9)
    h.run(c.CheckIn, participant_id="m9")  # the property manager arrives late
    assert h.state.present == 10

    h.run(c.AdvanceAgenda)
    h.run(c.AdvanceAgenda)
    routes = ("沿東牆明管", "西側綠化帶埋地", "樓內豎管")
    h.poll(
        "route",
        question="燃氣管線走哪條路線？",
        kind=PollKind.SINGLE,
        options=routes,
        secret=False,
        quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=2, den=3),
    )
    h.vote("x1", "西側綠化帶埋地", poll_id="route")
    h.vote("x2", "沿東牆明管", poll_id="route")
    # 吳奶奶 dictates her choice; the moderator casts it and is recorded as having cast it.
    h.run(
        c.CastProxyBallot,
        poll_id="route",
        participant_id="m7",
        choices=("西側綠化帶埋地",),
        cast_by="社區主任",
    )
    h.run(
        c.RecordHandCount,
        poll_id="route",
        counts=((routes[0], 1), (routes[1], 5), (routes[2], 1)),
    )
    h.reject(ErrorCode.OVER_CAPACITY, c.RecordHandCount, poll_id="route", counts=((routes[1], 8),))
    decision = h.close_poll("route")
    assert decision.quorum_required == 8  # ceil(2/3 x 12)
    assert (decision.outcome, decision.winner) == (Outcome.PASSED, "西側綠化帶埋地")
    assert (decision.totals, decision.voters, decision.present, decision.needed) == (
        (2, 7, 1),
        10,
        10,
        6,
    )
    assert decision.proxy == (0, 1, 0)
    ballot = h.state.polls["route"].ballots["m7"]
    assert (ballot.channel, ballot.cast_by) == (Channel.PROXY, "社區主任")
    cast = [ev for ev in h.log if isinstance(ev, e.BallotCast) and ev.participant_id == "m7"]
    assert [ev.cast_by for ev in cast] == ["社區主任"]  # what the minutes quote

    h.run(c.AdvanceAgenda)
    due = dt.date(2026, 4, 30)
    for action_id, title, owner in (
        ("t1", "出具埋地施工方案", "燃氣公司"),
        ("t2", "協調綠化帶臨時佔用", "物業"),
        ("t3", "向住戶公示路線", "社區居委會"),
    ):
        h.run(c.AddActionItem, action_id=action_id, title=title, owner=owner, deadline=due)
    h.run(c.ClaimActionItem, action_id="t1", participant_id="x1")  # on the spot, by phone
    assert h.state.actions["t1"].claimed_by == "x1"
    assert {a.owner for a in h.state.actions.values()} == {"燃氣公司", "物業", "社區居委會"}
    h.run(c.CloseSession)
    assert fold(h.log) == h.state
