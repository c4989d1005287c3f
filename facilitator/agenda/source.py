"""An agenda file's bytes as text: UTF-8, or a clear refusal naming the encoding it looks like.

Agendas are often written on a community office's Windows computer, which saves Chinese text as
Big5 (Traditional), GBK (Simplified) or "Unicode" (UTF-16 with a byte-order mark). Reading those
as UTF-8 would fail on the first Chinese character, or worse, turn it into nonsense; so the file is
decoded strictly, and when it is not UTF-8 the likely encoding is named, for ``iconv -f``.
"""

from __future__ import annotations

import codecs

from facilitator.agenda.errors import AgendaError, AgendaErrorCode

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# Tried in this order, strictly. GB2312 first: it is GBK's common core, and it refuses Big5 text,
# whose characters mostly have a second byte below 0xA1; Big5 before the wider GBK, which would
# accept much Big5 text as nonsense.
_CANDIDATES = (("gb2312", "GBK"), ("big5", "BIG5"), ("gbk", "GBK"), ("gb18030", "GB18030"))


def guess_encoding(data: bytes) -> str | None:
    """The encoding ``data`` looks like, as ``iconv`` names it (``UTF-8``, ``BIG5``, ``GBK``,
    ``UTF-16``, ...); ``None`` when it is none of those."""
    if data.startswith(codecs.BOM_UTF8):
        return "UTF-8" if _decodes(data, "utf-8-sig") else None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if _decodes(data, "utf-8"):
        return "UTF-8"
    if b"\x00" in data:  # UTF-16 without a mark: every ASCII character has a zero byte
        for codec, name in (("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")):
            if _decodes(data, codec):
                return name
        return None
    for codec, name in _CANDIDATES:
        if _decodes(data, codec):
            return name
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def decode_agenda(data: bytes, *, source: str = "<agenda>") -> str:
    """The text of an agenda file: UTF-8 (a byte-order mark is allowed and dropped).

    Raises :class:`AgendaError` ``agenda.not_utf8`` with ``encoding`` (what it looks like, or
    ``""`` when that cannot be told) for anything else.
    """
    encoding = guess_encoding(data)
    if encoding == "UTF-8":
        return data.decode("utf-8-sig")
    raise AgendaError(AgendaErrorCode.NOT_UTF8, source=source, encoding=encoding or "")
