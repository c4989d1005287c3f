"""Participant text made safe for Markdown: it reads as written and never becomes structure.

Residents type whatever they like (``|``, ``#``, ``<script>``, ``[links](x)``); in the minutes it
must stay literal text. Every ASCII character that CommonMark could read as syntax in an inline
context is backslash-escaped, newlines and runs of blanks are collapsed to one space (so a text can
never end a table row or a list item), and control characters are dropped. Characters that only
matter at the start of a block (``1.``, ``-``, ``+``, ``=``) are escaped where they could start one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Inline syntax anywhere: emphasis, code, links and images, raw HTML and entities, tables, escapes.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~]|&(?=#?\w+;))")
# Block syntax at the start of a line: lists (``-``, ``+``, ``1.``, ``1)``), setext underlines.
_LEADING_LIST = re.compile(r"^(\d{1,9})([.)])")
_LEADING_MARK = ("-", "+", "=")
_SLUG_UNSAFE = re.compile(r"[^\w]+", re.UNICODE)
SLUG_MAX = 60


def _clean(text: str) -> str:
    """Drop control and format characters; collapse all whitespace (newlines too) to one space."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    return " ".join(kept.split())


def escape_inline(text: str) -> str:
    """``text`` as literal inline Markdown: one line, every syntax character escaped."""
    cleaned = _clean(text)
    escaped = _INLINE.sub(r"\\\1", cleaned)
    match = _LEADING_LIST.match(escaped)
    if match:
        escaped = f"{match.group(1)}\\{match.group(2)}{escaped[match.end() :]}"
    elif escaped.startswith(_LEADING_MARK):
        escaped = "\\" + escaped
    return escaped


def escape_cell(text: str) -> str:
    """``text`` for a table cell: like :func:`escape_inline`; an empty cell is a single space."""
    return escape_inline(text) or " "


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table; cells must already be escaped. ``align`` holds ``l``/``r`` per column."""
    marks = [("---:" if align[i : i + 1] == "r" else "---") for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def slugify(title: str, fallback: str = "session") -> str:
    """A file-name-safe slug of ``title``: letters and digits of any script (CJK kept), joined by
    ``-``; nothing that a file system or a URL would treat specially."""
    normalized = unicodedata.normalize("NFKC", _clean(title)).casefold()
    slug = _SLUG_UNSAFE.sub("-", normalized).replace("_", "-").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)[:SLUG_MAX].strip("-")
    return slug or fallback
