"""``facilitator sync LAPTOP.db --to DB`` on real SQLite files: everything arrives once, a second
run sends nothing, a diverged session is refused with nothing of it written while the others go,
a dry run writes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.intake import commands as ic
from facilitator.session.events import SessionCreated
from facilitator.store import SCHEMA_VERSION, LiveOwner
from facilitator.store.backend import Database, open_event_store, open_ledger_log
from tests.ledger.ledger_kit import S1, three_sessions
from tests.pg_kit import PASSWORD, PASSWORD_USER, Cluster
from tests.sync.sync_kit import (
    TZ,
    contents,
    evening,
    event_rows,
    heping,
    put_place,
    put_session,
    rating_at,
)


def sync(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, list[str]]:
    status = main(["sync", *map(str, args), "--lang", "en"])
    out = capsys.readouterr()
    return status, out.out.splitlines() + out.err.splitlines()


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    path = tmp_path / "laptop.db"
    evening(path)
    return path


@pytest.fixture
def district(db: Database) -> Database:
    """An empty district database: a SQLite file, or a PostgreSQL database."""
    open_event_store(db).close()
    return db


def test_everything_arrives_and_twice_changes_nothing(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = laptop.read_bytes()
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 0, lines
    sent, there = contents(laptop), contents(district)
    assert there == sent  # every session's stream, the place's intake and the ledger updates
    assert len(sent.sessions) == 3 and len(sent.places["heping"]) > 3 and len(sent.ledger) == 3
    lengths = {sid: len(stream) for sid, stream in sent.sessions.items()}
    assert (
        f"session “廣場夜話：加裝電梯意見徵集” (2026-03-14, {S1}): {lengths[S1]} events sent"
        " (new at the district)" in lines
    )
    intake = len(sent.places["heping"])
    assert f"place 和平里社區 (heping): {intake} intake events sent, 0 already there" in lines
    assert "ledger updates: 3 sent, 0 already there" in lines
    rows = {sid: event_rows(district, sid) for sid in sent.sessions}

    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 0
    assert len(lines) == 5 and all(": nothing new (" in line for line in lines), lines
    assert (
        f"session “廣場夜話：加裝電梯意見徵集” (2026-03-14, {S1}): nothing new"
        f" ({lengths[S1]} already there)" in lines
    )
    assert contents(district) == sent
    assert {sid: event_rows(district, sid) for sid in sent.sessions} == rows
    assert laptop.read_bytes() == before  # the laptop is only read


def test_a_session_is_extended_when_the_district_has_a_prefix(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    logs, _, _ = three_sessions()
    with open_event_store(district) as store:
        for n, event in enumerate(logs[0][:7], start=1):
            store.append(S1, [event], request_id=f"r-{S1}-{n}", actor="moderator")
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 0
    rest = len(logs[0]) - 7
    assert (
        f"session “廣場夜話：加裝電梯意見徵集” (2026-03-14, {S1}): {rest} events sent after"
        " the 7 the district had" in lines
    )
    assert contents(district).sessions[S1] == contents(laptop).sessions[S1]


def test_a_diverged_session_is_refused_and_left_untouched(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    logs, _, _ = three_sessions()
    first = logs[0]
    with open_event_store(district) as store:  # the same first 9 events, then a different 10th
        put_session(store, [*first[:9], first[10], first[11]])
    rows = event_rows(district, S1)
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 1
    ninth = f"{type(first[9]).__name__} {first[9].at:%Y-%m-%d %H:%M}"
    tenth = f"{type(first[10]).__name__} {first[10].at:%Y-%m-%d %H:%M}"
    assert tenth != ninth
    assert (
        f"session “廣場夜話：加裝電梯意見徵集” (2026-03-14, {S1}): REFUSED, nothing of it"
        f" written: the laptop and the district agree up to event #9 and differ from #10"
        f" (laptop: {ninth}, district: {tenth}); the laptop has {len(first)} events, the"
        " district 11."
    ) in lines[0]
    assert event_rows(district, S1) == rows  # byte for byte
    # the other sessions, the place and the ledger still went
    sent, there = contents(laptop), contents(district)
    assert all(there.sessions[sid] == sent.sessions[sid] for sid in sent.sessions if sid != S1)
    assert there.places == sent.places and there.ledger == sent.ledger
    assert lines[-1].startswith("Some items were refused")
    status, lines = sync(capsys, laptop, "--to", district)  # still refused, still untouched
    assert status == 1 and "REFUSED" in lines[0] and event_rows(district, S1) == rows


def test_a_join_code_the_district_already_uses_is_refused(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    logs, _, _ = three_sessions()
    created = logs[0][0]
    assert isinstance(created, SessionCreated)
    other = [dataclasses.replace(created, session_id="s-other")]  # its join code, another id
    with open_event_store(district) as store:
        store.append("s-other", other)
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 1
    assert lines[0].endswith(
        "REFUSED, nothing of it written: the district already has another session with the same"
        " join code"
    )
    assert event_rows(district, S1) == []


def test_intake_merges_by_request_id_and_refuses_a_clash(
    tmp_path: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = tmp_path / "laptop.db"
    place = heping()
    common = len(place.log)
    put_place(district, place)
    put_place(laptop, place)
    shared = heping()  # the district took a request meanwhile (a new number) and so did the laptop
    shared.raise_("垃圾桶滿了", device="d9", building="B2", category="環境衛生")
    put_place(district, shared, start=common, prefix="district")
    place.do(ic.AnswerRequest, number=2, text="明天處理", by="小李")
    put_place(laptop, place, start=common)
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 0, lines
    assert f"place 和平里社區 (heping): 1 intake event sent, {common} already there" in lines
    merged = contents(district).places["heping"]
    assert [s[1] for s in merged] == [*shared.log, place.log[-1]]
    status, lines = sync(capsys, laptop, "--to", district)
    assert any("place 和平里社區 (heping): nothing new" in line for line in lines)

    # the laptop raises its #4 while the district has its own #4: they cannot both be #4
    place.raise_("停車位不夠", device="d7", building="B2", category="停車收費")
    put_place(laptop, place, start=common + 1)
    before = contents(district).places
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 1
    assert (
        "place 和平里社區 (heping): REFUSED, nothing of it written: request #4 was raised on both"
        " sides (laptop: “停車位不夠”, district: “垃圾桶滿了”)"
    ) in lines
    assert contents(district).places == before


def test_ledger_updates_are_sent_once_by_identity(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_ledger_log(district) as log:
        log.append(rating_at(dt.datetime(2026, 6, 2, 9, 0, tzinfo=TZ)))  # already there
        log.append(rating_at(dt.datetime(2026, 6, 3, 9, 0, tzinfo=TZ)))  # the district's own
    status, lines = sync(capsys, laptop, "--to", district)
    assert status == 0
    assert "ledger updates: 2 sent, 1 already there" in lines
    assert len(contents(district).ledger) == 4


def test_dry_run_writes_nothing(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = sync(capsys, laptop, "--to", district, "--dry-run")
    assert status == 0
    assert any(line.endswith("events (new at the district)") and "would send" in line
               for line in lines)  # fmt: skip
    assert "ledger updates: would send 3, 0 already there" in lines
    assert lines[-1] == "Dry run: nothing was written."
    assert contents(district) == contents(laptop.with_name("empty.db"))


def test_refusals_before_anything_is_sent(
    laptop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.db"
    status, lines = sync(capsys, laptop, "--to", missing)
    assert status == 2 and "add --create" in lines[0] and not missing.exists()
    status, lines = sync(capsys, tmp_path / "no-laptop.db", "--to", laptop)
    assert status == 2 and "no laptop database" in lines[0]
    status, lines = sync(capsys, laptop, "--to", laptop)
    assert status == 2 and "is both the laptop's and the district's" in lines[0]
    status, lines = sync(capsys, laptop, "--to", missing, "--dry-run")
    assert status == 0 and lines[-1] == "Dry run: nothing was written." and not missing.exists()
    status, lines = sync(capsys, laptop, "--to", missing, "--create")
    assert status == 0 and contents(missing) == contents(laptop)


def test_a_laptop_with_a_newer_schema_is_refused(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = laptop.with_name("newer.db")
    shutil.copy(laptop, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = newer.read_bytes()
    status, lines = sync(capsys, newer, "--to", district)
    assert status == 2
    assert lines == [
        f"facilitator: {newer} was written by a newer version of facilitator (database version"
        f" 99; this one reads up to {SCHEMA_VERSION}); please upgrade facilitator"
    ]
    assert contents(district).sessions == {} and newer.read_bytes() == before


def test_a_session_live_at_the_district_is_left_to_its_server(
    laptop: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    logs, _, _ = three_sessions()
    owner = LiveOwner(4242, "district-server", dt.datetime(2026, 3, 14, 19, 0, tzinfo=TZ))
    with open_event_store(district) as store:
        put_session(store, logs[0][:7])
        rows = event_rows(district, S1)
        with store.claim_live(S1, owner):  # a server runs the session there right now
            status, lines = sync(capsys, laptop, "--to", district)
    assert status == 1
    assert lines[0].endswith(
        "REFUSED, nothing of it written: it is being served live at the district (process"
        " 4242@district-server); sync again once that session has ended"
    )
    assert event_rows(district, S1) == rows
    status, lines = sync(capsys, laptop, "--to", district)  # once it has ended
    assert status == 0 and contents(district).sessions[S1] == contents(laptop).sessions[S1]


def test_residents_photos_go_along(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laptop, district = tmp_path / "laptop.db", tmp_path / "district.db"
    place = heping()
    place.raise_("牆面滲水", device="d5", building="B2", photo="ab12.jpg")
    put_place(laptop, place)
    (tmp_path / "laptop.db.photos").mkdir()
    (tmp_path / "laptop.db.photos" / "ab12.jpg").write_bytes(b"\xff\xd8 a photo")
    (tmp_path / "laptop.db.photos" / "unrelated.jpg").write_bytes(b"\xff\xd8 kept back")
    status, _ = sync(capsys, laptop, "--to", district, "--create")
    assert status == 0
    assert (tmp_path / "district.db.photos" / "ab12.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert not (tmp_path / "district.db.photos" / "unrelated.jpg").exists()


def test_a_district_that_cannot_be_reached_names_it_without_its_password(
    laptop: Path, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = pg_cluster.url("postgres", user=PASSWORD_USER, password="not-" + PASSWORD)
    status, lines = sync(capsys, laptop, "--to", wrong)
    assert status == 2 and len(lines) == 1
    assert lines[0].startswith("facilitator: cannot use the database postgresql://")
    assert "not-" + PASSWORD not in lines[0]


def test_a_laptop_file_that_is_no_database_is_refused(
    tmp_path: Path, district: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("this is a text file, not a database\n" * 100, encoding="utf-8")
    status, lines = sync(capsys, notes, "--to", district)
    assert status == 2
    assert lines == [
        f"facilitator: cannot use the database {notes}: it is not a facilitator database"
    ]
