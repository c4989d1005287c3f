"""The 議事亭 of SCENARIOS.md 2 (the gas pipe at 金苑), driven through the engine: a 7+X roster,
a quorum of two thirds of the roster, an assisted ballot, a named single-choice poll."""

from __future__ import annotations

import datetime as dt

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session import commands as c
from facilitator.session.values import IssueSource, PollKind, Quorum, QuorumRule, Stance
from tests.minutes.minutes_kit import TZ, Script


def pavilion() -> Script:
    """議事亭: a 7+X roster, quorum of two thirds, an assisted ballot, a single-choice poll."""
    s = Script(dt.datetime(2026, 3, 20, 14, 50, tzinfo=TZ))
    s.run(
        c.CreateSession,
        session_id="s-jy-0320",
        kind=SessionKind.PAVILION,
        title="議事亭：燃氣管道沿牆敷設",
        join_code="JYG320",
        numeric_code="3200",
        place="金苑社區議事亭",
        moderator="何主任",
        recorder="林幹事",
        date=dt.date(2026, 3, 20),
        items=(
            AgendaItemSpec("問題說明", 600),
            AgendaItemSpec("選定方案", 1200),
            AgendaItemSpec("商戶補償", 600),
        ),
        item_ids=("b1", "b2", "b3"),
        # the place's categories in its order: role keys keep their default names, the others
        # (the sub-district's local title, the X parties) are shown as written
        categories=(
            "residents_committee",
            "街道分管領導",
            "owners_committee",
            "deputy",
            "resident_rep",
            "property_company",
            "燃氣公司",
            "商戶",
            "律師",
        ),
    )
    roster = [
        ("r1", "何主任", "residents_committee"),
        ("r2", "街道黃科長", "街道分管領導"),
        ("r3", "業委會鄭先生", "owners_committee"),
        ("r4", "馮代表", "deputy"),
        ("r5", "居民代表楊婆婆", "resident_rep"),
        ("r6", "居民代表許先生", "resident_rep"),
        ("r7", "燃氣公司羅經理", "燃氣公司"),  # X parties by their own names
        ("r8", "物業公司謝經理", "property_company"),
        ("r9", "商戶梁老闆", "商戶"),
        ("r10", "商戶宋老闆", "商戶"),
        ("r11", "律師唐律師", "律師"),
        ("r12", "居民代表韓先生", "resident_rep"),
    ]
    for pid, name, category in roster:
        s.run(c.AddRosterEntry, participant_id=pid, display_name=name, category=category)
    s.run(c.OpenSession, minutes=10)
    for pid, _, _ in roster[:10]:
        s.run(c.CheckIn, participant_id=pid)
    s.run(c.StartItem, item_id="b1")
    s.run(
        c.RaiseIssue,
        issue_id="j1",
        text="管道經過住戶窗外，安全嗎？",
        source=IssueSource.MODERATOR,
        participant_id="r6",
    )
    s.run(
        c.RecordOpinion,
        minutes=5,
        opinion_id="o1",
        stance=Stance.NEUTRAL,
        text="沿外牆敷設符合規範，但需加裝保護套管",
        speaker="燃氣公司羅經理",
    )
    s.run(c.AdvanceAgenda, minutes=9)
    s.run(
        c.OpenPoll,
        poll_id="v1",
        question="燃氣管道走向",
        kind=PollKind.SINGLE,
        options=("沿外牆敷設", "埋地敷設", "暫緩施工"),
        secret=False,
        quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=2, den=3),
    )
    votes = {
        "r1": "沿外牆敷設",
        "r2": "沿外牆敷設",
        "r3": "埋地敷設",
        "r4": "沿外牆敷設",
        "r6": "沿外牆敷設",
        "r7": "沿外牆敷設",
        "r8": "埋地敷設",
        "r9": "暫緩施工",
        "r10": "沿外牆敷設",
    }
    for pid, choice in votes.items():
        s.run(c.CastBallot, poll_id="v1", participant_id=pid, choices=(choice,))
    s.run(
        c.CastProxyBallot,
        poll_id="v1",
        participant_id="r5",
        choices=("沿外牆敷設",),
        cast_by="何主任",
    )
    s.run(c.ClosePoll, minutes=3, poll_id="v1")
    for n, (title, owner, deadline) in enumerate(
        (
            ("出具管道施工方案", "燃氣公司", dt.date(2026, 4, 10)),
            ("協調商戶外牆使用", "物業公司", dt.date(2026, 4, 5)),
            ("向居民公示方案", "居委會", dt.date(2026, 4, 15)),
        ),
        start=1,
    ):
        s.run(
            c.AddActionItem,
            action_id=f"y{n}",
            title=title,
            owner=owner,
            deadline=deadline,
            poll_id="v1",
        )
    s.run(c.ClaimActionItem, action_id="y1", participant_id="r7")
    s.run(
        c.RaiseIssue,
        issue_id="j2",
        text="施工期間商戶停業損失如何補償",
        source=IssueSource.PHONE,
        participant_id="r9",
    )
    s.run(c.DeferItem, item_id="b3")
    s.run(c.CloseSession, minutes=4)
    return s
