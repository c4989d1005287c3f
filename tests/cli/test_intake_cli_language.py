"""``place``, ``intake`` and ``publish`` speak the place's language (and, before a place is known,
the locale's): every sentence they print, in each of the three languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.intake import commands as c
from facilitator.place_hub import PlaceHub
from tests.cli.test_intake_cli import run

SAID = {
    "en": {
        "created": "created the place p",
        "building": "added the building 6號樓: /b/b6",
        "staff": "added 小李 to the staff of p",
        "updated": "updated the place p",
        "timeliness": "answer within 1 hour; deliver within 14 days",
        "staff_line": "staff: 小李",
        "no_building": "no building 'nope' in p",
        "wrote": "wrote {path}",
        "recorded": "r1: recorded as Done",
        "feedback": "r1: feedback recorded",
        "refused": "There is no request #99.",
        "published": "wrote {path}: 1 item, the minutes of 0 sessions",
        "history": "Done  換好了",
    },
    "zh-Hant": {
        "created": "已建立小區 p",
        "building": "已新增樓棟 6號樓：/b/b6",
        "staff": "已將「小李」加入 p 的工作人員",
        "updated": "已更新小區 p 的設定",
        "timeliness": "1 小時內答覆；14 天內辦結",
        "staff_line": "工作人員：小李",
        "no_building": "p 沒有樓棟「nope」",
        "wrote": "已寫入 {path}",
        "recorded": "r1：已記為「已辦結」",
        "feedback": "r1：已記錄反饋",
        "refused": "沒有訴求 #99。",
        "published": "已寫入 {path}（1 個事項，0 份紀要）",
        "history": "已辦結  換好了",
    },
    "zh-Hans": {
        "created": "已建立小区 p",
        "building": "已新增楼栋 6號樓：/b/b6",
        "staff": "已将“小李”加入 p 的工作人员",
        "updated": "已更新小区 p 的设置",
        "timeliness": "1 小时内答复；14 天内办结",
        "staff_line": "工作人员：小李",
        "no_building": "p 没有楼栋“nope”",
        "wrote": "已写入 {path}",
        "recorded": "r1：已记为“已办结”",
        "feedback": "r1：已记录反馈",
        "refused": "没有诉求 #99。",
        "published": "已写入 {path}（1 个事项，0 份纪要）",
        "history": "已办结  換好了",
    },
}


@pytest.mark.parametrize("lang", list(SAID))
def test_the_place_commands_speak_the_places_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    said, d = SAID[lang], ["--db", str(tmp_path / "f.db")]
    out = run(capsys, "place", "create", "p", "--name", "和平里", "--lang", lang, *d)[1]
    assert out.strip() == said["created"]
    out = run(capsys, "place", "building", "p", "6號樓", "--code", "b6", *d)[1]
    assert out.strip() == said["building"]
    assert run(capsys, "place", "staff", "p", "小李", *d)[1].strip() == said["staff"]
    out = run(capsys, "place", "set", "p", "--answer-within", "1", *d)[1]
    assert out.strip() == said["updated"]
    out = run(capsys, "place", "show", "p", *d)[1]
    assert said["timeliness"] in out.splitlines() and said["staff_line"] in out.splitlines()
    code, _, err = run(capsys, "place", "sheets", "p", "--url", "http://x", "--building", "nope",
                       *d)  # fmt: skip
    assert code == 2 and err.strip() == f"facilitator: {said['no_building']}"
    sheet = tmp_path / "sheets.html"
    out = run(capsys, "place", "sheets", "p", "--url", "http://x", "-o", str(sheet), *d)[1]
    assert out.strip() == said["wrote"].format(path=sheet)


@pytest.mark.parametrize("lang", list(SAID))
def test_the_intake_and_publish_commands_speak_the_places_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    said, db = SAID[lang], tmp_path / "f.db"
    d = ["--db", str(db)]
    run(capsys, "place", "create", "p", "--name", "和平里", "--lang", lang, *d)
    run(capsys, "place", "building", "p", "6號樓", "--code", "b6", *d)
    with PlaceHub.open(str(db)) as hub:
        raise_one = c.RaiseRequest(at=hub.clock(), device_key="k1", building="b6", text="路燈")
        hub.execute("p", raise_one, actor="k1")
    run(capsys, "intake", "fix", "p", "1", "--owner", "物業", "--deadline", "2099-03-06", *d)
    out = run(capsys, "intake", "feedback", "p", "r1", "換好了", "--status", "done", *d)[1]
    assert out.strip() == said["recorded"]
    out = run(capsys, "intake", "feedback", "p", "r1", "謝謝", *d)[1]
    assert out.strip() == said["feedback"]
    assert said["history"] in run(capsys, "intake", "show", "p", "1", *d)[1]
    code, _, err = run(capsys, "intake", "accept", "p", "99", *d)
    assert code == 2 and err.strip() == f"facilitator: {said['refused']}"
    site = tmp_path / "site"
    out = run(capsys, "publish", "--place", "p", "-o", str(site), *d)[1]
    index = site / "index.html"
    assert out.strip() == said["published"].format(path=index)


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        ("en_US.UTF-8", "no place 'nowhere' (places: p)"),
        ("zh_TW.UTF-8", "沒有小區「nowhere」（現有小區：p）"),
        ("zh_CN.UTF-8", "没有小区“nowhere”（现有小区：p）"),
    ],
)
def test_before_a_place_is_known_the_locale_speaks(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    sentence: str,
) -> None:
    d = ["--db", str(tmp_path / "f.db")]
    run(capsys, "place", "create", "p", "--name", "和平里", "--lang", "zh-Hant", *d)
    monkeypatch.setenv("LC_ALL", locale)
    for argv in (["place", "show", "nowhere"], ["intake", "list", "nowhere"]):
        code, _, err = run(capsys, *argv, *d)
        assert code == 2 and err.strip() == f"facilitator: {sentence}"
