"""Participant text full of Markdown and HTML stays literal text, in the Markdown and the HTML."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.minutes import escape_cell, escape_inline, minutes_html, render_minutes, slugify
from facilitator.session import commands as c
from facilitator.session.values import IssueSource, PollKind, Stance
from tests.minutes.minutes_kit import TZ, Script

NASTY = [
    "| a | b |\n|---|---|\n| c | d |",
    "# heading <script>alert(1)</script>",
    "[click](http://evil.example) ![img](x.png) <http://evil.example>",
    "**bold** _it_ `code` ~~s~~ &lt;b&gt; &amp;",
    "1. list\n- item\n> quote\n---",
    "<img src=x onerror=alert(1)>",
]
MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def _session() -> Script:
    s = Script(dt.datetime(2026, 5, 1, 19, 0, tzinfo=TZ))
    s.run(
        c.CreateSession,
        session_id="s-x",
        kind=SessionKind.CUSTOM,
        title="<b>夜話</b> | # [x](y)",
        join_code="XSS001",
        numeric_code="9999",
        place="<script>place</script>",
        items=(AgendaItemSpec("## item | <i>", 600),),
        item_ids=("a1",),
    )
    s.run(c.OpenSession)
    s.run(
        c.JoinSession,
        participant_id="p1",
        device_key="d1",
        display_name="<b>Bob</b>|#",
        building="[b](c)",
    )
    s.run(c.StartItem, item_id="a1")
    for n, text in enumerate(NASTY):
        s.run(
            c.RaiseIssue, issue_id=f"i{n}", text=text, source=IssueSource.PHONE, participant_id="p1"
        )
    s.run(c.RecordOpinion, opinion_id="o1", stance=Stance.FOR, text=NASTY[2], speaker="<u>me</u>")
    s.run(
        c.OpenPoll,
        poll_id="v1",
        question=NASTY[1],
        kind=PollKind.SINGLE,
        options=("<script>a</script>", "| b |"),
    )
    s.run(c.CastBallot, poll_id="v1", participant_id="p1", choices=("| b |",))
    s.run(c.ClosePoll, poll_id="v1")
    s.run(c.AddActionItem, action_id="x1", title=NASTY[0], measures=NASTY[3], owner="[o](p)")
    s.run(c.OpenRating)
    s.run(c.RateSession, participant_id="p1", stars=4, comment=NASTY[5])
    s.run(c.CloseSession)
    return s


def test_markdown_structure_is_not_changed_by_participant_text() -> None:
    text = render_minutes(_session().log, "en")
    tokens = MD.parse(text)
    kinds = {t.type for t in tokens}
    assert "html_block" not in kinds and "html_inline" not in kinds
    assert not any(t.type in {"link_open", "image"} for t in MD.parse(text))
    inline = [child.type for t in tokens if t.children for child in t.children]
    assert "link_open" not in inline and "image" not in inline and "html_inline" not in inline
    h1 = [t for t in tokens if t.type == "heading_open" and t.tag == "h1"]
    assert len(h1) == 1
    issue_table = next(
        tokens[i + 1 :]
        for i, t in enumerate(tokens)
        if t.type == "table_open" and tokens[i + 4].content == "No."
    )
    rows = sum(
        1
        for t in issue_table[: [t.type for t in issue_table].index("table_close")]
        if t.type == "tr_open"
    )
    assert rows == 1 + len(NASTY)  # one row per issue: nobody added rows or columns


def test_html_shows_the_text_literally() -> None:
    page = minutes_html(_session().log, "en")
    body = page[page.index("<main>") :]
    assert "<script" not in body and "<img" not in body and "<b>" not in body
    assert "<a " not in body and "<i>" not in body and "<u>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "[click](http://evil.example)" in body
    assert "![img](x.png)" in body
    assert "&amp;lt;b&amp;gt;" in body  # an entity typed by a resident is shown as typed
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    svg = re.findall(r"<svg.*?</svg>", body)
    assert len(svg) == 1 and "&lt;script&gt;a&lt;/script&gt;" in svg[0]


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co")),
        max_size=60,
    )
)
def test_any_text_is_one_literal_paragraph(text: str) -> None:
    rendered = MD.parse(f"Intro: {escape_inline(text)}")
    assert [t.type for t in rendered] == ["paragraph_open", "inline", "paragraph_close"]
    children = rendered[1].children or []
    assert {ch.type for ch in children} <= {"text", "softbreak"}
    plain = "".join(ch.content for ch in children)
    assert plain == ("Intro: " + " ".join(text.split())).rstrip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_stays_in_its_cell(text: str) -> None:
    tokens = MD.parse(f"| a | b |\n| --- | --- |\n| {escape_cell(text)} | x |\n")
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2


def test_slugs_keep_cjk_and_drop_unsafe_characters() -> None:
    assert slugify("廣場夜話：加裝電梯 / ../etc") == "廣場夜話-加裝電梯-etc"
    assert slugify("<>:*?|") == "session"
    assert "/" not in slugify("a/b\\c") and "\\" not in slugify("a/b\\c")
