"""Markdown minutes (or a report) -> one standalone HTML page, ready to publish and to print.

markdown-it-py renders with raw HTML off (``{"html": False}``) and only tables enabled, so nothing
a participant typed can become markup or a link. The page carries its own CSS (screen, print, and a
large-print variant for elderly readers) and, after each poll's results table, an inline SVG bar
chart built from the numbers (see :mod:`facilitator.minutes.chart`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from facilitator.minutes.chart import bar_chart
from facilitator.minutes.facts import gather
from facilitator.minutes.polls import bars, charted
from facilitator.minutes.render import minutes_from_facts
from facilitator.session.events import Event

_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --rule: #c8c8c8; --win: #0b4a8b; --bar: #8a95a3; }
* { box-sizing: border-box; }
body { margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: var(--ink); font-size: 16px;
  line-height: 1.6; font-family: "Noto Sans TC", "Noto Sans SC", "PingFang TC",
  "Microsoft JhengHei", system-ui, sans-serif; }
h1 { font-size: 1.7em; border-bottom: 2px solid var(--ink); padding-bottom: .3em; }
h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.15em; margin-top: 1.6em; }
h4 { font-size: 1em; margin-bottom: .3em; }
table { border-collapse: collapse; margin: .6em 0 1em; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .3em .55em; vertical-align: top; }
th { background: #f2f2f2; text-align: left; white-space: nowrap; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; white-space: nowrap; }
.chart svg { max-width: 100%; height: auto; font-size: 14px; }
.chart .bar { fill: var(--bar); } .chart .bar.win { fill: var(--win); }
.chart .win-label { font-weight: bold; }
hr { border: 0; border-top: 1px solid var(--rule); margin-top: 2.5em; }
body.large { font-size: 22px; line-height: 1.75; max-width: 60rem; }
body.large .chart svg { font-size: 18px; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  body.large { font-size: 15pt; }
  h2, h3, h4 { break-after: avoid; }
  table, figure, li { break-inside: avoid; }
  th { background: none; }
}
"""


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_page(
    markdown: str,
    *,
    title: str,
    lang: str,
    large_print: bool = False,
    charts: Sequence[str] = (),
    chart_marker: str = "",
) -> str:
    """A standalone HTML page of ``markdown``.

    ``charts`` (ready SVG) are placed one after each table whose first header cell reads
    ``chart_marker``, in order. ``title`` is plain text (escaped here).
    """
    parser = _parser()
    tokens = parser.parse(markdown)
    if charts:
        tokens = _with_charts(tokens, list(charts), chart_marker)
    body = parser.renderer.render(tokens, parser.options, {})
    css_class = ' class="large"' if large_print else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body{css_class}>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _with_charts(tokens: list[Token], charts: list[str], marker: str) -> list[Token]:
    out: list[Token] = []
    in_poll_table = False
    for index, token in enumerate(tokens):
        out.append(token)
        if token.type == "table_open":
            first_cell = tokens[index + 4] if index + 4 < len(tokens) else None
            in_poll_table = first_cell is not None and first_cell.content == marker
        elif token.type == "table_close" and in_poll_table and charts:
            out.append(Token("html_block", "", 0, content=charts.pop(0), block=True))
            in_poll_table = False
    return out


def minutes_html(events: Sequence[Event], lang: str, *, large_print: bool = False) -> str:
    """The minutes of a session as a standalone HTML page, with a bar chart per poll."""
    facts = gather(events, lang)
    markdown = minutes_from_facts(facts)
    title = facts.tr("minutes.title", title=facts.state.title)
    return markdown_page(
        markdown,
        title=title,
        lang=facts.lang,
        large_print=large_print,
        charts=[bar_chart(bars(facts, poll)) for poll in charted(facts)],
        chart_marker=facts.tr("minutes.col.option"),
    )
