"""The report's figures against values worked out by hand for the three sessions (ledger_kit).

By hand, for 2026-01-01 .. 2026-06-01:
* sessions held 3; issues raised 5 (i1, i2 with i3 merged in, i4 rejected, i5; k1 settled on the
  spot), not accepted 1, resolved 3 (i1 and i2 through their done items, k1) -> 3/4 = 75.0 %.
* action items 4 (x1 x2 x3 z1), done 3, overdue 1 (z1, due 05-25). On time: x1 only (x2 done
  05-20 after 04-01; x3 done again 05-20 after its new deadline 05-11); base 3 done + 1 overdue
  -> 1/4 = 25.0 %.
* delivery ratings 9 (x3: 2 2 1 then 4 4 5; x1: 4 5 4), 4 or 5 stars: 6 -> 66.7 %.
* the sessions' own ratings 5 4 3 5 -> 3/4 = 75.0 %.
"""

from __future__ import annotations

import datetime as dt

from facilitator.ledger import compute_report, render_report
from facilitator.minutes import escape_cell
from tests.ledger.ledger_kit import final_ledger


def test_totals() -> None:
    report = compute_report(final_ledger(), dt.date(2026, 6, 1), dt.date(2026, 1, 1))
    t = report.total
    assert report.sessions_held == 3 and report.sessions_by_kind == (("square_talk", 3),)
    assert (t.issues_raised, t.issues_rejected, t.issues_resolved) == (5, 1, 3)
    assert t.resolution_rate == 0.75
    assert (t.actions, t.actions_done, t.actions_overdue) == (4, 3, 1)
    assert (t.on_time, t.on_time_base) == (1, 4)
    assert (t.ratings, t.satisfied) == (9, 6)
    assert report.session_satisfaction_rate == 0.75


def test_by_building_and_category() -> None:
    report = compute_report(final_ledger(), dt.date(2026, 6, 1))
    buildings = dict(report.by_building)
    assert set(buildings) == {"", "1號樓", "2號樓", "5號樓"}
    blank = buildings[""]  # i4 (rejected), i5; x3 and z1
    assert (blank.issues_raised, blank.issues_rejected, blank.issues_resolved) == (2, 1, 0)
    assert (blank.actions, blank.actions_done, blank.actions_overdue) == (2, 1, 1)
    assert (blank.ratings, blank.satisfied) == (6, 3)
    assert buildings["1號樓"].satisfaction_rate == 1.0
    categories = dict(report.by_category)
    assert categories["費用"].issues_resolved == 1 and categories["費用"].on_time_rate == 0.0


def test_since_leaves_out_earlier_sessions() -> None:
    report = compute_report(final_ledger(), dt.date(2026, 6, 1), dt.date(2026, 4, 1))
    assert report.sessions_held == 2
    assert report.total.actions == 1 and report.total.issues_raised == 1


def test_rendered_report() -> None:
    report = compute_report(final_ledger(), dt.date(2026, 6, 1), dt.date(2026, 1, 1))
    text = render_report(report, "zh-Hant", escape_cell)
    assert "| 辦結率¹ | 75.0% |" in text and "| 按期辦結率² | 25.0% |" in text
    assert "| 滿意率³ | 66.7% |" in text and "| 召開會議（場） | 3（廣場夜話3場） |" in text
    assert "³ 滿意率＝評4分或5分" in text  # each footnote numbered like its mark
    assert "¹ 辦結率" in text and "² 按期辦結率" in text
    english = render_report(report, "en", escape_cell)
    assert "| Resolution rate¹ | 75.0% |" in english
