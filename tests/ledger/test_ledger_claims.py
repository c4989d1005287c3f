"""Who claimed an item says nothing about where it is: the ledger's building is the issue's
(or the named owner's), never the claimant's."""

from __future__ import annotations

from facilitator.ledger import build_ledger
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
