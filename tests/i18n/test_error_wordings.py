"""Every error code has a wording for a resident (on a phone) and one for the moderator, in every
language; a resident is never told to do what only the moderator can do.

``python -m tests.i18n.test_error_wordings`` prints how many distinct messages each reader can
get in each language.
"""

from __future__ import annotations

import pytest

from facilitator.i18n import LANGS, READERS, catalog, error_message
from facilitator.session import ErrorCode
from tests.i18n.test_i18n_catalogs import SERVER_CODES

CODES = sorted({code.value for code in ErrorCode} | set(SERVER_CODES))
SAMPLE = {
    "field": "issue",
    "reason": "YYYY-MM-DD",
    "length": 301,
    "limit": 300,
    "id": "v-1",
    "name": "張伯",
    "max": 2,
    "total": 9,
    "present": 8,
    "seconds": 20,
    "owner": "物業公司",
}
# Phrases that ask the reader to act on someone else's behalf or on the moderator's tools.
NOT_FOR_RESIDENTS = {
    "zh-Hant": ("此人", "這位參與者", "核對舉手", "請先開始", "請先建立", "核對名單"),
    "zh-Hans": ("此人", "这位参与者", "核对举手", "请先开始", "请先建立", "核对名单"),
    "en": ("this person", "check them in", "hand count", "Start one first", "check the roster"),
}
NOT_FOR_THE_MODERATOR = {
    "zh-Hant": ("請找主持人", "請等主持人", "請刷新頁面"),
    "zh-Hans": ("请找主持人", "请等主持人", "请刷新页面"),
    "en": ("ask the moderator", "wait for the moderator", "refresh the page"),
}


def distinct_messages(lang: str, reader: str) -> int:
    """How many different messages ``reader`` can get for the error codes, in ``lang``."""
    return len({error_message(code, lang, SAMPLE, reader=reader) for code in CODES})


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_wording_for_each_reader(lang: str, reader: str, code: str) -> None:
    message = error_message(code, lang, SAMPLE, reader=reader)
    assert message and "{" not in message, (lang, reader, code, message)
    assert "(" + code + ")" not in message  # never the generic fallback
    avoid = (NOT_FOR_RESIDENTS if reader == "resident" else NOT_FOR_THE_MODERATOR)[lang]
    assert not any(phrase in message for phrase in avoid), (lang, reader, code, message)


@pytest.mark.parametrize("lang", LANGS)
def test_role_wordings_exist_only_for_known_codes(lang: str) -> None:
    for key in catalog(lang):
        for reader in READERS:
            if key.startswith(f"error.{reader}."):
                assert key.removeprefix(f"error.{reader}.") in CODES, key


def test_text_too_long_names_the_field_and_its_own_limit() -> None:
    params = {"field": "name", "length": 41, "limit": 40}
    assert error_message("text_too_long", "zh-Hant", params, reader="resident") == (
        "「稱呼」太長了（41 字，最多 40 字），請刪減後再提交。"
    )


if __name__ == "__main__":
    for language in LANGS:
        counts = ", ".join(f"{r}: {distinct_messages(language, r)}" for r in READERS)
        differ = sum(
            error_message(c, language, SAMPLE, reader="resident")
            != error_message(c, language, SAMPLE)
            for c in CODES
        )
        print(f"{language}: {counts} (of {len(CODES)} codes; {differ} worded differently)")
