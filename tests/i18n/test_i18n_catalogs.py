"""The catalog files themselves: complete in every language, consistent, and in the right script."""

from __future__ import annotations

import json
import re
import string

import pytest

from facilitator.i18n import (
    DEFAULT_LANG,
    LANG_NAMES,
    LANGS,
    PLACEHOLDER,
    answer,
    area_catalog,
    area_files,
    catalog,
    catalog_json,
    t,
)
from facilitator.intake import IntakeCode, IntakeError
from facilitator.place_hub.staff import StaffError, StaffErrorCode
from facilitator.session.errors import ErrorCode, default_message

AREAS = (
    "cli.json",
    "console.json",
    "display.json",
    "errors.json",
    "feedback.json",
    "help.json",
    "intake.json",
    "minutes.json",
    "phone.json",
    "terms.json",
)
AREA_PREFIXES = {
    "cli": ("cli.",),
    "errors": ("error.", "field."),
    "terms": ("term.", "lang.", "app."),
    "phone": ("phone.",),
    "display": ("display.",),
    "console": ("console.",),
    "feedback": ("done.",),
    "help": ("help.",),
    "minutes": ("minutes.",),
    "intake": ("intake.",),
}
SERVER_CODES = (
    "bad_request",
    "unknown_event",
    "forbidden",
    "not_joined",
    "rate_limited",
    "protocol_mismatch",
    "server_full",
    "storage_error",
    "unknown_session",
    "internal_error",
    "unknown_namespace",
)
SERVER_PLACEHOLDERS = {"rate_limited": {"seconds"}}
INTAKE_PLACEHOLDERS = {  # what the intake engine passes with each refusal (intake/checks.py)
    IntakeCode.INVALID_VALUE: {"field", "reason"},
    IntakeCode.TEXT_EMPTY: {"field"},
    IntakeCode.TEXT_TOO_LONG: {"field", "length", "limit"},
    IntakeCode.BUILDING_EXISTS: {"building"},
    IntakeCode.UNKNOWN_BUILDING: {"building"},
    IntakeCode.UNKNOWN_UNIT: {"building", "unit"},
    IntakeCode.UNKNOWN_CATEGORY: {"category"},
    IntakeCode.UNKNOWN_REQUEST: {"number"},
    IntakeCode.ALREADY_SUPPORTED: {"number"},
    IntakeCode.REQUEST_CLOSED: {"number", "status"},
    IntakeCode.DUPLICATE_ITEM: {"item"},
    IntakeCode.UNKNOWN_ITEM: {"item"},
}
COMMAND_EXAMPLES = "help.example."  # command lines such as ``next``: the same in every language
SCRIPT_EXEMPT = "lang.native."  # each language's name written in itself, the same everywhere

# Characters written differently in the two scripts: each traditional form and, at the same
# position, its simplified form. Only characters never found in the other script are listed; those
# the traditional script also uses in some words (台 in 平台, 里 in 和平里, 后, 准, 于, 干) are
# deliberately left out, so a hit is always a real mistake.
TRADITIONAL_FORMS = (
    "議辦滿簽體從這會項選與為門時發們個說動對"
    "現請處聯數過還樣經應當區員業務黨舉權棄決"
    "記錄認領評價饋隊類單樓棟紀結號碼機頁網讓"
    "開關問題見長間賬"
)
SIMPLIFIED_FORMS = (  # the same characters, in the same order
    "议办满签体从这会项选与为门时发们个说动对"
    "现请处联数过还样经应当区员业务党举权弃决"
    "记录认领评价馈队类单楼栋纪结号码机页网让"
    "开关问题见长间账"
)
TRADITIONAL_ONLY = TRADITIONAL_FORMS + "臺準"  # their simplified forms 台 and 准 are shared
SIMPLIFIED_ONLY = SIMPLIFIED_FORMS
SIMPLIFIED_WORDS = ("台账", "台帐")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def placeholders(message: str) -> set[str]:
    return {match.group(1) for match in PLACEHOLDER.finditer(message)}


def test_the_script_lists_pair_up() -> None:
    assert len(TRADITIONAL_FORMS) == len(SIMPLIFIED_FORMS) == len(set(SIMPLIFIED_FORMS))
    assert all(a != b for a, b in zip(TRADITIONAL_FORMS, SIMPLIFIED_FORMS, strict=True))
    assert not set(TRADITIONAL_ONLY) & set(SIMPLIFIED_ONLY)


def test_languages() -> None:
    assert LANGS == ("zh-Hant", "zh-Hans", "en")
    assert DEFAULT_LANG == "zh-Hant"
    assert set(LANG_NAMES) == set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_the_same_area_files(lang: str) -> None:
    assert area_files(lang) == AREAS


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_exactly_the_default_keys(lang: str) -> None:
    reference, other = set(catalog(DEFAULT_LANG)), set(catalog(lang))
    assert sorted(reference - other) == [], f"missing from {lang}"
    assert sorted(other - reference) == [], f"only in {lang}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("area", [name.removesuffix(".json") for name in AREAS])
