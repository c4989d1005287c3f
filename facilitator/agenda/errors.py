"""The agenda format's one error family.

A malformed agenda file raises :class:`AgendaError` (one problem) or :class:`AgendaErrors` (several,
all collected in one pass so the moderator fixes everything at once). The ``code`` is a stable
string the console and the i18n catalog translate; ``message`` is an English sentence; ``params``
fill the placeholders of a translated message; ``line`` is 1-based in the agenda file.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class AgendaErrorCode(StrEnum):
    """Stable codes of every way an agenda file can be malformed."""

    MISSING_FRONT_MATTER = "agenda.missing_front_matter"
    UNTERMINATED_FRONT_MATTER = "agenda.unterminated_front_matter"
    BAD_FRONT_MATTER_LINE = "agenda.bad_front_matter_line"
    UNKNOWN_KEY = "agenda.unknown_key"
    DUPLICATE_KEY = "agenda.duplicate_key"
    UNKNOWN_KIND = "agenda.unknown_kind"
    BAD_DATE = "agenda.bad_date"
    BAD_TIME = "agenda.bad_time"
    BAD_LANG = "agenda.bad_lang"
    NO_TITLE = "agenda.no_title"
    TITLE_TOO_LONG = "agenda.title_too_long"
    EXTRA_TITLE_HEADING = "agenda.extra_title_heading"
    NO_ITEMS = "agenda.no_items"
    EMPTY_ITEM_TITLE = "agenda.empty_item_title"
    ITEM_TITLE_TOO_LONG = "agenda.item_title_too_long"
    DUPLICATE_ITEM_TITLE = "agenda.duplicate_item_title"
    BAD_TIME_BOX = "agenda.bad_time_box"
    TIME_BOX_OUT_OF_RANGE = "agenda.time_box_out_of_range"
    SINGLE_OPTION = "agenda.single_option"
    EMPTY_OPTION = "agenda.empty_option"
    DUPLICATE_OPTION = "agenda.duplicate_option"
    OPTION_TOO_LONG = "agenda.option_too_long"
    NESTED_LIST = "agenda.nested_list"
    BAD_QUORUM = "agenda.bad_quorum"
    DUPLICATE_CATEGORY = "agenda.duplicate_category"
    CATEGORY_TOO_LONG = "agenda.category_too_long"
    TOO_MANY_CATEGORIES = "agenda.too_many_categories"
    MULTIPLE_ERRORS = "agenda.multiple_errors"
    NOT_UTF8 = "agenda.not_utf8"


_MESSAGES: dict[AgendaErrorCode, str] = {
    AgendaErrorCode.MISSING_FRONT_MATTER: (
        "the agenda has no front matter and no '# Title' heading: start the file with a '---' "
        "line, 'title: ...', and another '---' line"
    ),
    AgendaErrorCode.UNTERMINATED_FRONT_MATTER: (
        "the front matter opened by '---' on line 1 is never closed: add a '---' line after it"
    ),
    AgendaErrorCode.BAD_FRONT_MATTER_LINE: (
        "front matter lines look like 'key: value', not {text!r}"
    ),
    AgendaErrorCode.UNKNOWN_KEY: "unknown front matter key {key!r}; valid keys: {valid}",
    AgendaErrorCode.DUPLICATE_KEY: "front matter key {key!r} is already set on line {first}",
    AgendaErrorCode.UNKNOWN_KIND: "unknown kind {value!r}; valid kinds: {valid}",
    AgendaErrorCode.BAD_DATE: "date {value!r} is not a real date written as YYYY-MM-DD",
    AgendaErrorCode.BAD_TIME: "time {value!r} is not a start time written as HH:MM (24-hour)",
    AgendaErrorCode.BAD_LANG: "unknown language {value!r}; valid languages: {valid}",
    AgendaErrorCode.NO_TITLE: (
        "the agenda has no title: add 'title: ...' to the front matter or a '# Title' heading"
    ),
    AgendaErrorCode.TITLE_TOO_LONG: "the title is {length} characters long; at most {limit}",
    AgendaErrorCode.EXTRA_TITLE_HEADING: (
        "only one '# Title' heading is allowed (the first is on line {first}); "
        "start agenda items with '##'"
    ),
    AgendaErrorCode.NO_ITEMS: "the agenda has no items: add at least one '## Item' heading",
    AgendaErrorCode.EMPTY_ITEM_TITLE: "this agenda item has no title",
    AgendaErrorCode.ITEM_TITLE_TOO_LONG: (
        "the item title is {length} characters long; at most {limit}"
    ),
    AgendaErrorCode.DUPLICATE_ITEM_TITLE: (
        "an item titled {title!r} already exists on line {first}; item titles must differ"
    ),
    AgendaErrorCode.BAD_TIME_BOX: (
        "cannot read the time box {text!r}; "
        "write it like '(15 min)', '（15分鐘）', '(1 h)' or '(1h30)'"
    ),
    AgendaErrorCode.TIME_BOX_OUT_OF_RANGE: (
        "time box must be between 1 minute and 8 hours (got {text!r})"
    ),
    AgendaErrorCode.SINGLE_OPTION: (
        "a proposal needs at least 2 options; this list has only {option!r}"
    ),
    AgendaErrorCode.EMPTY_OPTION: "this option is empty",
    AgendaErrorCode.DUPLICATE_OPTION: "option {option!r} already appears on line {first}",
    AgendaErrorCode.OPTION_TOO_LONG: "the option is {length} characters long; at most {limit}",
    AgendaErrorCode.NESTED_LIST: (
        "options cannot have sub-options: remove the indentation of this list"
    ),
    AgendaErrorCode.BAD_QUORUM: "cannot read the quorum {value!r}; write it like {valid}",
    AgendaErrorCode.DUPLICATE_CATEGORY: "category {category!r} is listed twice",
    AgendaErrorCode.CATEGORY_TOO_LONG: (
        "category {category!r} is {length} characters long; at most {limit}"
    ),
    AgendaErrorCode.TOO_MANY_CATEGORIES: "{count} categories; at most {limit}",
    AgendaErrorCode.MULTIPLE_ERRORS: "{count} problems in the agenda",
    AgendaErrorCode.NOT_UTF8: (
        "the agenda is not UTF-8 text (it looks like {encoding}): save it as UTF-8"
    ),
}


def default_message(code: AgendaErrorCode) -> str:
    """The English template of ``code`` (placeholders in braces)."""
    return _MESSAGES[code]


class AgendaError(Exception):
    """One problem in an agenda file, located by ``source`` and 1-based ``line``."""

    def __init__(
        self,
        code: AgendaErrorCode,
        *,
        line: int | None = None,
        source: str = "<agenda>",
        **params: object,
    ) -> None:
        self.code: AgendaErrorCode = code
        self.line: int | None = line
        self.source: str = source
        self.params: dict[str, object] = params
        self.message: str = _MESSAGES[code].format(**params)
        super().__init__(self.message)

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, line={self.line!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Exception pickles by replaying ``args``, which cannot carry keyword-only arguments.
        return (_restore, (type(self), dict(self.__dict__)))


def _restore(cls: type[AgendaError], state: dict[str, object]) -> AgendaError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (error.message,)
    return error


class AgendaErrors(AgendaError):
    """Several problems in one agenda file, in line order; ``errors`` holds each one."""

    def __init__(self, errors: Sequence[AgendaError]) -> None:
        if len(errors) < 2:
            raise ValueError("AgendaErrors holds two or more errors; raise a single one instead")
        ordered = sorted(errors, key=lambda e: -1 if e.line is None else e.line)
        self.errors: tuple[AgendaError, ...] = tuple(ordered)
        first = self.errors[0]
        super().__init__(
            AgendaErrorCode.MULTIPLE_ERRORS,
            line=first.line,
            source=first.source,
            count=len(self.errors),
        )

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.message}:", *(f"  {e}" for e in self.errors)]
        return "\n".join(lines)
