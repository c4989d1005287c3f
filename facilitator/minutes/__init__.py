"""Minutes (會議紀要): a pure function of a session's events, as Markdown and as an HTML page."""

from facilitator.minutes.escape import escape_cell, escape_inline, slugify
from facilitator.minutes.html import markdown_page, minutes_html
from facilitator.minutes.render import render_minutes

__all__ = [
    "escape_cell",
    "escape_inline",
    "markdown_page",
    "minutes_html",
    "render_minutes",
    "slugify",
]
