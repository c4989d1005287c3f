"""Who claimed an item says nothing about where it is: the ledger's building is the issue's
(or the named owner's), never the claimant's."""

from __future__ import annotations

import datetime as dt

from facilitator.ledger import build_ledger, compute_report, render_report
from facilitator.minutes.escape import escape_cell
from facilitator.session import commands as c
from facilitator.session.values import IssueSource
from tests.session.session_kit import make_session


def test_the_claimants_building_is_not_the_items() -> None:
    h = make_session(phones=4, start_first=True)  # p3 lives in 3號樓
    h.run(c.AddActionItem, action_id="x1", title="社區廣場加裝路燈")
    h.run(c.ClaimActionItem, action_id="x1", participant_id="p3")
    h.run(
        c.RaiseIssue,
        issue_id="i1",
        text="1號樓採光",
        source=IssueSource.PHONE,
        participant_id="p1",
        building="1號樓",
    )
    h.run(c.AddActionItem, action_id="x2", title="出具1號樓採光評估", issue_id="i1")
    h.run(c.ClaimActionItem, action_id="x2", participant_id="p3")
    ledger = build_ledger([h.log])
    buildings = {x.action_id: x.building for x in ledger.entries}
    assert buildings == {"x1": "", "x2": "1號樓"}
    assert {x.action_id: x.owner for x in ledger.entries} == {"x1": "居民p3", "x2": "居民p3"}


def test_the_report_groups_by_who_raised_it_in_the_places_order() -> None:
    h = make_session(categories=("居民", "黨員", "網格員"), start_first=True)
    for pid, category in (("g1", "網格員"), ("r1", "居民"), ("r2", "居民"), ("x1", "物業")):
        h.join(pid, category=category)
    for n, pid in enumerate(("g1", "r1", "r2", "x1")):
        h.run(
            c.RaiseIssue,
            issue_id=f"i{n}",
            text=f"訴求{n}",
            source=IssueSource.PHONE,
            participant_id=pid,
        )
    h.run(c.CloseSession)
    report = compute_report(build_ledger([h.log]), dt.date(2026, 4, 1))
    assert [(name, f.issues_raised) for name, f in report.by_people] == [
        ("居民", 2),
        ("黨員", 0),
        ("網格員", 1),
        ("物業", 1),  # not declared: after the place's own
    ]
    text = render_report(report, "zh-Hant", escape_cell)
    assert "## 按提出人類別" in text
    assert text.index("| 居民 |") < text.index("| 黨員 |") < text.index("| 網格員 |")
