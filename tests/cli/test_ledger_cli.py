"""``facilitator ledger``, ``report`` and ``new --follow-up`` against a real database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from facilitator.cli import main

S1 = "s-hpl-0314"
TODAY = ["--today", "2026-06-01"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_and_filters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "ledger", "list", "--db", str(db), *TODAY)
    assert code == 0 and len(out.splitlines()) == 7  # 3 + 3 (金苑) + 1
    _, out, _ = _run(capsys, "ledger", "list", "--overdue", "--db", str(db), *TODAY)
    assert [line.split()[0] for line in out.splitlines()] == [
        "s-jy-0320/y1",
        "s-jy-0320/y2",
        "s-jy-0320/y3",
        "s-hpl-0520/z1",
    ]
    _, out, _ = _run(capsys, "ledger", "list", "--owner", "物業", "--db", str(db), *TODAY)
    assert len(out.splitlines()) == 3
    _, out, _ = _run(capsys, "ledger", "list", "--building", "1號樓", "--db", str(db), *TODAY)
    assert out.split()[0] == f"{S1}/x1" and len(out.splitlines()) == 1


def test_show(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "ledger", "show", f"{S1}/x3", "--db", str(db), "--lang", "en")
    assert code == 0 and "[Done]" in out and "2 2 1 4 4 5" in out and "reopened 1" in out
    code, _, err = _run(capsys, "ledger", "show", "nope", "--db", str(db))
    assert code == 2 and "整改臺賬裏沒有「nope」" in err


def test_update_feedback_rate_reopen(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = "s-jy-0320/y2"
    code, out, _ = _run(capsys, "ledger", "rate", ref, "5", "--db", str(db), *TODAY)
    assert code == 2
    _run(capsys, "ledger", "feedback", ref, "已約商戶面談", "--by", "物業公司", "--db", str(db))
    code, out, _ = _run(
        capsys,
        "ledger",
        "update",
        ref,
        "--status",
        "done",
        "--by",
        "物業公司",
        "--db",
        str(db),
        "--lang",
        "en",
        *TODAY,
    )
    assert code == 0 and "[Done]" in out
    for stars in ("2", "1", "2"):
        code, out, _ = _run(capsys, "ledger", "rate", ref, stars, "--db", str(db), "--lang", "en")
    assert code == 0 and "[In progress]" in out  # three poor ratings: reopened
    code, out, _ = _run(
        capsys, "ledger", "update", ref, "--deadline", "2026-12-01", "--db", str(db), *TODAY
    )
    assert code == 0 and "2026-12-01" in out
    _, out, _ = _run(capsys, "ledger", "show", ref, "--db", str(db))
    assert "已約商戶面談" in out and "重新整改 1 次" in out
    assert _run(capsys, "ledger", "rate", ref, "9", "--db", str(db))[0] == 2
    assert _run(capsys, "ledger", "update", ref, "--db", str(db))[0] == 2


def test_exports(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "ledger", "export", "--json", "--db", str(db), *TODAY)
    records = json.loads(out)
    assert len(records) == 7 and records[0]["ref"] == f"{S1}/x1"
    sheet = tmp_path / "ledger.csv"
    _run(capsys, "ledger", "export", "--csv", "-o", str(sheet), "--db", str(db), *TODAY)
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel opens it right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["編號", "狀態", "整改事項"]  # headers in the chosen language
    assert {r[1] for r in rows[1:]} <= {"已認領", "辦理中", "已辦結", "已逾期"}
    _run(capsys, "ledger", "export", "--csv", "--lang", "en", "-o", str(sheet), "--db", str(db))
    english = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    assert english[0][:3] == ["Reference", "Status", "Action item"]
    ics = tmp_path / "ledger.ics"
    _run(capsys, "ledger", "export", "--ics", "-o", str(ics), "--db", str(db), *TODAY)
    assert ics.read_bytes().count(b"BEGIN:VEVENT") == 7


def test_report(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "report", "--since", "2026-01-01", "--db", str(db), *TODAY)
    assert code == 0 and "| 召開會議（場） | 4（廣場夜話3場、議事亭1場） |" in out
    page = tmp_path / "report.html"
    argv = ["report", "--db", str(db), "--format", "html", "--lang", "en", "-o", str(page)]
    assert _run(capsys, *argv, *TODAY)[0] == 0
    assert "<h1>Community deliberation: figures</h1>" in page.read_text(encoding="utf-8")


def test_new_follow_up(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "agenda.md"
    code, _, _ = _run(
        capsys,
        "new",
        "--follow-up",
        "--db",
        str(db),
        "--place",
        "和平里",
        "--date",
        "2026-06-01",
        "-o",
        str(out),
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    promise = text.index("## 上次承諾：更換樓道燈泡（物業公司，2026-05-25到期，已逾期）（5分鐘）")
    assert promise < text.index("## 主題說明") and "出具1號樓採光評估" not in text
    code, _, err = _run(capsys, "new", "--follow-up", "--db", str(tmp_path / "x.db"), "-o", "-")
    assert code == 2 and "找不到資料庫" in err
    assert _run(capsys, "new", "-o", "-")[0] == 0  # without --follow-up nothing changed
