"""Realistic sessions driven through the engine with a fixed clock, for the minutes' tests.

The 廣場夜話 follows SCENARIOS.md 1 (lifts for the old blocks at 和平里), the 議事亭 follows
SCENARIOS.md 2 (the gas pipe at 金苑). Times are fixed (UTC+8), so the logs are the same each run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session import SessionEngine
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.values import (
    IssueSource,
    Quorum,
    QuorumRule,
    Stance,
    Threshold,
    ThresholdRule,
)

TZ = dt.timezone(dt.timedelta(hours=8))


class Script:
    """One engine and a clock that moves forward a given number of minutes per step."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start
        self.engine = SessionEngine()
        self.log: list[e.Event] = []

    def run(self, cls: type[c.Command], minutes: float = 0, **fields: Any) -> None:
        self.now += dt.timedelta(minutes=minutes)
        self.log.extend(self.engine.handle(cls(at=self.now, **fields)))


def square_talk(
    session_id: str = "s-hpl-0314", follow_ups: tuple[c.FollowUpSpec, ...] = ()
) -> Script:
    """廣場夜話: concerns, a merge, a rejection, a hand-counted vote, two action items."""
    s = Script(dt.datetime(2026, 3, 14, 19, 20, tzinfo=TZ))
    items = (
        AgendaItemSpec("主題說明", 600),
        AgendaItemSpec("居民訴求", 1800),
        AgendaItemSpec("意向表決", 900),
        AgendaItemSpec("整改事項與認領", 600),
    )
    s.run(
        c.CreateSession,
        session_id=session_id,
        kind=SessionKind.SQUARE_TALK,
        title="廣場夜話：加裝電梯意見徵集",
        join_code="HPL314",
        numeric_code="3141",
        place="和平里社區廣場",
        moderator="小李",
        recorder="王姐",
        date=dt.date(2026, 3, 14),
        items=items,
        item_ids=("a1", "a2", "a3", "a4"),
        follow_ups=follow_ups,
    )
    s.run(
        c.RaiseIssue,
        issue_id="i1",
        text="一樓住戶採光怎麼辦",
        source=IssueSource.PAPER,
        on_behalf_of="陳太",
        building="1號樓",
    )
    s.run(c.OpenSession, minutes=10)
    people = [
        ("p1", "張伯", "3號樓"),
        ("p2", "劉阿姨", "5號樓"),
        ("p3", "趙先生", "3號樓"),
        ("p4", "孫小姐", "1號樓"),
        ("p5", "周大爺", "5號樓"),
        ("p6", "吳老師", "2號樓"),
    ]
    for pid, name, building in people:
        s.run(
            c.JoinSession,
            participant_id=pid,
            device_key=f"dev-{pid}",
            display_name=name,
            building=building,
            category="resident_rep" if pid == "p1" else "",
        )
    s.run(c.SetWalkInCount, count=37)
    s.run(c.StartItem, item_id="a1")
    s.run(c.AdvanceAgenda, minutes=11)
    s.run(
        c.RaiseIssue,
        issue_id="i2",
        text="費用怎麼分攤",
        source=IssueSource.PHONE,
        participant_id="p2",
        building="5號樓",
    )
    s.run(
        c.RaiseIssue,
        issue_id="i3",
        text="電梯費用誰出？",
        source=IssueSource.PHONE,
        participant_id="p3",
        building="3號樓",
    )
    for pid in ("p4", "p5"):
        s.run(c.SupportIssue, issue_id="i2", participant_id=pid)
    s.run(c.SupportIssue, issue_id="i3", participant_id="p6")
    s.run(c.SupportIssue, issue_id="i1", participant_id="p4")
    s.run(c.MergeIssues, minutes=2, issue_id="i3", into_issue_id="i2")
    s.run(
        c.RaiseIssue,
        issue_id="i4",
        text="廣場跳舞音樂太吵",
        source=IssueSource.PHONE,
        participant_id="p6",
    )
    s.run(c.RejectIssue, issue_id="i4", reason="與本次主題無關，轉交物業處理")
    s.run(
        c.RaiseIssue,
        issue_id="i5",
        text="加裝後維修保養由誰負責",
        source=IssueSource.VOICE,
        on_behalf_of="周大爺",
    )
    s.run(c.ClassifyIssue, issue_id="i2", category="費用")
    s.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    s.run(c.RaiseHand, entry_id="q2", name="劉阿姨")
    s.run(c.GrantFloor)
    s.run(
        c.RecordOpinion,
        minutes=2,
        opinion_id="o1",
        stance=Stance.FOR,
        text="我八十歲了，每天爬六樓太辛苦",
        speaker="張伯",
    )
    s.run(c.EndSpeaking, minutes=0.25)
    s.run(c.GrantFloor, minutes=0.25)
    s.run(
        c.RecordOpinion,
        minutes=1.5,
        opinion_id="o2",
        stance=Stance.AGAINST,
        text="一樓不需要電梯，還擋光",
        speaker="孫小姐",
    )
    s.run(c.EndSpeaking, minutes=0.25)
    s.run(c.AdvanceAgenda, minutes=12)
    s.run(
        c.OpenPoll,
        poll_id="v1",
        question="是否同意本樓棟加裝電梯？",
        threshold=Threshold(ThresholdRule.TWO_THIRDS),
    )
    for pid, choice in (
        ("p1", "yes"),
        ("p2", "yes"),
        ("p3", "yes"),
        ("p4", "no"),
        ("p5", "yes"),
        ("p6", "abstain"),
    ):
        s.run(c.CastBallot, poll_id="v1", participant_id=pid, choices=(choice,))
    s.run(
        c.RecordHandCount, minutes=5, poll_id="v1", counts=(("yes", 21), ("no", 9), ("abstain", 7))
    )
    s.run(c.ClosePoll, minutes=1, poll_id="v1")
    # A tie is a decision: as many yes as no does not pass, and the minutes say it was a tie.
    s.run(
        c.OpenPoll,
        poll_id="v2",
        question="費用是否按樓層分攤？",
        quorum=Quorum(QuorumRule.PRESENT_MAJORITY),
    )
    for pid, choice in (("p1", "yes"), ("p2", "no"), ("p3", "yes"), ("p4", "no")):
        s.run(c.CastBallot, poll_id="v2", participant_id=pid, choices=(choice,))
    s.run(c.CastBallot, poll_id="v2", participant_id="p5", choices=("yes",))
    s.run(c.CastBallot, poll_id="v2", participant_id="p6", choices=("no",))
    s.run(
        c.RecordHandCount, minutes=3, poll_id="v2", counts=(("yes", 15), ("no", 15), ("abstain", 7))
    )
    s.run(c.ClosePoll, minutes=1, poll_id="v2")
    s.run(c.AdvanceAgenda, minutes=8)
    s.run(
        c.AddActionItem,
        action_id="x1",
        title="出具1號樓採光評估",
        measures="委託設計院實地測量",
        owner="設計院",
        deadline=dt.date(2026, 4, 14),
        issue_id="i1",
    )
    s.run(
        c.AddActionItem,
        action_id="x2",
        title="召開3號樓業主分攤協商會",
        issue_id="i2",
        deadline=dt.date(2026, 4, 1),
    )
    s.run(c.ClaimActionItem, minutes=1, action_id="x2", participant_id="p3")
    s.run(
        c.AddActionItem,
        action_id="x3",
        title="修復廣場路燈",
        owner="物業公司",
        deadline=dt.date(2026, 3, 31),
    )
    s.run(c.OpenRating, minutes=3)
    for pid, stars, comment in (
        ("p1", 5, "很好"),
        ("p2", 4, ""),
        ("p4", 3, "希望多考慮一樓"),
        ("p6", 5, ""),
    ):
        s.run(c.RateSession, participant_id=pid, stars=stars, comment=comment)
    s.run(c.CloseSession, minutes=2)
    return s
