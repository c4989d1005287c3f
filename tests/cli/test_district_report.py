"""``facilitator report --district`` on a database holding three places, every figure worked out
by hand, and each place's row equal to that place's own report.

By hand, as of 2026-06-01:

和平里社區 (heping): the three sessions of ledger_kit (5 issues, 1 not accepted, 3 resolved; items
x1 x2 x3 z1, done 3, z1 overdue; on time 1 of 4; ratings 9, 6 of them 4-5 stars) plus two
requests: #1 answered after 2 h (resolved), #2 fixed after 10 h as item r1 due 04-12, done on
04-08 (on time, 6 days), rated 5 and 4 from home.
  issues 7, not accepted 1, resolved 5 -> 5/6 = 83.3 %; on time 2/5 = 40.0 %;
  satisfied 8/11 = 72.7 %; first answer 2, 10 h -> median 6.0, p90 10.0;
  time to close x1 28 days (03-14 -> 04-11), x2 and x3 67 (-> 05-20), r1 6 -> median 47.5, p90 67.
綠園社區 (lvyuan): no session; #1 refused after 4 h; #2 fixed after 24 h as item r1 due 04-10,
done 04-20 (late; created 04-04: 16 days), rated 2; #3 raised 05-30, never answered.
  issues 3, not accepted 1, resolved 1 -> 1/2 = 50.0 %; on time 0/1 = 0.0 %; satisfied 0/1;
  first answer 4, 24 h -> median 14.0, p90 24.0; time to close 16.
金苑社區議事亭: the 議事亭 of pavilion_kit, a session whose place is no intake place: its row is
what its own report says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from facilitator.intake import ItemProgress
from facilitator.intake import commands as ic
from facilitator.ledger import compute_report
from facilitator.store import EventStore
from facilitator.store.ledger_log import LedgerLog, read_ledger
from facilitator.store.place_log import PlaceLog
from tests.cli.cli_kit import facilitator
from tests.intake.intake_kit import Place
from tests.ledger.ledger_kit import three_sessions
from tests.minutes.pavilion_kit import pavilion
from tests.pg_kit import Cluster
from tests.sync.sync_kit import put_session

pytestmark = pytest.mark.e2e  # runs facilitator as a separate process
TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = "2026-06-01"


def _at(place: Place, when: dt.datetime, cls: type[ic.Command], **fields: object) -> None:
    place.now = when - dt.timedelta(minutes=1)  # Place.do moves the clock one minute first
    place.do(cls, **fields)


def _day(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def heping() -> Place:
    p = Place()
    _at(
        p,
        _day(3, 1),
        ic.CreatePlace,
        place_id="heping",
        name="和平里社區",
        categories=("路燈照明",),
    )
    _at(p, _day(3, 1, 10), ic.AddBuilding, code="B1", name="1號樓")
    _at(p, _day(4, 1), ic.RaiseRequest, device_key="d1", building="B1", text="路燈壞了",
        category="路燈照明")  # fmt: skip
    _at(p, _day(4, 1, 11), ic.AnswerRequest, number=1, text="已報修", by="小李")
    _at(p, _day(4, 2), ic.RaiseRequest, device_key="d2", building="B1", text="垃圾桶壞了")
    _at(p, _day(4, 2, 19), ic.FixRequest, number=2, item_id="r1", owner="物業公司",
        deadline=dt.date(2026, 4, 12))  # fmt: skip
    _at(p, _day(4, 8), ic.RecordItemFeedback, item_id="r1", text="已換新", status=ItemProgress.DONE)
    _at(p, _day(4, 9), ic.RateItem, ref="heping/r1", device_key="d2", stars=5)
    _at(p, _day(4, 9, 10), ic.RateItem, ref="heping/r1", device_key="d3", stars=4)
    return p


def lvyuan() -> Place:
    p = Place()
    _at(p, _day(3, 1), ic.CreatePlace, place_id="lvyuan", name="綠園社區")
    _at(p, _day(3, 1, 10), ic.AddBuilding, code="G3", name="3棟")
    _at(p, _day(4, 3, 8), ic.RaiseRequest, device_key="g1", building="G3", text="想養雞")
    _at(p, _day(4, 3, 12), ic.RejectRequest, number=1, reason="小區規定不允許", by="小王")
    _at(p, _day(4, 3), ic.RaiseRequest, device_key="g2", building="G3", text="電梯異響")
    _at(p, _day(4, 4), ic.FixRequest, number=2, item_id="r1", owner="電梯公司",
        deadline=dt.date(2026, 4, 10))  # fmt: skip
    _at(p, _day(4, 20), ic.RecordItemFeedback, item_id="r1", text="已修", status=ItemProgress.DONE)
    _at(p, _day(4, 21), ic.RateItem, ref="lvyuan/r1", device_key="g2", stars=2)
    _at(p, _day(5, 30, 10), ic.RaiseRequest, device_key="g3", building="G3", text="路面積水")
    return p


def _store(path: Path, *, sessions: bool = False, places: tuple[Place, ...] = (),
           jinyuan: bool = False) -> Path:  # fmt: skip
    with EventStore.open(path) as store:
        if sessions:
            logs, updates, _ = three_sessions()
            for log in logs:
                put_session(store, log)
            with LedgerLog.for_store(store) as ledger:
                for update in updates:
                    ledger.append(update)
        if jinyuan:
            put_session(store, pavilion().log)
    with PlaceLog.open(path) as intake:
        for place in places:
            for event in place.log:
                intake.append(place.state.place_id, [event])
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("district")
    return _store(folder / "district.db", sessions=True, places=(heping(), lvyuan()), jinyuan=True)


def _report(district: Path | str, *more: str) -> str:
    done = facilitator("report", "--district", "--db", district, "--today", TODAY, *more)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_figure_by_hand(district: Path) -> None:
    data = json.loads(_report(district, "--json"))
    places = {p["place"]: p for p in data["places"]}
    assert list(places) == ["和平里社區", "綠園社區", "金苑社區議事亭"]
    a, b = places["和平里社區"], places["綠園社區"]
    assert a["place_id"] == "heping" and places["金苑社區議事亭"]["place_id"] == ""
    assert (a["sessions_held"], a["issues_raised"], a["issues_rejected"]) == (3, 7, 1)
    assert (a["issues_resolved"], a["resolution_rate"]) == (5, 0.8333)
    assert (a["on_time"], a["on_time_base"], a["on_time_rate"]) == (2, 5, 0.4)
    assert (a["satisfied"], a["ratings"], a["satisfaction_rate"]) == (8, 11, 0.7273)
    assert (a["requests"], a["first_answer_hours_median"], a["first_answer_hours_p90"]) == (
        2, 6.0, 10.0)  # fmt: skip
    assert (a["close_days_median"], a["close_days_p90"]) == (47.5, 67.0)
    assert (b["sessions_held"], b["issues_raised"], b["issues_rejected"]) == (0, 3, 1)
    assert (b["issues_resolved"], b["resolution_rate"]) == (1, 0.5)
    assert (b["on_time"], b["on_time_base"], b["on_time_rate"]) == (0, 1, 0.0)
    assert (b["satisfied"], b["ratings"], b["satisfaction_rate"]) == (0, 1, 0.0)
    assert (b["requests"], b["first_answer_hours_median"], b["first_answer_hours_p90"]) == (
        3, 14.0, 24.0)  # fmt: skip
    assert (b["close_days_median"], b["close_days_p90"]) == (16, 16.0)
    total = data["total"]
    for key in ("sessions_held", "issues_raised", "issues_resolved", "ratings", "requests"):
        assert total[key] == sum(p[key] for p in data["places"]), key
    assert total["first_answer_hours_median"] == 7.0  # 2 4 10 24
    buildings = {(r["place"], r["building"]): r for r in data["by_building"]}
    assert buildings[("綠園社區", "3棟")]["issues_raised"] == 3
    assert buildings[("和平里社區", "1號樓")]["requests"] == 2
    assert {r["category"]: r["issues_raised"] for r in data["by_category"]}["路燈照明"] == 1


def test_each_row_is_the_place_own_report(district: Path, tmp_path: Path) -> None:
    data = json.loads(_report(district, "--json"))
    alone = {
        "和平里社區": _store(tmp_path / "a.db", sessions=True, places=(heping(),)),
        "綠園社區": _store(tmp_path / "b.db", places=(lvyuan(),)),
        "金苑社區議事亭": _store(tmp_path / "c.db", jinyuan=True),
    }
    for row in data["places"]:
        with EventStore.open(alone[row["place"]]) as store:
            own = compute_report(read_ledger(store), dt.date(2026, 6, 1))
        f = own.total
        assert row["sessions_held"] == own.sessions_held
        assert (row["issues_raised"], row["issues_rejected"], row["issues_resolved"]) == (
            f.issues_raised, f.issues_rejected, f.issues_resolved)  # fmt: skip
        assert (row["on_time"], row["on_time_base"], row["ratings"], row["satisfied"]) == (
            f.on_time, f.on_time_base, f.ratings, f.satisfied)  # fmt: skip
        assert row["first_answer_hours_median"] == (own.intake.median_hours if own.intake else None)
    own_md = facilitator("report", "--db", alone["綠園社區"], "--today", TODAY, "--lang", "en")
    assert "| Resolution rate¹ | 50.0% |" in own_md.stdout  # the place's report says the same


def test_markdown_csv_and_languages(district: Path) -> None:
    text = _report(district, "--lang", "zh-Hant")
    assert "# 街道議事協商工作統計（分社區）" in text
    assert "| 和平里社區 | 3 | 7 | 2 | 83.3% | 40.0% | 72.7% | 6.0 | 10.0 | 47.5 | 67.0 |" in text
    assert "| 綠園社區 | 0 | 3 | 3 | 50.0% | 0.0% | 0.0% | 14.0 | 24.0 | 16.0 | 16.0 |" in text
    assert "| 綠園社區 | 3棟 | 3 | 3 | 50.0% | 0.0% | 0.0% | 14.0 | 24.0 | 16.0 | 16.0 |" in text
    assert "統計範圍：全部會議和訴求，辦理情況截至2026-06-01" in text
    english = _report(district, "--lang", "en")
    assert "| Place | Sessions | Issues | Requests between sessions | Resolution rate |" in english
    assert "**District total**" in english
    hans = _report(district, "--lang", "zh-Hans", "--format", "csv")
    assert hans.startswith("\ufeff层级,地点,楼栋,类别,会议（场）")
    rows = list(csv.reader(io.StringIO(hans.removeprefix("\ufeff"))))
    assert rows[2][:8] == ["社区", "綠園社區", "", "", "0", "3", "3", "50.0%"]


def test_html_page_and_output_file(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "district.csv"
    done = facilitator("report", "--district", "--db", district, "--today", TODAY,
                       "--format", "csv", "-o", out, "--lang", "en")  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == f"wrote {out}"
    assert out.read_bytes().startswith("\ufeffLevel,Place,Building,Category".encode())
    assert b"\r\nDistrict total,,,,4,12,5,60.0%," in out.read_bytes()
    page = _report(district, "--format", "html", "--lang", "en")
    assert "<title>District report: figures by place</title>" in page
    assert "<td>綠園社區</td>" in page


def test_date_range(district: Path) -> None:
    data: dict[str, Any] = json.loads(_report(district, "--json", "--from", "2026-04-01",
                                              "--to", "2026-04-30"))  # fmt: skip
    places = {p["place"]: p for p in data["places"]}
    assert (data["from"], data["to"]) == ("2026-04-01", "2026-04-30")
    assert places["和平里社區"]["sessions_held"] == 1  # 04-11 only
    assert places["綠園社區"]["requests"] == 2  # not the one of 05-30
    assert places["金苑社區議事亭"]["sessions_held"] == 0
    own = facilitator("report", "--db", district, "--today", TODAY, "--lang", "en",
                      "--since", "2026-03-15", "--to", "2026-04-30")  # fmt: skip
    assert "Period: 2026-03-15 to 2026-04-30 (outcomes as of 2026-06-01)" in own.stdout
    assert "| Sessions held | 2 (Square night talk: 1, Deliberation pavilion: 1) |" in own.stdout


def test_refusals() -> None:
    done = facilitator("report", "--format", "csv", "--lang", "en")
    assert done.returncode == 2 and "add --district" in done.stderr
    done = facilitator("report", "--district", "--from", "2026-05-01", "--to", "2026-04-01",
                       "--lang", "en")  # fmt: skip
    assert done.returncode == 2 and "--to 2026-04-01 is before --from 2026-05-01" in done.stderr


def test_synced_to_postgresql_the_district_report_is_the_same(
    district: Path, pg_cluster: Cluster
) -> None:
    url = pg_cluster.new_database()
    synced = facilitator("sync", district, "--to", url, "--lang", "en")
    assert synced.returncode == 0, synced.stderr
    assert _report(url, "--json") == _report(district, "--json")
    assert _report(url, "--format", "csv") == _report(district, "--format", "csv")
