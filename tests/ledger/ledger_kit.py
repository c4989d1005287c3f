"""Three sessions at 和平里 (SCENARIOS.md 3): the promise, the review a month later, and the
review after that; with ledger-only updates in between. Figures are worked out in the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.ledger import Ledger, LedgerUpdate, build_ledger, follow_ups_for
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.values import IssueSource
from tests.minutes.minutes_kit import TZ, Script, square_talk

PLACE = "和平里"
S1 = "s-hpl-0314"


def between_1_and_2() -> list[LedgerUpdate]:
    """The property company reports the lamps fixed; the design institute reports progress."""
    return [
        LedgerUpdate(
            f"{S1}/x3",
            dt.datetime(2026, 3, 28, 10, 0, tzinfo=TZ),
            "status",
            status="done",
            text="已更換路燈",
            by="物業公司",
        ),
        LedgerUpdate(
            f"{S1}/x1",
            dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ),
            "feedback",
            text="已完成實地測量",
            by="設計院",
        ),
    ]


def review(
    session_id: str,
    day: dt.date,
    follow_ups: tuple[c.FollowUpSpec, ...],
    script: list[tuple[str, str, str | None, tuple[int, ...]]],
) -> Script:
    """A follow-up session: for each (ref, feedback, status, ratings), the owner reports and, for
    delivered items, three residents rate from their phones."""
    s = Script(dt.datetime.combine(day, dt.time(19, 30), tzinfo=TZ))
    s.run(
        c.CreateSession,
        session_id=session_id,
        kind=SessionKind.SQUARE_TALK,
        title="廣場夜話：上次承諾跟進",
        join_code="HPL" + session_id[-3:],
        numeric_code="5555",
        place="和平里社區廣場",
        date=day,
        items=(AgendaItemSpec("上次承諾", 1800),),
        item_ids=("a1",),
        follow_ups=follow_ups,
    )
    s.run(c.OpenSession)
    for n in range(1, 4):
        s.run(c.JoinSession, participant_id=f"p{n}", device_key=f"d{n}", display_name=f"居民{n}")
    s.run(c.StartItem, item_id="a1")
    for ref, text, status, stars in script:
        s.run(c.RecordFeedback, minutes=2, ref=ref, text=text, by="負責方", status=status)
        if stars:
            s.run(c.OpenDeliveryRating, ref=ref)
            for n, star in enumerate(stars, start=1):
                s.run(c.RateDelivery, ref=ref, participant_id=f"p{n}", stars=star)
    return s


@dataclass(frozen=True)
class Seen:
    """What the steps between the sessions saw."""

    follow_ups_2: tuple[c.FollowUpSpec, ...]
    ledger_2: Ledger
    follow_ups_3: tuple[c.FollowUpSpec, ...]


def three_sessions() -> tuple[list[list[e.Event]], list[LedgerUpdate], Seen]:
    """The logs of the three sessions, the ledger-only updates, and what each step saw."""
    first = square_talk(S1).log
    updates = between_1_and_2()
    follow_ups_2 = follow_ups_for(build_ledger([first], updates), PLACE, dt.date(2026, 4, 11))
    second = review(
        "s-hpl-0411",
        dt.date(2026, 4, 11),
        follow_ups_2,
        [
            (f"{S1}/x2", "協商會延期，業主未到齊", "in_progress", ()),
            (f"{S1}/x3", "路燈已更換", None, (2, 2, 1)),  # too dim: reopened
            (f"{S1}/x1", "評估報告已張貼", "done", (4, 5, 4)),
        ],
    )
    second.run(c.CloseSession, minutes=5)
    ledger_2 = build_ledger([first, second.log], updates)
    follow_ups_3 = follow_ups_for(ledger_2, PLACE, dt.date(2026, 5, 20))
    third = review(
        "s-hpl-0520",
        dt.date(2026, 5, 20),
        follow_ups_3,
        [
            (f"{S1}/x2", "協商會已召開，分攤方案通過", "done", ()),
            (f"{S1}/x3", "換了更亮的燈", "done", (4, 4, 5)),
        ],
    )
    third.run(
        c.RaiseIssue,
        issue_id="k1",
        text="2號樓樓道燈不亮",
        source=IssueSource.PHONE,
        participant_id="p1",
        building="2號樓",
    )
    third.run(c.ResolveIssue, issue_id="k1", note="電工當場修好")
    third.run(
        c.AddActionItem,
        action_id="z1",
        title="更換樓道燈泡",
        owner="物業公司",
        deadline=dt.date(2026, 5, 25),
    )
    third.run(c.CloseSession, minutes=5)
    return [first, second.log, third.log], updates, Seen(follow_ups_2, ledger_2, follow_ups_3)


def final_ledger() -> Ledger:
    logs, updates, _ = three_sessions()
    return build_ledger(logs, updates)
