"""``facilitator place``, ``intake``, ``new --intake`` and ``serve --place`` from a shell's view."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from facilitator.agenda import parse_agenda
from facilitator.cli import main
from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub
from tests.cli.cli_kit import Serve


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def make_place(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = ["--db", str(db)]
    assert run(capsys, "place", "create", "heping", "--name", "和平里社區",
               "--categories", "路燈照明,停車收費", *d)[0] == 0  # fmt: skip
    for n in (3, 6):
        code, out, _ = run(capsys, "place", "building", "heping", f"{n}號樓", "--code", f"b{n}",
                           "--units", "1單元,2單元", *d)  # fmt: skip
        assert code == 0 and out.strip() == f"已新增樓棟 {n}號樓：/b/b{n}"


def raise_requests(db: Path, *texts: str) -> None:
    with PlaceHub.open(str(db)) as hub:
        for n, text in enumerate(texts):
            command = c.RaiseRequest(at=hub.clock(), device_key=f"k{n}", building="b6", text=text)
            hub.execute("heping", command, actor=f"k{n}")


def test_place_create_buildings_show_and_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    code, _, err = run(capsys, "place", "create", "heping", "--name", "x", "--db", str(db))
    assert code == 2 and "已經建立" in err
    code, _, err = run(capsys, "place", "building", "heping", "3號樓", "--db", str(db))
    assert code == 2 and "3號樓已經存在" in err
    code, _, err = run(capsys, "place", "show", "nowhere", "--db", str(db))
    assert code == 2 and "沒有小區「nowhere」（現有小區：heping）" in err
    assert run(capsys, "place", "set", "heping", "--answer-within", "24", "--db", str(db))[0] == 0
    run(capsys, "place", "staff", "heping", "小李", "--db", str(db))
    code, out, _ = run(capsys, "place", "show", "heping", "--url", "http://10.0.0.2:8080",
                       "--db", str(db))  # fmt: skip
    assert "24 小時內答覆；14 天內辦結" in out and "工作人員：小李" in out
    assert "6號樓 (1單元、2單元)\thttp://10.0.0.2:8080/b/b6" in out
    sheet = tmp_path / "sheets.html"
    run(capsys, "place", "sheets", "heping", "--url", "http://10.0.0.2:8080", "-o", str(sheet),
        "--db", str(db))  # fmt: skip
    page = sheet.read_text(encoding="utf-8")
    assert page.count('class="sheet"') == 2 and page.count("<svg") == 2
    assert "http://10.0.0.2:8080/b/b3" in page and "掃碼即可隨時反映問題" in page
    assert "size:A4" in page and "viewBox" in page  # the QR code scales to its 12 cm


def test_intake_screening_from_the_shell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    raise_requests(db, "路燈不亮", "路燈又壞了", "停車費", "加裝電梯")
    d = ["--db", str(db)]
    code, out, _ = run(capsys, "intake", "list", "heping", *d)
    assert code == 0 and len(out.splitlines()) == 4 and "待受理" in out
    assert run(capsys, "intake", "merge", "heping", "2", "1", *d)[0] == 0
    code, out, _ = run(capsys, "intake", "fix", "heping", "1", "--owner", "物業公司",
                       "--deadline", "2099-03-06", *d)  # fmt: skip
    assert code == 0 and "限時辦結 [r1]" in out and "+2" in out
    assert run(capsys, "intake", "reject", "heping", "3", "屬下期廣場夜話主題", *d)[0] == 0
    assert run(capsys, "intake", "schedule", "heping", "4", "屬下期主題，已排入議程", *d)[0] == 0
    code, _, err = run(capsys, "intake", "accept", "heping", "3", *d)
    assert code == 2 and "訴求 #3 目前是「未受理」" in err
    raise_requests(db, "垃圾桶")
    code, _, err = run(capsys, "intake", "reject", "heping", "5", " ", *d)
    assert code == 2 and "請填寫原因" in err
    code, _, err = run(capsys, "intake", "fix", "heping", "5", "--owner", "x",
                       "--deadline", "2020-01-01", *d)  # fmt: skip
    assert code == 2 and "期限無效：不能早於今天。" in err
    assert (
        run(capsys, "intake", "feedback", "heping", "r1", "已換燈", "--status", "done", *d)[0] == 0
    )
    code, out, _ = run(capsys, "intake", "show", "heping", "1", *d)
    assert "事項 r1（heping/r1）：物業公司，2099-03-06前" in out and "已換燈" in out
    with PlaceHub.open(str(db)) as hub:  # the local operator at the command line did these
        screened = [e.actor for e in hub.log.load("heping")[7:] if not e.actor.startswith("k")]
        assert set(screened) == {"operator:cli"} and len(screened) == 5
    code, out, _ = run(capsys, "intake", "list", "heping", *d)
    assert "#3" not in out and "#2" not in out
    code, out, _ = run(capsys, "ledger", "list", "--place", "和平里", *d)
    assert "heping/r1" in out
    code, out, _ = run(capsys, "report", "--lang", "en", "--today", "2099-01-01", *d)
    assert code == 0 and "| Requests received between sessions | 5 |" in out
    assert "| Answers overdue | 1 |" in out  # #5 was never answered, and 2099 is long after
    assert "Requests raised between sessions count with" in out


def test_new_intake_puts_scheduled_requests_on_the_agenda(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    raise_requests(db, "停車費太貴", "- 不是選項", "## 不是標題")
    for n in ("1", "2", "3"):
        run(capsys, "intake", "schedule", "heping", n, "--db", str(db))
    agenda = tmp_path / "talk.md"
    code, _, _ = run(capsys, "new", "--follow-up", "--intake", "--place", "和平里社區廣場",
                     "--db", str(db), "-o", str(agenda))  # fmt: skip
    assert code == 0
    parsed = parse_agenda(agenda.read_text(encoding="utf-8"))
    first = parsed.items[0]
    assert first.title == "碼上議：居民平日提出的訴求" and first.options == ()
    assert "碼上議 #2：- 不是選項（6號樓，附議 1 人）" in first.description
    assert len(parsed.items) == 6  # nothing injected: the template's five and this one
    code, _, err = run(capsys, "new", "--intake", "--place", "靜安", "--db", str(db), "-o", "-")
    assert code == 2 and "沒有小區符合 --place「靜安」" in err


@pytest.mark.e2e
async def test_serve_place_answers_until_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    server = Serve(tmp_path, "--place", "heping", "--db", db, "--host", "127.0.0.1", "--port", 0)
    try:
        url = server.wait_ready()["url"]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/api/b/b6") as answer:
                assert (await answer.json())["building"]["name"] == "6號樓"
            async with http.get(f"{url}/p/heping") as answer:
                assert "和平里社區 · 公示" in await answer.text()
    finally:
        code, out, _ = server.interrupt()
    assert code == 0
    assert "操作員口令：" in out and "/b/b6" in out
    assert "/staff\n" in out  # where staff sign in


def test_publish_writes_a_read_only_public_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    raise_requests(db, "<b>路燈</b>不亮")
    d = ["--db", str(db)]
    run(capsys, "intake", "fix", "heping", "1", "--owner", "物業公司", *d)
    run(capsys, "intake", "feedback", "heping", "r1", "已換燈", "--status", "done", *d)
    out_dir = tmp_path / "site"
    code, out, _ = run(capsys, "publish", "--place", "heping", "-o", str(out_dir), *d)
    assert code == 0 and "（1 個事項，0 份紀要）" in out
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "和平里社區 · 公示" in page and "&lt;b&gt;路燈&lt;/b&gt;不亮" in page
    assert "物業公司" in page and "已換燈" in page and "<script" not in page
    code, _, err = run(capsys, "publish", "--place", "nowhere", "-o", str(out_dir), *d)
    assert code == 2 and "沒有小區「nowhere」" in err
