"""Property: any agenda rendered to Markdown parses back to the same items."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.agenda import AgendaItemSpec, SessionKind, parse_agenda, valid_langs

pytestmark = pytest.mark.slow

# Letters and digits of every script (Chinese included) joined by single spaces: no Markdown
# syntax can appear, so whatever the parser returns must be exactly what was written.
WORD = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class TimeBox:
    seconds: int
    written: str


@st.composite
def time_boxes(draw: st.DrawFn) -> TimeBox:
    minutes = draw(st.integers(1, 8 * 60))
    style = draw(st.sampled_from(["min", "分鐘", "分钟", "s", "h", "hm"]))
    if style == "s":
        seconds = draw(st.integers(60, 8 * 3600))
        return TimeBox(seconds, f" ({seconds} s)")
    if style == "h" or (style == "hm" and minutes % 60 == 0):
        hours = max(1, minutes // 60)
        return TimeBox(hours * 3600, f" ({hours} h)")
    if style == "hm" and minutes > 60:
        return TimeBox(minutes * 60, f" ({minutes // 60}h{minutes % 60})")
    if style in ("分鐘", "分钟"):
        return TimeBox(minutes * 60, f"（{minutes}{style}）")
    return TimeBox(minutes * 60, f" ({minutes} min)")


@st.composite
def items(draw: st.DrawFn, title: str) -> tuple[AgendaItemSpec, str]:
    box = draw(st.none() | time_boxes())
    paragraphs = draw(st.lists(TEXT, max_size=2))
    options = draw(st.none() | st.lists(TEXT, min_size=2, max_size=5, unique_by=fold))
    marker = draw(st.sampled_from(["-", "*", "1."]))
    markdown = [f"## {title}{box.written if box else ''}", *paragraphs]
    if options:
        markdown.append("\n".join(f"{marker} {option}" for option in options))
    spec = AgendaItemSpec(
        title=title,
        time_box_s=box.seconds if box else None,
        description="\n\n".join(paragraphs),
        options=tuple(options or ()),
    )
    return spec, "\n\n".join(markdown)


@st.composite
def agendas(draw: st.DrawFn) -> tuple[tuple[AgendaItemSpec, ...], str, SessionKind, str]:
    titles = draw(st.lists(TEXT, min_size=1, max_size=6, unique_by=fold))
    kind = draw(st.sampled_from(list(SessionKind)))
    lang = draw(st.sampled_from(valid_langs()))
    drawn = [draw(items(title)) for title in titles]
    head = f"---\ntitle: {draw(TEXT)}\nkind: {kind}\nlang: {lang}\n---\n"
    return tuple(spec for spec, _ in drawn), head + "\n\n".join(md for _, md in drawn), kind, lang


@settings(max_examples=150, deadline=None)
@given(agendas())
def test_rendered_agenda_parses_back(
    case: tuple[tuple[AgendaItemSpec, ...], str, SessionKind, str],
) -> None:
    specs, markdown, kind, lang = case
    agenda = parse_agenda(markdown)
    assert (agenda.kind, agenda.lang) == (kind, lang)
    assert [(i.title, i.time_box_s, i.description, i.options) for i in agenda.items] == [
        (s.title, s.time_box_s, s.description, s.options) for s in specs
    ]
    lines = markdown.splitlines()
    assert all(lines[item.line - 1].startswith(f"## {item.title}") for item in agenda.items)
