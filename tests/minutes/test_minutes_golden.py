"""Golden minutes of a 廣場夜話 and a 議事亭 (zh-Hant and en), checked byte for byte and parsed
back with markdown-it-py for their structure. Regenerate with ``UPDATE_GOLDEN=1``."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from facilitator.minutes import minutes_html, render_minutes
from tests.minutes.minutes_kit import Script, square_talk
from tests.minutes.pavilion_kit import pavilion

GOLDEN = Path(__file__).parent / "golden"
CASES: dict[str, Callable[[], Script]] = {"square_talk": square_talk, "pavilion": pavilion}


def _parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)


def _headings(tokens: list[Token], level: int) -> list[str]:
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


def _tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell texts (the header row first)."""
    tables: list[list[list[str]]] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            tables[-1].append([])
        elif t.type in ("th_open", "td_open"):
            tables[-1][-1].append(tokens[i + 1].content.replace("**", ""))
    return tables


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, lang: str) -> None:
    text = render_minutes(CASES[case]().log, lang)
    path = GOLDEN / f"{case}.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_square_talk_structure() -> None:
    tokens = _parse(render_minutes(square_talk().log, "zh-Hant"))
    assert _headings(tokens, 1) == ["廣場夜話：加裝電梯意見徵集會議紀要"]
    assert _headings(tokens, 2) == [
        "出席情況",
        "會前收集的訴求",
        "議程",
        "決議",
        "整改事項",
        "議事記錄（篩選與合併）",
        "滿意度評價",
    ]
    assert _headings(tokens, 3)[:2] == ["第1項：主題說明", "第2項：居民訴求"]
    tables = _tables(tokens)
    poll = next(t for t in tables if t[0][0] == "選項")
    assert poll[1:] == [
        ["贊成", "4", "21", "0", "25"],
        ["反對", "1", "9", "0", "10"],
        ["棄權", "1", "7", "0", "8"],
    ]
    issues = next(t for t in tables if t[0][1] == "訴求" and len(t) == 4)
    assert issues[1][:3] == ["#2", "費用怎麼分攤（含合併的#3）", "5"]  # 2 + 2 supporters + merged
    actions = next(t for t in tables if t[0][0] == "序號" and t[0][1] == "事項")
    assert [row[1] for row in actions[1:]] == [
        "出具1號樓採光評估",
        "召開3號樓業主分攤協商會",
        "修復廣場路燈",
    ]
    assert actions[2][3] == "趙先生"  # the claimer became the owner
    stars = next(t for t in tables if t[0] == ["評分", "人數"])
    assert [row[1] for row in stars[1:]] == ["2", "1", "1", "0", "0"]


def test_pavilion_structure_in_english() -> None:
    text = render_minutes(pavilion().log, "en")
    tokens = _parse(text)
    assert "Not reached: carried over to the next session" in _headings(tokens, 2)
    poll = next(t for t in _tables(tokens) if t[0][0] == "Option")
    assert [row[0] for row in poll[1:]] == ["沿外牆敷設", "埋地敷設", "暫緩施工"]
    assert [row[3] for row in poll[1:]] == ["1", "0", "0"]  # the assisted ballot
    assert "居民代表楊婆婆's ballot was cast for them by 何主任" in text
    assert "At least 2/3 of the roster present, 8 required" in text
    assert "**Decision: Passed: “沿外牆敷設” chosen**" in text
    assert "On the list but absent: 律師唐律師" in text


def test_same_log_same_bytes() -> None:
    first, second = square_talk().log, square_talk().log
    for lang in ("zh-Hant", "zh-Hans", "en"):
        assert render_minutes(first, lang).encode() == render_minutes(second, lang).encode()
        assert minutes_html(first, lang) == minutes_html(second, lang)


def test_html_page_has_print_css_large_print_and_one_chart_per_poll() -> None:
    log = square_talk().log
    page = minutes_html(log, "zh-Hant")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-Hant">' in page
    assert "@media print" in page and "body.large" in page
    assert page.count("<svg") == 2 and page.count('class="bar win"') == 1  # a tie has no winner
    assert page.index("<svg") > page.index("<th>選項</th>")
    assert '<body class="large">' in minutes_html(log, "zh-Hant", large_print=True)
    assert minutes_html(pavilion().log, "en").count("<svg") == 1


def test_the_chosen_bar_is_not_red_and_short_headers_do_not_wrap() -> None:
    page = minutes_html(pavilion().log, "zh-Hant")
    css = page[page.index("<style>") : page.index("</style>")]
    win = re.search(r"\.bar\.win \{ fill: var\(--win\); \}", css)
    colour = re.search(r"--win: #([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})", css)
    assert win and colour
    red, green, blue = (int(x, 16) for x in colour.groups())
    assert blue > red and not (red > 2 * max(green, blue))  # blue, not a "rejected" red
    assert re.search(r"th \{[^}]*white-space: nowrap", css)
