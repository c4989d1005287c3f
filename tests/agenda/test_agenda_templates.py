"""Every template, in every language, is a valid agenda the moderator can run as is."""

from __future__ import annotations

import datetime as dt
import itertools
from importlib.resources import files

import pytest

from facilitator.agenda import (
    SessionKind,
    agenda_template,
    parse_agenda,
    valid_kinds,
    valid_langs,
)
from facilitator.agenda.templates import template_path

ALL = list(itertools.product(valid_kinds(), valid_langs()))


def test_valid_kinds_and_langs() -> None:
    assert valid_kinds() == tuple(SessionKind)
    assert valid_langs() == ("zh-Hant", "zh-Hans", "en")


def test_there_is_one_file_per_kind_and_language_and_no_other() -> None:
    folder = files("facilitator.agenda") / "templates"
    names = {entry.name for entry in folder.iterdir() if entry.name.endswith(".md")}
    assert names == {template_path(kind, lang) for kind, lang in ALL}


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_template_parses_with_its_kind_and_language(kind: SessionKind, lang: str) -> None:
    text = agenda_template(kind, lang)
    agenda = parse_agenda(text, source=template_path(kind, lang))
    assert (agenda.kind, agenda.lang, agenda.date, agenda.place) == (kind, lang, None, "")
    assert agenda.title
    assert all(item.time_box_s for item in agenda.items)
    assert "{{" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize(("kind", "lang"), ALL)
def test_date_place_and_follow_up_are_filled_in(kind: SessionKind, lang: str) -> None:
    promises = ("出具1號樓採光評估", "召開3號樓業主\n分攤協商會", "", "出具1號樓採光評估")
    text = agenda_template(
        kind, lang, date=dt.date(2026, 3, 14), place="和平里社區廣場", follow_up=promises
    )
    agenda = parse_agenda(text)
    assert (agenda.date, agenda.place) == (dt.date(2026, 3, 14), "和平里社區廣場")
    first, second = agenda.items[:2]
    assert first.title.endswith("出具1號樓採光評估")
    assert second.title.endswith("召開3號樓業主 分攤協商會")
    assert first.time_box_s == second.time_box_s == 300
    assert len(agenda.items) == len(parse_agenda(agenda_template(kind, lang)).items) + 2


def test_square_talk_follows_the_evening_in_scenarios() -> None:
    agenda = parse_agenda(agenda_template(SessionKind.SQUARE_TALK))
    assert [(item.title, item.time_box_s) for item in agenda.items] == [
        ("主題說明", 600),
        ("居民訴求", 1800),
        ("意向表決", 900),
        ("整改事項與認領", 600),
        ("評價與散會", 300),
    ]
    assert len(agenda.items[2].options) == 3


def test_seven_plus_x_puts_a_formal_motion_to_the_vote() -> None:
    for lang, options in [
        ("zh-Hant", ("贊成", "反對", "棄權")),
        ("zh-Hans", ("赞成", "反对", "弃权")),
        ("en", ("In favour", "Against", "Abstain")),
    ]:
        agenda = parse_agenda(agenda_template(SessionKind.SEVEN_PLUS_X, lang))
        assert [item.options for item in agenda.items if item.options] == [options]


def test_pavilion_offers_plans_to_choose_from() -> None:
    agenda = parse_agenda(agenda_template(SessionKind.PAVILION, "en"))
    (vote,) = [item for item in agenda.items if item.options]
    assert vote.options[0].startswith("Option 1")


def test_long_promises_are_shortened_to_a_valid_title() -> None:
    text = agenda_template(SessionKind.CUSTOM, "en", follow_up=("x" * 300,))
    title = parse_agenda(text).items[0].title
    assert len(title) == 200
    assert title.endswith("…")


def test_kind_given_as_a_plain_string() -> None:
    text = agenda_template("pavilion", "zh-Hans")  # type: ignore[arg-type]
    assert parse_agenda(text).kind == SessionKind.PAVILION


@pytest.mark.parametrize(("kind", "lang"), [("party", "en"), (SessionKind.CUSTOM, "fr")])
def test_unknown_kind_or_language_is_refused(kind: str, lang: str) -> None:
    with pytest.raises(ValueError, match=r"party|fr"):
        agenda_template(kind, lang)  # type: ignore[arg-type]
