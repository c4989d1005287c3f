"""The command line speaks the user's language (``--lang``, else the locale, else zh-Hant), and a
run that fails before its session starts leaves nothing behind: no database file, no folder."""

from __future__ import annotations

import codecs
import shlex
import socket
import subprocess
from pathlib import Path

import pytest

from facilitator.agenda import SessionKind, agenda_template, parse_agenda
from facilitator.cli._agenda_file import read_agenda
from facilitator.cli._common import cli_lang
from tests.cli.cli_kit import ENV, facilitator, write_agenda

pytestmark = pytest.mark.e2e  # runs facilitator as a separate process


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "zh-Hant"),
        ({"LANG": "C.UTF-8"}, "zh-Hant"),
        ({"LANG": "POSIX"}, "zh-Hant"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_TW.Big5"}, "zh-Hant"),
        ({"LANG": "zh_HK.UTF-8@stroke"}, "zh-Hant"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_SG"}, "zh-Hans"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ],
)
def test_the_locale_picks_the_language(env: dict[str, str], expected: str) -> None:
    assert cli_lang(None, env) == expected
    assert cli_lang("en", env) == "en"  # --lang wins


def test_errors_follow_lang_and_the_locale(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    zh = facilitator("run", missing, "--db", tmp_path / "f.db")
    en = facilitator("run", missing, "--db", tmp_path / "f.db", "--lang", "en")
    hans = facilitator("run", missing, "--db", tmp_path / "f.db", env=ENV | {"LANG": "zh_CN.UTF-8"})
    by_locale = facilitator("ledger", "list", "--db", missing, env=ENV | {"LANG": "en_US.UTF-8"})
    assert (zh.returncode, en.returncode, hans.returncode, by_locale.returncode) == (2, 2, 2, 2)
    assert f"找不到議程檔案 {missing}" in zh.stderr
    assert f"there is no agenda file {missing}" in en.stderr
    assert f"找不到议程文件 {missing}" in hans.stderr
    assert f"no database at {missing}" in by_locale.stderr
    assert "Traceback" not in zh.stderr + en.stderr + hans.stderr + by_locale.stderr


def _bad_agenda(folder: Path) -> Path:
    path = folder / "bad.md"
    path.write_text("---\ntitle: 停車\nkind: meeting\n---\n## 議題 (99 h)\n", encoding="utf-8")
    return path


def test_a_run_refused_before_it_starts_creates_no_database(tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "f.db"  # neither the file nor its folders exist yet
    agenda = write_agenda(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refusals = {
            "missing": facilitator("run", tmp_path / "nope.md", "--db", db),
            "bad": facilitator("serve", _bad_agenda(tmp_path), "--db", db),
            "port": facilitator("serve", agenda, "--db", db, "--host", "127.0.0.1", "--port", port),
            "resume": facilitator("run", "--resume", "1234", "--db", db),
            "host": facilitator("serve", agenda, "--db", db, "--host", "198.51.100.7"),
        }
    for name, done in refusals.items():
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr, name
    assert not (tmp_path / "new").exists()
    assert f"端口 {port} 已被另一個程序佔用" in refusals["port"].stderr
    assert "--port" in refusals["port"].stderr
    assert "198.51.100.7 上監聽：這不是這台電腦的地址" in refusals["host"].stderr
    bad = refusals["bad"].stderr
    assert "有 2 處問題" in bad and "bad.md:3: 不認識的會議類型「meeting」" in bad
    assert "bad.md:5: 時長必須在 1 分鐘到 8 小時之間" in bad


@pytest.mark.parametrize(
    ("encoding", "lang", "named", "bom"),
    [
        ("big5", "zh-Hant", "BIG5", b""),
        ("gbk", "zh-Hans", "GBK", b""),
        ("utf-16-le", "zh-Hant", "UTF-16", codecs.BOM_UTF16_LE),
    ],
)
def test_an_agenda_that_is_not_utf8_names_its_encoding_and_how_to_convert_it(
    tmp_path: Path, encoding: str, lang: str, named: str, bom: bytes
) -> None:
    text = agenda_template(SessionKind.SQUARE_TALK, lang)
    agenda = tmp_path / "議程.md"
    agenda.write_bytes(bom + text.encode(encoding))
    db = tmp_path / "f.db"
    done = facilitator("run", agenda, "--db", db)
    assert done.returncode == 2
    assert f"看來是 {named} 編碼" in done.stderr
    fixed = tmp_path / "議程-utf8.md"
    iconv = shlex.join(["iconv", "-f", named, "-t", "UTF-8", str(agenda)])
    convert = f"{iconv} > {shlex.quote(str(fixed))}"
    assert f"\n  {convert}\n" in done.stderr
    assert not db.exists()
    # the command given, pasted into a shell, converts it into an agenda that reads
    subprocess.run(["sh", "-c", convert], check=True, timeout=30)
    assert read_agenda(fixed).title == parse_agenda(text).title


def test_an_agenda_in_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    text = agenda_template(SessionKind.SQUARE_TALK, "zh-Hant")
    agenda = tmp_path / "bom.md"
    agenda.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert read_agenda(agenda).title == "廣場夜話：加裝電梯意見徵集"


def test_argparse_speaks_the_language_too(tmp_path: Path) -> None:
    zh = facilitator("run", "--port", "abc")
    en = facilitator("minutes", "--lang", "en")
    hans = facilitator("ledger", "rate", env=ENV | {"LANG": "zh_CN.UTF-8"})
    assert zh.returncode == en.returncode == hans.returncode == 2
    assert "facilitator run：錯誤：參數 --port：'abc' 不是有效的 int 值" in zh.stderr
    assert zh.stderr.startswith("用法：facilitator run")
    assert "facilitator minutes: error: the following arguments are required: SESSION" in en.stderr
    assert "facilitator ledger rate：错误：缺少必需的参数：REF, STARS" in hans.stderr
    assert "显示这个说明并退出" in facilitator("sessions", "-h", env=ENV | {"LANG": "zh_CN"}).stdout
