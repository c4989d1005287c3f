"""Ready-to-edit agenda files for each kind of session, in each language.

The templates live next to this module as ``templates/<kind>.<lang>.md`` so that a community can
read and adapt them without touching Python. Each holds three placeholders filled here:
``{{date}}``, ``{{place}}`` and a ``{{follow_up}}`` line where last session's promises are put
first on the agenda (SCENARIOS.md, "A month later").
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files

from facilitator.agenda.model import SessionKind
from facilitator.agenda.parse import LANGS, MAX_TEXT_CHARS

FOLLOW_UP_TIME_BOX_MIN = 5

_TIME_BOX = {"zh-Hant": "（{}分鐘）", "zh-Hans": "（{}分钟）", "en": " ({} min)"}
_FOLLOW_UP_TITLE = {"zh-Hant": "上次承諾：", "zh-Hans": "上次承诺：", "en": "Promised last time: "}
_FOLLOW_UP_TEXT = {
    "zh-Hant": "負責方報告進度；已完成的事項請居民評分，未完成的說明原因並重訂期限。",
    "zh-Hans": "负责方报告进度；已完成的事项请居民评分，未完成的说明原因并重订期限。",
    "en": (
        "The owner reports progress; residents rate what was delivered, and anything unfinished "
        "gets a reason and a new deadline."
    ),
}


def valid_kinds() -> tuple[SessionKind, ...]:
    """Every kind of session a template exists for."""
    return tuple(SessionKind)


def valid_langs() -> tuple[str, ...]:
    """Every language a template exists in (the first is the default)."""
    return LANGS


def template_path(kind: SessionKind, lang: str) -> str:
    """The template's file name inside ``facilitator/agenda/templates``."""
    return f"{SessionKind(kind).value}.{lang}.md"


def agenda_template(
    kind: SessionKind,
    lang: str = "zh-Hant",
    *,
    date: dt.date | None = None,
    place: str = "",
    follow_up: tuple[str, ...] = (),
) -> str:
    """A ready-to-edit Markdown agenda for ``kind`` in ``lang``.

    ``date`` and ``place`` fill the front matter (left empty when not given). Each text in
    ``follow_up`` — what was promised at the previous session — becomes an item at the top of the
    agenda, so that the responsible party reports on it before anything new is discussed.
    Raises :class:`ValueError` for an unknown kind or language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; valid languages: {', '.join(LANGS)}")
    resource = files("facilitator.agenda") / "templates" / template_path(kind, lang)
    text = resource.read_text(encoding="utf-8")
    text = text.replace("{{date}}", date.isoformat() if date else "")
    text = text.replace("{{place}}", _one_line(place))
    text = text.replace("{{follow_up}}\n", _follow_up_items(lang, follow_up))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _follow_up_items(lang: str, follow_up: tuple[str, ...]) -> str:
    prefix, time_box = _FOLLOW_UP_TITLE[lang], _TIME_BOX[lang].format(FOLLOW_UP_TIME_BOX_MIN)
    seen: set[str] = set()
    blocks: list[str] = []
    for promise in follow_up:
        title = _one_line(prefix + _one_line(promise))
        if len(title) > MAX_TEXT_CHARS:
            title = title[: MAX_TEXT_CHARS - 1] + "…"
        if title == prefix.strip() or title.casefold() in seen:
            continue  # blank, or a promise listed twice: one item each
        seen.add(title.casefold())
        blocks.append(f"## {title}{time_box}\n\n{_FOLLOW_UP_TEXT[lang]}\n\n")
    return "".join(blocks)


def _one_line(text: str) -> str:
    """Collapse newlines and runs of spaces, so user text cannot break the Markdown structure."""
    return " ".join(text.split())
