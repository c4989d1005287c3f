"""Every ``--db`` takes a ``postgresql://`` URL: the commands give the same answers from a
PostgreSQL database as from the SQLite file with the same sessions, and a server that is down, a
wrong password, a missing database or a malformed URL is one translated line and exit status 2 —
never a traceback, never the password."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from facilitator.cli import main
from facilitator.store import open_event_store, open_ledger_log, open_place_log
from tests.cli.cli_kit import ENV, facilitator
from tests.pg_kit import PASSWORD, PASSWORD_USER, Cluster

TODAY = ["--today", "2026-06-01"]
WRONG = "w0rng-p@ss"  # URL-quoted in the URLs: an @ in a password is legal


@pytest.fixture
def url(db: Path, pg_cluster: Cluster) -> str:
    """A PostgreSQL database holding what the seeded SQLite file ``db`` holds."""
    target = pg_cluster.new_database()
    with open_event_store(db) as source, open_event_store(target) as copy:
        for info in reversed(source.sessions()):  # oldest first, as they were created
            copy.append(info.session_id, [s.event for s in source.load(info.session_id)])
    with open_ledger_log(db) as source_log, open_ledger_log(target) as copy_log:
        for update in source_log.updates():
            copy_log.append(update)
    with open_place_log(db) as places, open_place_log(target) as copy_places:
        for place_id in places.places():
            copy_places.append(place_id, [s.event for s in places.load(place_id)])
    return target


def _out(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "command",
    [
        ["sessions", "--lang", "en"],
        ["ledger", "list", *TODAY],
        ["ledger", "show", "s-hpl-0314/x1"],
        ["ledger", "export", "--json"],
        ["report", "--lang", "en", *TODAY],
        ["minutes", "hpl314", "--lang", "en"],
    ],
)
def test_a_postgresql_database_answers_as_the_sqlite_file_does(
    db: Path, url: str, command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    extra = ["-o", str(tmp_path / "m.md")] if command[0] == "minutes" else []
    from_file = _out(capsys, *command, "--db", str(db), *extra)
    from_server = _out(capsys, *command, "--db", url, *extra)
    assert from_file[0] == from_server[0] == 0
    assert from_server[1].replace(url, "DB") == from_file[1].replace(str(db), "DB")


def test_ledger_feedback_is_recorded_in_postgresql(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _out(capsys, "ledger", "feedback", "s-hpl-0314/x1", "已換燈泡", "--db", url)
    assert code == 0, err
    with open_ledger_log(url) as log:
        assert log.updates()[-1].text == "已換燈泡"


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("down", {"en": "cannot be reached", "zh-Hant": "連不上", "zh-Hans": "连不上"}),
        ("password", {"en": "user name or password", "zh-Hant": "密碼", "zh-Hans": "密码"}),
        ("database", {"en": "no such database", "zh-Hant": "沒有這個資料庫", "zh-Hans": "没有"}),
        ("url", {"en": "URL is not valid", "zh-Hant": "網址格式不對", "zh-Hans": "网址格式不对"}),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line_without_the_password(
    pg_cluster: Cluster, case: str, words: dict[str, str]
) -> None:
    secret = quote(WRONG, safe="")
    urls = {
        "down": f"postgresql://u:{secret}@/db?host=/nonexistent-socket-dir",
        "password": pg_cluster.url("postgres", user=PASSWORD_USER, password=WRONG),
        "database": pg_cluster.url("nope", user=PASSWORD_USER, password=PASSWORD),
        "url": f"postgresql://u:{secret}@/db?hots=/tmp",
    }
    for lang, word in words.items():
        done = facilitator("sessions", "--db", urls[case], "--lang", lang, env=ENV)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and word in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        for leak in (WRONG, secret, PASSWORD, quote(PASSWORD, safe="")):
            assert leak not in done.stderr + done.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["place", "list"],
        ["intake", "list", "heping"],
        ["ledger", "list"],
        ["report"],
        ["minutes", "1234"],
        ["new", "--follow-up", "--place", "和平里"],
        ["run", "--resume", "1234"],
        ["serve", "--place", "和平里"],
    ],
)
def test_every_command_says_why_in_the_locale_without_the_password(
    pg_cluster: Cluster, command: list[str]
) -> None:
    url = pg_cluster.url("postgres", user=PASSWORD_USER, password=WRONG)
    done = facilitator(*command, "--db", url, env=ENV)
    assert done.returncode == 2, done.stderr
    assert "PostgreSQL 伺服器拒絕了這個使用者名稱或密碼" in done.stderr  # the locale's language
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert WRONG not in done.stderr + done.stdout
    assert quote(WRONG, safe="") not in done.stderr + done.stdout
