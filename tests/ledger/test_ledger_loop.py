"""The loop across three sessions: promise, feedback, rating, reopen (整改), overdue."""

from __future__ import annotations

import datetime as dt

from facilitator.ledger import (
    LedgerUpdate,
    ReopenPolicy,
    Status,
    build_ledger,
    follow_up_titles,
    follow_ups_for,
    to_csv,
    to_ics,
    to_json,
)
from tests.ledger.ledger_kit import S1, three_sessions

TZ = dt.timezone(dt.timedelta(hours=8))


def test_session_two_reviews_overdue_first_and_awaits_the_rating_of_delivered_items() -> None:
    _, _, seen = three_sessions()
    specs = seen.follow_ups_2
    assert [(f.ref, f.overdue, f.status) for f in specs] == [
        (f"{S1}/x2", True, "claimed"),  # due 04-01, the session is on 04-11
        (f"{S1}/x3", False, "done"),  # fixed between sessions: to be rated
        (f"{S1}/x1", False, "claimed"),
    ]
    assert specs[0].origin == "2026-03-14 廣場夜話：加裝電梯意見徵集"
    assert specs[0].owner == "趙先生"


def test_a_poor_rating_reopens_with_a_new_deadline_and_a_good_one_accepts() -> None:
    _, _, seen = three_sessions()
    ledger = seen.ledger_2
    lamps = ledger.get(f"{S1}/x3")
    assert lamps is not None
    assert lamps.status is Status.IN_PROGRESS and lamps.reopened == 1
    assert lamps.deadline == dt.date(2026, 4, 11) + dt.timedelta(days=30)
    assert [r.stars for r in lamps.ratings] == [2, 2, 1] and lamps.round == ()
    study = ledger.get(f"{S1}/x1")
    assert study is not None
    assert study.status is Status.DONE and study.accepted and study.on_time
    assert [f.source for f in study.feedback] == ["ledger", "s-hpl-0411"]
    specs = seen.follow_ups_3
    assert [(f.ref, f.overdue) for f in specs] == [
        (f"{S1}/x2", True),
        (f"{S1}/x3", True),  # the new deadline 05-11 has passed by 05-20
    ]


def test_after_three_sessions() -> None:
    logs, updates, _ = three_sessions()
    ledger = build_ledger(logs, updates)
    today = dt.date(2026, 6, 1)
    by_ref = {x.ref: x for x in ledger.entries}
    assert [x.shown_status(today) for x in ledger.entries] == [
        Status.DONE,
        Status.DONE,
        Status.DONE,
        Status.OVERDUE,
    ]
    assert by_ref[f"{S1}/x2"].on_time is False and by_ref[f"{S1}/x3"].accepted
    assert follow_ups_for(ledger, "和平里", today)[0].ref == "s-hpl-0520/z1"
    assert follow_ups_for(ledger, "金苑", today) == ()


def test_the_reopen_rule_is_configurable() -> None:
    logs, updates, _ = three_sessions()
    lenient = build_ledger(logs[:2], updates, policy=ReopenPolicy(threshold=1.5)).get(f"{S1}/x3")
    assert lenient is not None and lenient.accepted
    strict = build_ledger(logs[:2], updates, policy=ReopenPolicy(min_ratings=4, reopen_days=7))
    lamps = strict.get(f"{S1}/x3")
    assert lamps is not None and lamps.status is Status.DONE and not lamps.accepted


def test_ledger_only_ratings_are_judged_as_they_come() -> None:
    logs, updates, _ = three_sessions()
    at = dt.datetime(2026, 4, 20, 9, tzinfo=TZ)
    more = [
        *updates,
        LedgerUpdate(f"{S1}/x3", at, "status", status="done", by="物業公司"),
        *(
            LedgerUpdate(f"{S1}/x3", at + dt.timedelta(minutes=n), "rating", by=f"r{n}", stars=1)
            for n in range(3)
        ),
    ]
    lamps = build_ledger(logs[:2], more).get(f"{S1}/x3")
    assert lamps is not None and lamps.reopened == 2
    assert lamps.deadline == dt.date(2026, 5, 20)


def test_agenda_lines_and_exports() -> None:
    logs, updates, seen = three_sessions()
    lines = follow_up_titles(seen.follow_ups_2, "zh-Hant")
    assert lines[0] == "召開3號樓業主分攤協商會（趙先生，2026-04-01到期，已逾期）"
    assert lines[1].endswith("已完成，待居民評價）")
    assert follow_up_titles(seen.follow_ups_2, "en")[0].endswith(
        "(趙先生, due 2026-04-01, Overdue)"
    )
    ledger = build_ledger(logs, updates)
    today = dt.date(2026, 6, 1)
    assert to_csv(ledger, today) == to_csv(build_ledger(logs, updates), today)
    assert to_csv(ledger, today).splitlines()[0].startswith("ref,status,title")
    assert '"status": "overdue"' in to_json(ledger, today)
    ics = to_ics(ledger, today).decode()
    assert ics.count("BEGIN:VEVENT") == 4
    assert "DTSTART;VALUE=DATE:20260525" in ics and "UID:s-hpl-0520/z1@facilitator" in ics
