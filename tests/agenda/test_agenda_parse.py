"""Well-formed agendas: what the moderator writes is what the session gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from textwrap import dedent

import pytest

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind, parse_agenda, parse_time_box

LIFTS = dedent(
    """\
    ---
    title: 廣場夜話：加裝電梯意見徵集
    kind: square_talk
    date: 2026-03-14
    time: 19:30
    place: 和平里社區廣場
    moderator: 小李
    recorder: 王姐
    lang: zh-Hant
    ---

    ## 主題說明（10分鐘）

    設計院工程師介紹 **加裝電梯** 的
    政策和費用。

    另請物業說明施工安排。

    ## 居民訴求 (30 min)

    ## 意向表決（15分钟）

    按樓棟統計。

    - 贊成加裝電梯
    - 反對加裝電梯
    - 需要更多資料再決定
    """
)


def test_front_matter_and_items() -> None:
    agenda = parse_agenda(LIFTS, source="lifts.md")
    assert agenda == Agenda(
        title="廣場夜話：加裝電梯意見徵集",
        kind=SessionKind.SQUARE_TALK,
        date=dt.date(2026, 3, 14),
        start_time=dt.time(19, 30),
        place="和平里社區廣場",
        moderator="小李",
        recorder="王姐",
        lang="zh-Hant",
        items=(
            AgendaItemSpec(
                title="主題說明",
                time_box_s=600,
                description=(
                    "設計院工程師介紹 **加裝電梯** 的\n政策和費用。\n\n另請物業說明施工安排。"
                ),
                line=12,
            ),
            AgendaItemSpec(title="居民訴求", time_box_s=1800, line=19),
            AgendaItemSpec(
                title="意向表決",
                time_box_s=900,
                description="按樓棟統計。",
                options=("贊成加裝電梯", "反對加裝電梯", "需要更多資料再決定"),
                line=21,
            ),
        ),
    )


def test_chinese_keys_full_width_colons_and_aliases() -> None:
    text = "---\n標題：議事亭\n类型: 議事亭\n日期: 2026-04-01\n時間：09:05\n地點: 金苑\n"
    text += "主持人: 張\n记录人: 李\n語言: 简体\n---\n## 問題說明\n"
    agenda = parse_agenda(text)
    assert (agenda.title, agenda.kind, agenda.date) == ("議事亭", "pavilion", dt.date(2026, 4, 1))
    assert (agenda.start_time, agenda.place, agenda.lang) == (dt.time(9, 5), "金苑", "zh-Hans")
    assert (agenda.moderator, agenda.recorder) == ("張", "李")


def test_defaults_comments_quotes_and_empty_values() -> None:
    text = "---\n# a comment\n\ntitle: 'Quoted: title'\ndate:\nplace: \n---\n## One\n"
    agenda = parse_agenda(text)
    assert agenda.title == "Quoted: title"
    assert (agenda.kind, agenda.lang, agenda.date, agenda.place) == ("custom", "zh-Hant", None, "")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("SQUARE_TALK", "square_talk"),
        ("seven-plus-x", "seven_plus_x"),
        ("7+X 議事會", "seven_plus_x"),
    ],
)
def test_kind_spellings(value: str, kind: str) -> None:
    assert parse_agenda(f"---\ntitle: t\nkind: {value}\n---\n## a\n").kind == kind


def test_h1_supplies_the_title_without_front_matter() -> None:
    agenda = parse_agenda("# 樓道清理\n\nIntro for the moderator.\n\n## 分工 (10 min)\n")
    assert agenda.title == "樓道清理"
    assert agenda.items == (AgendaItemSpec(title="分工", time_box_s=600, line=5),)


def test_front_matter_title_wins_over_h1() -> None:
    agenda = parse_agenda("---\ntitle: From front matter\n---\n# From heading\n## a\n")
    assert agenda.title == "From front matter"


def test_leading_blank_lines_keep_line_numbers() -> None:
    agenda = parse_agenda("\n\n---\ntitle: t\n---\n\n## a\n")
    assert agenda.items[0].line == 7


def test_ordered_lists_comments_and_other_blocks() -> None:
    text = "# T\n## Vote\n\n<!-- note to self -->\n\n### Detail\n\n> quoted\n\n1. Yes\n2. No\n"
    (item,) = parse_agenda(text).items
    assert item.options == ("Yes", "No")
    assert item.description == "### Detail\n\n> quoted"


def test_lists_split_by_markers_are_one_set_of_options() -> None:
    (item,) = parse_agenda("# T\n## Vote\n- A\n- B\n* C\n").items
    assert item.options == ("A", "B", "C")


def test_parentheses_that_are_not_a_time_box_stay_in_the_title() -> None:
    text = "# T\n## Lifts (Buildings)\n## 採光（3號樓）\n## Count (15)\n## Admin (admin)\n"
    titles = [item.title for item in parse_agenda(text).items]
    assert titles == ["Lifts (Buildings)", "採光（3號樓）", "Count (15)", "Admin (admin)"]
    assert all(item.time_box_s is None for item in parse_agenda(text).items)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("15 min", 900),
        ("15分鐘", 900),
        ("15分钟", 900),
        ("15分", 900),
        ("1 h", 3600),
        ("90 s", 90),
        ("1h30", 5400),
        ("1h30m", 5400),
        ("1 hour 30 minutes", 5400),
        ("1小時30分鐘", 5400),
        ("1.5 h", 5400),
        ("2 MIN", 120),
        ("45秒", 45),
    ],
)
def test_time_box_syntaxes(text: str, seconds: int) -> None:
    assert parse_time_box(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "abc min", "15 mint", "min 15", "1h30h5"])
def test_not_a_time_box(text: str) -> None:
    assert parse_time_box(text) is None


@pytest.mark.parametrize(
    "heading", ["## a (15 min)", "## a（15分鐘）", "## a(15 min)", "## a （15 min)"]
)
def test_time_box_in_ascii_and_full_width_brackets(heading: str) -> None:
    (item,) = parse_agenda(f"# T\n{heading}\n").items
    assert (item.title, item.time_box_s) == ("a", 900)


def test_time_box_bounds_are_inclusive() -> None:
    items = parse_agenda("# T\n## a (1 min)\n## b (8 h)\n").items
    assert [item.time_box_s for item in items] == [60, 8 * 3600]


def test_crlf_line_endings() -> None:
    agenda = parse_agenda("---\r\ntitle: t\r\n---\r\n## a (2 min)\r\n- x\r\n- y\r\n")
    assert agenda.items == (AgendaItemSpec("a", 120, "", ("x", "y"), 4),)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "agenda.md"


def test_the_documented_example_parses_as_described() -> None:
    example = DOCS.read_text(encoding="utf-8").split("```markdown\n")[1].split("```")[0]
    agenda = parse_agenda(example, source="docs/agenda.md")
    assert [len(item.options) for item in agenda.items] == [0, 0, 3, 0, 0]
    assert [item.time_box_s for item in agenda.items] == [600, 1800, 900, 600, 300]
    assert agenda.quorum.rule.value == "present_majority"
    assert agenda.categories == ("居民", "黨員", "社區兩委", "物業", "網格員")


def test_every_documented_time_box_form_reads_as_documented() -> None:
    rows = DOCS.read_text(encoding="utf-8").splitlines()
    table = [row for row in rows if row[:4] in ("| `(", "| `（") and row.rstrip(" |")[-1].isdigit()]
    assert len(table) == 5
    for row in table:
        written, seconds = row.strip("| ").rsplit("|", 1)
        for form in written.split("`")[1::2]:
            assert parse_time_box(form.strip("()（）")) == int(seconds), form


def test_unusual_line_separators_do_not_shift_the_source_text() -> None:
    text = "# T\n## a\n\nline\u2028same line\x0cstill\n\n### kept\n"
    (item,) = parse_agenda(text).items
    assert item.description == "line\u2028same line\x0cstill\n\n### kept"


def test_full_width_digits_from_chinese_input_methods() -> None:
    (item,) = parse_agenda("# T\n## a（１５分鐘）\n").items
    assert item.time_box_s == 900