def test_area_files_hold_their_own_namespaces(lang: str, area: str) -> None:
    messages = area_catalog(lang, area)
    assert messages, f"{lang}/{area}.json is empty"
    strays = [key for key in messages if not key.startswith(AREA_PREFIXES[area])]
    assert strays == []
    assert set(messages) == set(area_catalog(DEFAULT_LANG, area))


def test_keys_are_flat_and_namespaced() -> None:
    for key in catalog(DEFAULT_LANG):
        assert re.fullmatch(r"[a-z]+(\.[A-Za-z0-9_-]+)+", key), key


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_or_untrimmed_messages(lang: str) -> None:
    for key, message in catalog(lang).items():
        assert message.strip(), f"{lang}: {key} is empty"
        assert message == message.strip(), f"{lang}: {key} has surrounding whitespace"


def test_placeholders_agree_across_languages() -> None:
    reference = catalog(DEFAULT_LANG)
    for lang in LANGS:
        for key, message in catalog(lang).items():
            assert placeholders(message) == placeholders(reference[key]), f"{lang}: {key}"


def test_english_plurals() -> None:
    assert t("phone.issues.supports", "en", count=1) == "1 supporter"
    assert t("phone.issues.supports", "en", count=3) == "3 supporters"
    assert t("phone.issues.supports", "en", count=0) == "0 supporters"
    assert t("phone.issues.supports", "zh-Hant", count=1) == "附議 1 人"
    assert t("minutes.follow_up.rating", "en", average="2.0", count=1) == "2.0 of 5 (1 rating)"
    one_voter = t("minutes.poll.numbers", "en", voters=1, present=1, cast=1, needed=1)
    assert "1 votes" not in one_voter and "1 voted (1 present)" in one_voter
    assert t("term.quorum.count", "en", count=1) == "At least 1 person present"
    assert t("intake.error.rate_limited", "en", seconds=1).endswith("in 1 second.")
    assert t("intake.error.too_many_logins", "en", seconds=2).endswith("in 2 seconds.")
    assert t("intake.your_rating", "en", stars=1) == "Your rating: 1 star"
    assert "reopened 1 time)" in t("cli.ledger.ratings", "en", reopened=1)
    assert t("console.hands.too_many", "en", hands=1).startswith("1 hand is too many")
    for key in ("cli.sync.session_new", "cli.sync.place_sent"):
        assert " 1 events" not in t(key, "en", sent=1) and " 1 intake events" not in t(
            key, "en", sent=1
        )
    for lang in LANGS:  # one plural mechanism: {count|one|other}, no whole singular messages
        assert not [key for key in catalog(lang) if key.endswith(".singular")], lang


@pytest.mark.parametrize("lang", LANGS)
def test_braces_only_as_placeholders(lang: str) -> None:
    """``{name}`` and nothing else, so Python and the phone page's JavaScript agree."""
    for key, message in catalog(lang).items():
        rest = PLACEHOLDER.sub("", message)
        assert "{" not in rest and "}" not in rest, f"{lang}: {key}"
        for _, field, spec, conversion in string.Formatter().parse(message):
            assert not spec and not conversion, f"{lang}: {key} uses a format spec"
            name, _, words = (field or "").partition("|")
            assert field is None or name.isidentifier()
            assert not words or words.count("|") == 1, f"{lang}: {key}: {{name|one|other}}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_engine_error_has_a_message(lang: str, code: ErrorCode) -> None:
    message = catalog(lang).get(f"error.{code.value}")
    assert message, f"{lang}: no message for {code.value}"
    assert placeholders(message) == placeholders(default_message(code))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", SERVER_CODES)
def test_every_server_error_has_a_message(lang: str, code: str) -> None:
    message = catalog(lang).get(f"error.{code}")
    assert message, f"{lang}: no message for {code}"
    assert placeholders(message) == SERVER_PLACEHOLDERS.get(code, set())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", list(IntakeCode))
def test_every_intake_refusal_has_a_message(lang: str, code: IntakeCode) -> None:
    message = catalog(lang).get(f"intake.error.{code.value}")
    assert message, f"{lang}: no message for {code.value}"
    assert placeholders(message) == INTAKE_PLACEHOLDERS.get(code, set())


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("zh-Hant", "請填寫訴求內容。"),
        ("zh-Hans", "请填写诉求内容。"),
        ("en", "Please fill in the request."),
    ],
)
def test_an_intake_refusal_is_answered_like_the_sessions(lang: str, sentence: str) -> None:
    refused = IntakeError(IntakeCode.TEXT_EMPTY, field="request")
    said = answer(refused, lang, reader="resident")
    assert (said.code, said.message, said.expected) == ("text_empty", sentence, True)
    assert said.ack() == {"ok": False, "error": "text_empty", "message": sentence}
    assert refused.message == answer(refused, "en").message  # the log's English is the catalog's


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", list(StaffErrorCode))
def test_every_staff_refusal_has_a_message(lang: str, code: StaffErrorCode) -> None:
    assert catalog(lang).get(f"intake.error.{code.value}"), f"{lang}: no message for {code.value}"


