"""Read a Markdown agenda file into an :class:`Agenda` (the format is described in docs/agenda.md).

The file is parsed with markdown-it-py; line numbers in errors come from its token map. Every
problem found is collected, so one :class:`AgendaErrors` tells the moderator all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from facilitator.agenda.errors import AgendaError, AgendaErrorCode, AgendaErrors
from facilitator.agenda.header import (
    CATEGORY_MAX_CHARS,
    MAX_CATEGORIES,
    QUORUM_FORMS,
    parse_quorum,
    split_categories,
)
from facilitator.agenda.model import Agenda, AgendaItemSpec, SessionKind

C = AgendaErrorCode
LANGS: tuple[str, ...] = ("zh-Hant", "zh-Hans", "en")
MAX_TEXT_CHARS = 200
MIN_TIME_BOX_S = 60
MAX_TIME_BOX_S = 8 * 3600

KEYS: tuple[str, ...] = (
    "title",
    "kind",
    "date",
    "time",
    "place",
    "moderator",
    "recorder",
    "lang",
    "quorum",
    "categories",
)
_V = TypeVar("_V")


def _aliases(table: dict[_V, str]) -> dict[str, _V]:
    return {alias: value for value, aliases in table.items() for alias in aliases.split()}


_KEY_ALIASES = _aliases(
    {
        "title": "title 標題 标题",
        "kind": "kind 類型 类型",
        "date": "date 日期",
        "time": "time start_time 時間 时间",
        "place": "place 地點 地点",
        "moderator": "moderator 主持人",
        "recorder": "recorder 記錄人 紀錄人 记录人",
        "lang": "lang 語言 语言",
        "quorum": "quorum 法定人數 法定人数",
        "categories": "categories 類別 类别 身分 身份",
    }
)
_KIND_ALIASES = _aliases(
    {
        SessionKind.SQUARE_TALK: "square_talk squaretalk 廣場夜話 广场夜话",
        SessionKind.PAVILION: "pavilion 議事亭 议事亭 議事廳 议事厅",
        SessionKind.SEVEN_PLUS_X: "seven_plus_x sevenplusx 7+x 7+x議事會 7+x议事会",
        SessionKind.CUSTOM: "custom 自訂 自定義 自定义",
    }
)
_LANG_ALIASES = _aliases(
    {
        "zh-Hant": "zh-hant zh-tw zh-hk 繁體 繁体 繁體中文",
        "zh-Hans": "zh-hans zh-cn zh-sg 簡體 简体 简体中文",
        "en": "en english 英文 英語 英语",
    }
)
_UNITS = _aliases(
    {
        3600: "h hr hrs hour hours 小時 小时 鐘頭 钟头",
        60: "m min mins minute minutes 分 分鐘 分钟",
        1: "s sec secs second seconds 秒 秒鐘 秒钟",
    }
)
_UNIT_RE = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_TERM = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT_RE})?\s*", re.IGNORECASE)
# A trailing "(...)" is read as a time box if it parses, or if it ends in a unit and so was
# surely meant as one ("(abc min)"); "(3號樓)" or "(Buildings)" stay part of the title.
_TRAILING_PARENS = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
_MEANT_AS_BOX = re.compile(rf"(?:^|[\d\s])(?:{_UNIT_RE})$|(?:小時|小时|鐘頭|钟头|分鐘|分钟)$", re.I)
_KEY_VALUE = re.compile(r"([^:：]*[^:：\s])\s*[:：](.*)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2})[:：](\d{2})")
_LEADING_BLANK_LINES = re.compile(r"\ufeff?(?:[ \t]*\r?\n)*")
_MARKDOWN = MarkdownIt("commonmark").use(front_matter_plugin)


def parse_time_box(text: str) -> int | None:
    """Seconds in a time box text such as ``15 min``, ``1h30``, ``90 s`` or ``15分鐘``.

    Returns ``None`` when ``text`` is not a duration. Units go from hours down to seconds, each at
    most once. A bare number is read as minutes only right after hours (``1h30``); alone it is
    ambiguous and refused.
    """
    text = text.strip()
    pos, total, last_factor = 0, 0.0, 0
    while pos < len(text):
        match = _TERM.match(text, pos)
        if match is None:
            return None
        if match.group(2) is not None:
            factor = _UNITS[match.group(2).lower()]
        elif last_factor == 3600 and match.end() == len(text):
            factor = 60
        else:
            return None
        if last_factor and factor >= last_factor:
            return None  # units go from hours down to seconds, each at most once
        total += float(match.group(1)) * factor
        pos, last_factor = match.end(), factor
    return round(total) if text else None


def parse_agenda(text: str, *, source: str = "<agenda>") -> Agenda:
    """Parse a Markdown agenda; raise :class:`AgendaError` or :class:`AgendaErrors` if malformed."""
    return _Parser(text, source).run()


@dataclass(slots=True)
class _ItemDraft:
    title: str
    line: int
    time_box_s: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    options: list[tuple[str, int]] = field(default_factory=list)
    list_line: int = 0


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        skipped = _LEADING_BLANK_LINES.match(text)
        assert skipped is not None  # the pattern matches the empty string
        # markdown-it wants front matter on the very first line; blank lines above it are harmless.
        self.body = text[skipped.end() :]
        self.offset = skipped.group().count("\n")
        # Split as markdown-it does: str.splitlines() would also split at U+2028, form feeds...
        self.lines = self.body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.source = source
        self.errors: list[AgendaError] = []

    def error(self, code: AgendaErrorCode, line: int | None, **params: object) -> None:
        self.errors.append(AgendaError(code, line=line, source=self.source, **params))

    def line_of(self, node: SyntaxTreeNode) -> int:
        return (node.map[0] if node.map else 0) + 1 + self.offset

    def run(self) -> Agenda:
        root = SyntaxTreeNode(_MARKDOWN.parse(self.body))
        nodes = list(root.children)
        front = nodes.pop(0) if nodes and nodes[0].type == "front_matter" else None
        fields = self.front_matter(front)
        h1_title, h1_line, drafts = "", 0, list[_ItemDraft]()
        for node in nodes:
            if node.type == "heading" and node.tag == "h1":
                if h1_line:
                    self.error(C.EXTRA_TITLE_HEADING, self.line_of(node), first=h1_line)
                else:
                    h1_title, h1_line = node.children[0].content.strip(), self.line_of(node)
            elif node.type == "heading" and node.tag == "h2":
                drafts.append(self.start_item(node))
            elif drafts:
                self.add_to_item(drafts[-1], node)
        title, title_line = fields.pop("title", ("", 1 + self.offset))
        if not title and h1_title:
            title, title_line = h1_title, h1_line
        if len(title) > MAX_TEXT_CHARS:
            self.error(C.TITLE_TOO_LONG, title_line, length=len(title), limit=MAX_TEXT_CHARS)
        unterminated = front is None and self.body.partition("\n")[0].rstrip() == "---"
        if unterminated:
            self.error(C.UNTERMINATED_FRONT_MATTER, 1 + self.offset)
        elif not title:
            code = C.NO_TITLE if front is not None else C.MISSING_FRONT_MATTER
            self.error(code, title_line)
        agenda = self.header(fields, title, self.finish_items(drafts))
        if len(self.errors) > 1:
            raise AgendaErrors(self.errors)
        if self.errors:
            raise self.errors[0]
        return agenda

    def front_matter(self, node: SyntaxTreeNode | None) -> dict[str, tuple[str, int]]:
        fields: dict[str, tuple[str, int]] = {}
        if node is None:
            return fields
        for number, raw in enumerate(node.content.split("\n"), start=self.line_of(node) + 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = _KEY_VALUE.fullmatch(line)
            if match is None:
                self.error(C.BAD_FRONT_MATTER_LINE, number, text=line)
                continue
            key, value = match.group(1).strip(), match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1].strip()
            canonical = _KEY_ALIASES.get(key.lower())
            if canonical is None:
                self.error(C.UNKNOWN_KEY, number, key=key, valid=", ".join(KEYS))
            elif canonical in fields:
                self.error(C.DUPLICATE_KEY, number, key=key, first=fields[canonical][1])
            else:
                fields[canonical] = (value, number)
        return fields

    def start_item(self, node: SyntaxTreeNode) -> _ItemDraft:
        line = self.line_of(node)
        title = node.children[0].content.strip() if node.children else ""
        box = _TRAILING_PARENS.search(title)
        if box is None:
            return _ItemDraft(title, line)
        seconds = parse_time_box(box.group(1))
        if seconds is None and not _MEANT_AS_BOX.search(box.group(1).strip()):
            return _ItemDraft(title, line)
        text = box.group().strip()
        if seconds is None:
            self.error(C.BAD_TIME_BOX, line, text=text)
        elif not MIN_TIME_BOX_S <= seconds <= MAX_TIME_BOX_S:
            self.error(C.TIME_BOX_OUT_OF_RANGE, line, text=text)
            seconds = None
        return _ItemDraft(title[: box.start()].rstrip(), line, seconds)

    def add_to_item(self, draft: _ItemDraft, node: SyntaxTreeNode) -> None:
        if node.type in ("bullet_list", "ordered_list"):
            draft.list_line = draft.list_line or self.line_of(node)
            for item in node.children:
                self.add_option(draft, item)
        elif node.type == "paragraph":
            draft.paragraphs.append(node.children[0].content)
        elif not (node.type == "html_block" and node.content.lstrip().startswith("<!--")):
            # Headings below ##, quotes, code: kept as typed. HTML comments are notes to self.
            draft.paragraphs.append(self.source_text(node))

    def add_option(self, draft: _ItemDraft, item: SyntaxTreeNode) -> None:
        parts: list[str] = []
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                self.error(C.NESTED_LIST, self.line_of(child))
            elif child.type == "paragraph":
                parts.append(" ".join(s.strip() for s in child.children[0].content.splitlines()))
            else:
                parts.append(self.source_text(child).strip())
        draft.options.append((" ".join(part for part in parts if part), self.line_of(item)))

    def source_text(self, node: SyntaxTreeNode) -> str:
        start, end = node.map if node.map else (0, 0)
        return "\n".join(self.lines[start:end]).strip("\n").rstrip()

    def finish_items(self, drafts: list[_ItemDraft]) -> tuple[AgendaItemSpec, ...]:
        if not drafts:
            self.error(C.NO_ITEMS, len(self.body.rstrip("\n").split("\n")) + self.offset)
        seen: dict[str, int] = {}
        items: list[AgendaItemSpec] = []
        for draft in drafts:
            title, line = draft.title, draft.line
            if not title:
                self.error(C.EMPTY_ITEM_TITLE, line)
            elif len(title) > MAX_TEXT_CHARS:
                self.error(C.ITEM_TITLE_TOO_LONG, line, length=len(title), limit=MAX_TEXT_CHARS)
            elif _fold(title) in seen:
                self.error(C.DUPLICATE_ITEM_TITLE, line, title=title, first=seen[_fold(title)])
            seen.setdefault(_fold(title), line)
            description = "\n\n".join(draft.paragraphs)
            options = self.check_options(draft)
            items.append(AgendaItemSpec(title, draft.time_box_s, description, options, line))
        return tuple(items)

    def check_options(self, draft: _ItemDraft) -> tuple[str, ...]:
        seen: dict[str, int] = {}
        for text, line in draft.options:
            if not text:
                self.error(C.EMPTY_OPTION, line)
            elif len(text) > MAX_TEXT_CHARS:
                self.error(C.OPTION_TOO_LONG, line, length=len(text), limit=MAX_TEXT_CHARS)
            elif _fold(text) in seen:
                self.error(C.DUPLICATE_OPTION, line, option=text, first=seen[_fold(text)])
            else:
                seen[_fold(text)] = line
        if len(draft.options) == 1:
            self.error(C.SINGLE_OPTION, draft.list_line, option=draft.options[0][0])
        return tuple(text for text, _ in draft.options)

    def header(
        self, fields: dict[str, tuple[str, int]], title: str, items: tuple[AgendaItemSpec, ...]
    ) -> Agenda:
        values: dict[str, Any] = {key: fields[key][0] for key in _TEXT_KEYS if key in fields}
        for key, (attribute, code, valid) in _TYPED_KEYS.items():
            value, line = fields.get(key, ("", 0))
            converted = _convert(key, value) if value else None
            if converted is not None:
                values[attribute] = converted
            elif value:
                self.error(code, line, value=value, valid=valid)
        if fields.get("quorum", ("", 0))[0]:
            value, line = fields["quorum"]
            quorum = parse_quorum(value)
            if quorum is None:
                self.error(C.BAD_QUORUM, line, value=value, valid=QUORUM_FORMS)
            else:
                values["quorum"] = quorum
        if "categories" in fields:
            values["categories"] = self.categories(*fields["categories"])
        return Agenda(title=title, items=items, **values)

    def categories(self, value: str, line: int) -> tuple[str, ...]:
        names = split_categories(value)
        seen: set[str] = set()
        for name in names:
            if len(name) > CATEGORY_MAX_CHARS:
                self.error(
                    C.CATEGORY_TOO_LONG,
                    line,
                    category=name,
                    length=len(name),
                    limit=CATEGORY_MAX_CHARS,
                )
            elif _fold(name) in seen:
                self.error(C.DUPLICATE_CATEGORY, line, category=name)
            seen.add(_fold(name))
        if len(names) > MAX_CATEGORIES:
            self.error(C.TOO_MANY_CATEGORIES, line, count=len(names), limit=MAX_CATEGORIES)
        return tuple(names)


_TEXT_KEYS = ("place", "moderator", "recorder")


_TYPED_KEYS: dict[str, tuple[str, AgendaErrorCode, str]] = {
    "kind": ("kind", C.UNKNOWN_KIND, ", ".join(SessionKind)),
    "date": ("date", C.BAD_DATE, "YYYY-MM-DD"),
    "time": ("start_time", C.BAD_TIME, "HH:MM"),
    "lang": ("lang", C.BAD_LANG, ", ".join(LANGS)),
}


def _convert(key: str, value: str) -> Any:
    """The typed value of front matter ``key``, or None when ``value`` is not valid for it."""
    if key == "kind":
        norm = re.sub(r"[\s\-]+", "_", value.lower())
        return _KIND_ALIASES.get(norm) or _KIND_ALIASES.get(norm.replace("_", ""))
    if key == "lang":
        return _LANG_ALIASES.get(value.lower().replace("_", "-"))
    try:
        if key == "date":
            return dt.date.fromisoformat(value) if _DATE.fullmatch(value) else None
        clock = _TIME.fullmatch(value)
        return dt.time(int(clock[1]), int(clock[2])) if clock else None
    except ValueError:  # 2026-02-30, 24:00
        return None


def _fold(text: str) -> str:
    """Compare titles and options ignoring case and runs of spaces."""
    return " ".join(text.casefold().split())
