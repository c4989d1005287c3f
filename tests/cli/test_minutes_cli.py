"""``facilitator minutes`` and ``write_session_minutes`` against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.cli.minutes import write_session_minutes
from facilitator.store import EventStore


def test_prints_markdown_by_id_and_by_join_code(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["minutes", "s-hpl-0314", "--db", str(db)]) == 0
    by_id = capsys.readouterr().out
    assert by_id.startswith("# 廣場夜話：加裝電梯意見徵集會議紀要\n")
    assert main(["minutes", "hpl314", "--db", str(db), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("# Minutes: 廣場夜話：加裝電梯意見徵集\n")


def test_follow_up_session_minutes_show_the_review(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["minutes", "s-hpl-0411", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "## 上次承諾跟進" in out
    assert (
        "| 2 | 修復廣場路燈 | 物業公司 | 2026-03-31 | 2026-03-14 廣場夜話：加裝電梯意見徵集 "
        "| 重新整改 | 平均1.7分（3人評分） |" in out
    )
    # the ledger reopens it when the session closes; the minutes say so, with the new deadline
    assert "「修復廣場路燈」居民評價平均1.7分，低於3.0分：重新整改，新期限2026-05-11。" in out
    assert (
        "**召開3號樓業主分攤協商會**：負責方於19:32反饋：協商會延期，業主未到齊（狀態改為辦理中）"
        in out
    )


def test_html_to_a_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m" / "page.html"
    code = main(["minutes", "JYG320", "--db", str(db), "--format", "html", "-o", str(out)])
    assert code == 0 and "<svg" in out.read_text(encoding="utf-8")
    large = tmp_path / "large.html"
    main(
        [
            "minutes",
            "JYG320",
            "--db",
            str(db),
            "--format",
            "html",
            "--large-print",
            "-o",
            str(large),
        ]
    )
    assert '<body class="large">' in large.read_text(encoding="utf-8")


def test_unknown_session_and_missing_db(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["minutes", "nope", "--db", str(db)]) == 2
    assert "裏沒有會議「nope」" in capsys.readouterr().err
    assert main(["minutes", "nope", "--db", str(db), "--lang", "en"]) == 2
    assert "no session 'nope'" in capsys.readouterr().err
    assert main(["minutes", "x", "--db", str(tmp_path / "none.db")]) == 2
    assert "找不到資料庫" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_write_session_minutes(db: Path, tmp_path: Path) -> None:
    with EventStore.open(db) as store:
        md, html = write_session_minutes(store, "s-jy-0320", tmp_path / "minutes")
        again = write_session_minutes(store, "s-jy-0320", tmp_path / "minutes")
        en_md, _ = write_session_minutes(store, "s-jy-0320", tmp_path / "en", lang="en")
    assert md.name == "2026-03-20-議事亭-燃氣管道沿牆敷設.md"
    assert html.name == "2026-03-20-議事亭-燃氣管道沿牆敷設.html"
    assert (md, html) == again
    assert md.read_text(encoding="utf-8").startswith("# 議事亭：燃氣管道沿牆敷設會議紀要")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert en_md.read_text(encoding="utf-8").startswith("# Minutes:")
