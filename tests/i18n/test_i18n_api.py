"""normalize_lang, t, error_message and the catalog mappings."""

from __future__ import annotations

import ast
import importlib
import pathlib
from collections.abc import Mapping

import pytest

from facilitator.i18n import (
    DEFAULT_LANG,
    LANGS,
    CatalogError,
    catalog,
    catalog_json,
    error_message,
    fill,
    normalize_lang,
    t,
    translator,
)
from facilitator.session.errors import ErrorCode, SessionError, default_message

catalog_module = importlib.import_module("facilitator.i18n.catalog")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "zh-Hant"),
        ("", "zh-Hant"),
        ("   ", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-Hans", "zh-Hans"),
        ("en", "en"),
        ("ZH-HANT", "zh-Hant"),
        ("zh_Hant", "zh-Hant"),
        ("zh_hans", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh_CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans-HK", "zh-Hans"),
        ("zh-Hant-CN", "zh-Hant"),
        ("zh", "zh-Hant"),
        ("yue", "zh-Hant"),
        ("yue-Hans", "zh-Hans"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("fr", "zh-Hant"),
        ("fr-FR, de;q=0.9", "zh-Hant"),
        ("xx-yy-zz", "zh-Hant"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        ("en-US,en;q=0.9,zh-TW;q=0.8", "en"),
        ("fr;q=0.9, zh-CN;q=0.8, en;q=0.5", "zh-Hans"),
        ("en;q=0.5, zh-HK;q=0.8", "zh-Hant"),
        ("zh-CN;q=0.3, en;q=0.7", "en"),
        ("zh-CN;q=0, en", "en"),
        ("en;q=bogus, zh-CN;q=0.2", "zh-Hans"),
        ("de, *;q=0.1", "zh-Hant"),
        (",,;q=1,", "zh-Hant"),
    ],
)
def test_normalize_lang(value: str | None, expected: str) -> None:
    assert normalize_lang(value) == expected


def test_normalize_lang_always_gives_a_supported_language() -> None:
    for value in ("zh-Hant-TW-x-private", "-", ";", "q=1", "zh;q=2", "\u00e9"):
        assert normalize_lang(value) in LANGS


def test_t_translates_and_fills() -> None:
    assert t("term.support") == "附議"
    assert t("term.support", "zh-Hans") == "附议"
    assert t("term.support", "en") == "Support"
    assert t("term.support", "zh-CN") == "附议"
    assert t("term.support", "fr") == "附議"
    message = t("error.over_capacity", "zh-Hant", total=45, present=40)
    assert message == "票數將達 45 票，但在場只有 40 人，請主持人核對舉手人數。"


def test_t_unknown_key_is_the_key() -> None:
    assert t("no.such.key") == "no.such.key"
    assert t("no.such.key", "en", name="x") == "no.such.key"


def test_t_missing_params_stay_visible() -> None:
    assert t("error.over_capacity", "en", total=3) == (
        "That would make 3 votes, but only {present} {present|person is|people are} present. "
        "Please check the hand count."
    )
    assert "{total}" in t("error.over_capacity", "zh-Hans")


def test_t_ignores_extra_params() -> None:
    assert t("term.support", "en", unused=1) == "Support"


def test_participant_text_is_inserted_as_it_is() -> None:
    for name in ("{title}", "<script>alert(1)</script>", "{name}", "劉阿姨 {", "}{}"):
        assert t("phone.welcome", "en", name=name) == f"Welcome, {name}!"
    assert fill("{a}{b}", {"a": "{b}", "b": "x"}) == "{b}x"


def test_t_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    real = catalog_module._catalog

    def without_support(lang: str) -> Mapping[str, str]:
        messages = dict(real(lang))
        if lang != "en":
            del messages["term.support"]
        return messages

    monkeypatch.setattr(catalog_module, "_catalog", without_support)
    assert t("term.support", "zh-Hant") == "Support"
    assert t("term.vote.yes", "zh-Hant") == "贊成"


def test_translator_binds_a_language() -> None:
    translate = translator("zh-CN")
    assert translate("term.ledger") == "整改台账"
    assert translate("error.speaker_limit", limit=2).count("2") == 1


def test_catalog_is_read_only_and_cached() -> None:
    messages = catalog("en")
    with pytest.raises(TypeError):
        messages["term.support"] = "x"  # type: ignore[index]
    assert catalog("en") is messages
    assert catalog("en-US") is messages
    assert catalog(None) is catalog(DEFAULT_LANG)


def test_catalog_json_normalizes_and_caches() -> None:
    assert catalog_json("zh-CN") is catalog_json("zh-Hans")
    assert catalog_json(None) == catalog_json("zh-Hant")
    assert '"term.support":"附議"' in catalog_json()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_error_message_fills_every_engine_error(lang: str, code: ErrorCode) -> None:
    names = {m.group(1) for m in catalog_module.PLACEHOLDER.finditer(default_message(code))}
    params: dict[str, object] = dict.fromkeys(names, 7)
    if "field" in names:
        params["field"] = "title"
    message = error_message(code, lang, params)
    assert "{" not in message and "}" not in message
    assert message != f"error.{code.value}"
    if "field" in names:
        assert t("field.title", lang) in message


def test_error_message_from_a_session_error() -> None:
    error = SessionError(ErrorCode.TEXT_TOO_LONG, field="issue", length=300, limit=200)
    assert error_message(error.code, "zh-Hant", error.params) == (
        "「議題」太長了（300 字，最多 200 字），請刪減後再提交。"
    )
    assert error_message(error.code, "en", error.params) == (
        "The issue is too long (300 characters; at most 200). Please shorten it and send again."
    )


def test_error_message_keeps_an_unknown_field_name() -> None:
    message = error_message("text_empty", "en", {"field": "shoe_size"})
    assert message.startswith("The shoe_size must not be empty.")


def test_error_message_server_codes() -> None:
    message = error_message("rate_limited", "zh-Hant", {"seconds": 5})
    assert message == "操作太頻繁了，請 5 秒後再試。"
    assert error_message("forbidden", "en", reader="resident") == "Only the moderator can do this."
    assert "moderator's token" in error_message("forbidden", "en")  # the moderator's own wording


@pytest.mark.parametrize("lang", LANGS)
def test_bad_request_is_a_plain_sentence_whatever_the_detail(lang: str) -> None:
    """The developer's detail ("poll_id must be a string") goes to the log, never to a person."""
    for reader in ("resident", "moderator"):
        message = error_message(
            "bad_request", lang, {"detail": "poll_id must be a string"}, reader=reader
        )
        assert "poll_id" not in message and "{" not in message
        if lang != "en":
            assert not any("a" <= ch.lower() <= "z" for ch in message), message


def test_a_resident_is_not_told_what_only_the_moderator_can_do() -> None:
    """A resident checking out is not asked to check someone in, or to check the hand count."""
    assert (
        error_message("not_checked_in_yet", "zh-Hant", reader="resident")
        == "您還沒有簽到，不必簽退。"
    )
    assert "為此人" in error_message("not_checked_in", "zh-Hant")
    resident = error_message(
        "over_capacity", "zh-Hant", {"total": 9, "present": 8}, reader="resident"
    )
    assert "核對舉手人數" not in resident and "9" in resident
    assert "核對舉手人數" in error_message("over_capacity", "zh-Hant", {"total": 9, "present": 8})


def test_english_numbers_agree_with_their_words() -> None:
    assert error_message("rate_limited", "en", {"seconds": 1}, reader="resident") == (
        "Please slow down and try again in 1 second."
    )
    assert error_message("rate_limited", "en", {"seconds": 20}).endswith("in 20 seconds.")
    one = error_message("over_capacity", "en", {"total": 2, "present": 1})
    assert "2 votes, but only 1 person is present" in one
    assert "1 turn on" in error_message("speaker_limit", "en", {"limit": 1})
    assert t("term.quorum.count", "en", count=1) == "At least 1 person present"
    assert t("minutes.speakers_anon", "en", count=3) == "3 turns to speak."
    assert t("phone.rating.thanks", "en", stars=1) == "Thank you! You gave 1 star."


def test_error_message_unknown_code_is_still_a_sentence() -> None:
    assert error_message("no_such_code", "en") == (
        "That did not work (no_such_code). Please try again, or tell the moderator if it keeps "
        "happening."
    )
    assert "no_such_code" in error_message("no_such_code", "zh-Hans")


def test_parse_refuses_malformed_files() -> None:
    with pytest.raises(CatalogError, match="twice"):
        catalog_module._parse('{"a.b": "x", "a.b": "y"}', "x.json")
    with pytest.raises(CatalogError, match="object"):
        catalog_module._parse('["a"]', "x.json")
    with pytest.raises(CatalogError, match="string"):
        catalog_module._parse('{"a.b": 1}', "x.json")
    with pytest.raises(CatalogError, match="JSON"):
        catalog_module._parse("{", "x.json")


def test_i18n_is_the_lowest_layer() -> None:
    """The package imports nothing from facilitator but itself."""
    assert catalog_module.__file__ is not None
    package = pathlib.Path(catalog_module.__file__).parent
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("facilitator"):
                    assert name.startswith("facilitator.i18n"), f"{source.name} imports {name}"