def test_a_staff_refusal_is_answered_like_the_sessions() -> None:
    refused = StaffError(StaffErrorCode.UNKNOWN_ACCOUNT, name="小李")
    said = answer(refused, "zh-Hans")
    assert (said.code, said.message) == (
        "unknown_account",
        t("intake.error.unknown_account", "zh-Hans", name="小李"),
    )
    assert "小李" in said.message and said.expected


def test_the_fallback_message_is_not_an_error_code() -> None:
    assert "fallback" not in {code.value for code in ErrorCode} | set(SERVER_CODES)


def test_glossary_terms_are_there() -> None:
    hant, hans, en = catalog("zh-Hant"), catalog("zh-Hans"), catalog("en")
    assert hant["term.support"] == "附議" and hans["term.support"] == "附议"
    assert hant["term.ledger"] == "整改臺賬" and hans["term.ledger"] == "整改台账"
    assert hant["term.resolution_rate"] == "辦結率" and hans["term.resolution_rate"] == "办结率"
    assert hant["term.satisfaction_rate"] == "滿意率" and hans["term.satisfaction_rate"] == "满意率"
    assert [hant[f"term.vote.{v}"] for v in ("yes", "no", "abstain")] == ["贊成", "反對", "棄權"]
    assert [hans[f"term.vote.{v}"] for v in ("yes", "no", "abstain")] == ["赞成", "反对", "弃权"]
    assert hant["term.threshold.two_thirds"] == "三分之二多數（贊成票不少於有效票的三分之二）"
    assert en["term.kind.square_talk"] == "Square night talk"


def test_glossary_covers_the_engine_values() -> None:
    from facilitator.session import values

    families = {
        "issue_status": values.IssueStatus,
        "source": values.IssueSource,
        "scope": values.Scope,
        "urgency": values.Urgency,
        "item_status": values.ItemStatus,
        "stance": values.Stance,
        "poll_kind": values.PollKind,
        "channel": values.Channel,
        "quorum": values.QuorumRule,
        "threshold": values.ThresholdRule,
        "outcome": values.Outcome,
        "phase": values.Phase,
    }
    keys = set(catalog(DEFAULT_LANG))
    for family, enum in families.items():
        for member in enum:
            assert f"term.{family}.{member.value}" in keys
    for option in values.YES_NO_ABSTAIN_OPTIONS:
        assert f"term.vote.{option}" in keys
    for kind in ("square_talk", "pavilion", "seven_plus_x", "custom"):
        assert f"term.kind.{kind}" in keys
    categories = {key for key in keys if key.startswith("term.category.")}
    assert len(categories) >= 7


@pytest.mark.parametrize("lang", LANGS)
def test_language_names(lang: str) -> None:
    messages = catalog(lang)
    for code, name in LANG_NAMES.items():
        assert messages[f"lang.native.{code}"] == name
        assert messages[f"lang.{code}"]
    assert catalog("zh-Hant")["lang.zh-Hant"] == "繁體中文"


def _scripted(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalog(lang).items() if not k.startswith(SCRIPT_EXEMPT)}


def test_simplified_catalog_has_no_traditional_characters() -> None:
    for key, message in _scripted("zh-Hans").items():
        found = sorted(set(message) & set(TRADITIONAL_ONLY))
        assert found == [], f"zh-Hans {key}: {message}"


def test_traditional_catalog_has_no_simplified_characters() -> None:
    for key, message in _scripted("zh-Hant").items():
        found = sorted(set(message) & set(SIMPLIFIED_ONLY))
        assert found == [], f"zh-Hant {key}: {message}"
        assert not any(word in message for word in SIMPLIFIED_WORDS), f"zh-Hant {key}: {message}"


def test_the_script_check_would_catch_a_mix() -> None:
    hant, hans = catalog("zh-Hant"), catalog("zh-Hans")
    assert set(hant["term.ledger"]) & set(TRADITIONAL_ONLY)
    assert set(hans["term.ledger"]) & set(SIMPLIFIED_ONLY)


def test_chinese_catalogs_are_really_chinese_and_english_is_not() -> None:
    for lang in ("zh-Hant", "zh-Hans"):
        untranslated = [
            k
            for k, v in _scripted(lang).items()
            if not CJK.search(v) and k != "lang.en" and not k.startswith(COMMAND_EXAMPLES)
        ]
        assert untranslated == [], lang
    for key, message in _scripted("en").items():
        assert not CJK.search(message), f"en {key}: {message}"


def test_traditional_and_simplified_differ_where_they_should() -> None:
    hant, hans = _scripted("zh-Hant"), _scripted("zh-Hans")
    differing = sum(1 for key in hant if hant[key] != hans[key])
    assert differing > len(hant) // 2


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_json_is_the_catalog(lang: str) -> None:
    text = catalog_json(lang)
    assert json.loads(text) == dict(catalog(lang))
    assert "<" not in text and "\n" not in text
    assert catalog_json(lang) is text  # cached
