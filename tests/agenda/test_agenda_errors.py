"""Malformed agendas: every problem is reported with its code and line, all in one pass."""

from __future__ import annotations

import pickle
from textwrap import dedent

import pytest

from facilitator.agenda import AgendaError, AgendaErrorCode, AgendaErrors, parse_agenda

C = AgendaErrorCode
HEAD = "---\ntitle: t\n---\n"  # three lines: items written after it start on line 4


def problems(text: str) -> list[tuple[str, int | None]]:
    """The (code, line) of every problem parse_agenda reports for ``text``."""
    with pytest.raises(AgendaError) as caught:
        parse_agenda(text, source="agenda.md")
    error = caught.value
    found = error.errors if isinstance(error, AgendaErrors) else (error,)
    return [(e.code.value, e.line) for e in found]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("## a\n", C.MISSING_FRONT_MATTER, 1),
        ("---\ntitle: t\n\n## a\n", C.UNTERMINATED_FRONT_MATTER, 1),
        ("\n---\ntitle: t\n## a\n", C.UNTERMINATED_FRONT_MATTER, 2),
        ("---\ntitle: t\nkind square\n---\n## a\n", C.BAD_FRONT_MATTER_LINE, 3),
        ("---\ntitle: t\ncolour: red\n---\n## a\n", C.UNKNOWN_KEY, 3),
        ("---\ntitle: t\n標題: u\n---\n## a\n", C.DUPLICATE_KEY, 3),
        ("---\ntitle: t\n\nkind: party\n---\n## a\n", C.UNKNOWN_KIND, 4),
        ("---\ntitle: t\ndate: 2026-02-30\n---\n## a\n", C.BAD_DATE, 3),
        ("---\ntitle: t\ndate: 14/03/2026\n---\n## a\n", C.BAD_DATE, 3),
        ("---\ntitle: t\ntime: 24:00\n---\n## a\n", C.BAD_TIME, 3),
        ("---\ntitle: t\ntime: 7pm\n---\n## a\n", C.BAD_TIME, 3),
        ("---\ntitle: t\nlang: fr\n---\n## a\n", C.BAD_LANG, 3),
        ("---\nkind: custom\n---\n## a\n", C.NO_TITLE, 1),
        ("---\ntitle:\n---\n## a\n", C.NO_TITLE, 2),
        (f"---\ntitle: {'t' * 201}\n---\n## a\n", C.TITLE_TOO_LONG, 2),
        ("# T\n## a\n# U\n", C.EXTRA_TITLE_HEADING, 3),
        (HEAD + "\nJust notes.\n", C.NO_ITEMS, 5),
        (HEAD + "## (15 min)\n", C.EMPTY_ITEM_TITLE, 4),
        (HEAD + "##\n", C.EMPTY_ITEM_TITLE, 4),
        (HEAD + f"## {'t' * 201}\n", C.ITEM_TITLE_TOO_LONG, 4),
        (HEAD + "## Vote\n## vote  (5 min)\n", C.DUPLICATE_ITEM_TITLE, 5),
        (HEAD + "## a (abc min)\n", C.BAD_TIME_BOX, 4),
        (HEAD + "## a（十五分鐘）\n", C.BAD_TIME_BOX, 4),
        (HEAD + "## a (0 min)\n", C.TIME_BOX_OUT_OF_RANGE, 4),
        (HEAD + "## a (30 s)\n", C.TIME_BOX_OUT_OF_RANGE, 4),
        (HEAD + "## a (8h1)\n", C.TIME_BOX_OUT_OF_RANGE, 4),
        (HEAD + "## a\n\n- only one\n", C.SINGLE_OPTION, 6),
        (HEAD + "## a\n- yes\n-\n", C.EMPTY_OPTION, 6),
        (HEAD + "## a\n- yes\n- Yes\n", C.DUPLICATE_OPTION, 6),
        (HEAD + f"## a\n- yes\n- {'o' * 201}\n", C.OPTION_TOO_LONG, 6),
        (HEAD + "## a\n- yes\n- no\n  - not really\n", C.NESTED_LIST, 7),
    ],
)
def test_each_problem_has_a_code_and_a_line(text: str, code: AgendaErrorCode, line: int) -> None:
    assert problems(text) == [(code.value, line)]


def test_a_single_problem_is_raised_alone_and_reads_like_a_compiler_error() -> None:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(HEAD + "\n## a (9 h)\n", source="agenda.md")
    assert type(caught.value) is AgendaError
    assert caught.value.code == "agenda.time_box_out_of_range"
    assert str(caught.value) == (
        "agenda.md:5: time box must be between 1 minute and 8 hours (got '(9 h)')"
    )
    assert caught.value.params == {"text": "(9 h)"}


def test_unknown_key_and_kind_messages_list_what_is_valid() -> None:
    text = "---\ntitle: t\nkind: party\nvenue: hall\n---\n## a\n"
    with pytest.raises(AgendaErrors) as caught:
        parse_agenda(text)
    kind, key = caught.value.errors
    assert "square_talk, pavilion, seven_plus_x, custom" in kind.message
    assert "'venue'" in key.message
    assert "title, kind, date, time, place, moderator, recorder, lang" in key.message


BROKEN = dedent(
    """\
    ---
    title: 廣場夜話
    kind: party
    venue: hall
    ---
    ## 主題說明 (abc min)
    ## 表決（15分鐘）
    - 贊成
    ## 表決
    - 贊成
    - 反對
      - 棄權
    """
)


def test_every_problem_is_collected_in_line_order() -> None:
    assert problems(BROKEN) == [
        ("agenda.unknown_kind", 3),
        ("agenda.unknown_key", 4),
        ("agenda.bad_time_box", 6),
        ("agenda.single_option", 8),
        ("agenda.duplicate_item_title", 9),
        ("agenda.nested_list", 12),
    ]


def test_several_problems_print_as_one_list() -> None:
    with pytest.raises(AgendaErrors) as caught:
        parse_agenda(BROKEN, source="夜話.md")
    errors = caught.value
    assert errors.code == "agenda.multiple_errors"
    assert errors.line == 3
    lines = str(errors).splitlines()
    assert lines[0] == "夜話.md: 6 problems in the agenda:"
    assert lines[3].startswith("  夜話.md:6: cannot read the time box '(abc min)'")
    assert len(lines) == 7


def test_empty_file_reports_both_missing_pieces() -> None:
    assert problems("") == [("agenda.missing_front_matter", 1), ("agenda.no_items", 1)]


def test_agenda_errors_needs_at_least_two() -> None:
    with pytest.raises(ValueError, match="two or more"):
        AgendaErrors([AgendaError(C.NO_ITEMS, line=1)])


def test_error_without_line_and_repr() -> None:
    error = AgendaError(C.NO_ITEMS, source="x.md")
    assert str(error) == "x.md: the agenda has no items: add at least one '## Item' heading"
    assert repr(error) == "AgendaError('agenda.no_items', line=None)"


def test_codes_are_stable_and_namespaced() -> None:
    assert all(code.value == f"agenda.{code.name.lower()}" for code in AgendaErrorCode)


def test_errors_survive_pickling_for_worker_processes() -> None:
    error = AgendaError(C.BAD_LANG, line=3, value="fr", valid="en")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.line, str(copy)) == (error.code, error.line, str(error))


def test_collected_errors_survive_pickling() -> None:
    with pytest.raises(AgendaErrors) as caught:
        parse_agenda(BROKEN)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, AgendaErrors)
    assert [e.code for e in copy.errors] == [e.code for e in caught.value.errors]
    assert str(copy) == str(caught.value)
