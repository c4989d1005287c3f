"""An action item nobody took on is 待認領 / unclaimed in the ledger, as in the minutes — in
``ledger list`` and ``show``, and in the CSV, JSON and ICS exports — never "claimed"."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.cli import main
from facilitator.ledger import Status, build_ledger, to_csv, to_ics, to_json
from facilitator.minutes import render_minutes
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.store import EventStore
from tests.minutes.minutes_kit import TZ, Script

SID = "s-unclaimed"
TODAY = dt.date(2026, 4, 2)


def _log() -> list[e.Event]:
    s = Script(dt.datetime(2026, 4, 1, 19, 30, tzinfo=TZ))
    s.run(
        c.CreateSession,
        session_id=SID,
        kind=SessionKind.SQUARE_TALK,
        title="廣場夜話：停車收費",
        join_code="PARK01",
        numeric_code="4321",
        place="和平里社區廣場",
        date=dt.date(2026, 4, 1),
        items=(AgendaItemSpec("停車收費", 1800),),
        item_ids=("a1",),
    )
    s.run(c.OpenSession)
    s.run(c.JoinSession, participant_id="p1", device_key="d1", display_name="張伯")
    s.run(c.AddActionItem, action_id="x1", title="查清收費標準", deadline=dt.date(2026, 4, 30))
    s.run(c.AddActionItem, action_id="x2", title="張貼公告", owner="物業公司")
    s.run(c.AddActionItem, action_id="x3", title="統計車位", deadline=dt.date(2026, 5, 1))
    s.run(c.ClaimActionItem, action_id="x3", participant_id="p1")
    s.run(c.CloseSession, minutes=5)
    return s.log


def test_an_item_nobody_took_on_is_unclaimed_and_the_others_are_claimed() -> None:
    ledger = build_ledger([_log()])
    status = {x.action_id: x.status for x in ledger.entries}
    assert status == {"x1": Status.UNCLAIMED, "x2": Status.CLAIMED, "x3": Status.CLAIMED}
    assert "| 查清收費標準 |   |   | 2026-04-30 | 待認領 |" in render_minutes(_log(), "zh-Hant")


def test_the_exports_say_unclaimed() -> None:
    ledger = build_ledger([_log()])
    records = {r["ref"]: r for r in json.loads(to_json(ledger, TODAY))}
    assert records[f"{SID}/x1"]["status"] == "unclaimed"
    assert records[f"{SID}/x2"]["status"] == "claimed"
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(to_csv(ledger, TODAY)))}
    assert rows[f"{SID}/x1"]["status"] == "unclaimed"
    ics = to_ics(ledger, TODAY).decode("utf-8").replace("\r\n ", "")
    assert f"status: unclaimed\\; ref: {SID}/x1" in ics
    assert "status: claimed\\; ref: " + f"{SID}/x1" not in ics


@pytest.mark.parametrize(
    ("lang", "word"), [("zh-Hant", "待認領"), ("zh-Hans", "待认领"), ("en", "Unclaimed")]
)
def test_ledger_list_and_show_say_unclaimed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, word: str
) -> None:
    db = tmp_path / "f.db"
    with EventStore.open(db) as store:
        store.append(SID, _log())
    today = ["--today", TODAY.isoformat(), "--lang", lang, "--db", str(db)]
    assert main(["ledger", "list", *today]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert f"[{word}]" in lines[f"{SID}/x1"]
    assert f"[{word}]" not in lines[f"{SID}/x2"] and f"[{word}]" not in lines[f"{SID}/x3"]
    assert main(["ledger", "show", f"{SID}/x1", *today]) == 0
    assert f"[{word}]" in capsys.readouterr().out
