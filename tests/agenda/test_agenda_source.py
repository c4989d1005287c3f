"""Reading an agenda file's bytes: UTF-8 text always reads as itself; anything else is refused
(never turned silently into other characters), naming the encoding it looks like."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.agenda import (
    AgendaError,
    AgendaErrorCode,
    SessionKind,
    agenda_template,
    decode_agenda,
    guess_encoding,
)

TEXT = st.text(st.characters(exclude_categories=["Cs"])).filter(
    lambda t: not t.startswith("\ufeff")
)


@given(TEXT)
def test_utf8_text_reads_as_itself_with_or_without_a_byte_order_mark(text: str) -> None:
    assert decode_agenda(text.encode("utf-8")) == text
    assert decode_agenda(codecs.BOM_UTF8 + text.encode("utf-8")) == text


@given(st.binary())
def test_other_bytes_are_refused_never_misread(data: bytes) -> None:
    try:
        expected = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        with pytest.raises(AgendaError) as refused:
            decode_agenda(data)
        assert refused.value.code is AgendaErrorCode.NOT_UTF8
        assert refused.value.params["encoding"] != "UTF-8"
    else:
        assert decode_agenda(data) == expected


@pytest.mark.parametrize("kind", list(SessionKind))
def test_the_encodings_of_windows_chinese_text_are_told_apart(kind: SessionKind) -> None:
    hant, hans = agenda_template(kind, "zh-Hant"), agenda_template(kind, "zh-Hans")
    assert guess_encoding(hant.encode("big5")) == "BIG5"
    assert guess_encoding(hans.encode("gbk")) == "GBK"
    assert guess_encoding(hant.encode("gbk")) == "GBK"  # GBK has the traditional characters too
    assert guess_encoding(codecs.BOM_UTF16_LE + hant.encode("utf-16-le")) == "UTF-16"
    assert guess_encoding(codecs.BOM_UTF16_BE + hans.encode("utf-16-be")) == "UTF-16"
    assert guess_encoding(hant.encode("utf-16-le")) == "UTF-16LE"  # no mark: told by the zeros
