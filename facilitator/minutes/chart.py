"""A simple horizontal bar chart of a poll's totals, as inline SVG for the HTML minutes.

The SVG is built here from numbers and escaped labels only; no participant text reaches it
unescaped, so it is safe to place in the page as it is.
"""

from __future__ import annotations

from html import escape

from facilitator.minutes.polls import Bars

LABEL_MAX = 24
ROW = 30
LABEL_W = 200
BAR_W = 300
COUNT_W = 60


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def bar_chart(bars: Bars) -> str:
    """An ``<svg>`` element: one bar per option, the chosen option's bar in the accent blue and
    its label bold (red would read as "rejected"), with each count and its share of voters."""
    top = max(bars.counts, default=0) or 1
    width = LABEL_W + BAR_W + COUNT_W
    height = ROW * len(bars.labels) + 10
    title = escape(bars.title)
    parts = [
        f'<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-label="{title}">',
        f"<title>{title}</title>",
    ]
    for row, (label, count) in enumerate(zip(bars.labels, bars.counts, strict=True)):
        y = 5 + row * ROW
        length = round(BAR_W * count / top)
        win = row == bars.winner
        css = "bar win" if win else "bar"
        text_css = ' class="win-label"' if win else ""
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 20}" text-anchor="end"{text_css}>'
            f"{escape(_short(label))}</text>"
            f'<rect class="{css}" x="{LABEL_W}" y="{y + 4}" width="{length}" height="{ROW - 8}"/>'
            f'<text x="{LABEL_W + length + 6}" y="{y + 20}">{count}</text>'
        )
    parts.append("</svg></figure>")
    return "".join(parts) + "\n"
