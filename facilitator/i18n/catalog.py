"""Message catalogs: one per language, merged from the area files under ``catalogs/<lang>/``.

Each language is a folder of JSON files (``errors.json``, ``terms.json``, ``phone.json``,
``console.json``, ``minutes.json``, ...), each a flat object of ``"namespace.key": "message"``.
The files of one language are merged into one read-only mapping; a key defined in two area files
is a mistake and is refused when the catalog is loaded.

Placeholders are written ``{name}`` (a plain identifier, nothing else in braces) so that Python and
the phone page's JavaScript fill them the same way. Filling is a single pass: a value that itself
contains ``{...}`` (a participant's name, say) is inserted as it is and never expanded again, and a
placeholder without a value stays visible rather than raising.

Plurals have one mechanism: the word that follows a number is written in the message itself as
``{name|one|other}``, ``one`` when the value is 1, else ``other``: "in {seconds}
{seconds|second|seconds}" reads "in 1 second" and "in 20 seconds"; Chinese needs none. The phone
page, the display and the public page fill it the same way. A sentence that reads differently
for one beyond a word (the minutes' "Another person was counted…", not "Another 1 person…") is a
message of its own that its caller picks. Whole ``<key>.singular`` messages chosen when
``count`` was 1 were a second mechanism; every one of them but that sentence read exactly as its
message's ``{count|one|other}`` form did, so they are gone and nothing renders differently.

An error has two wordings: a resident's (on a phone: what *you* can do) and the moderator's (on
the console: what to do about *this person*). ``error.<code>`` is the wording both share;
``error.resident.<code>`` and ``error.moderator.<code>`` replace it for one reader where the
shared one would not suit (:func:`error_message`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Protocol

LANGS: tuple[str, ...] = ("zh-Hant", "zh-Hans", "en")
"""Every language with a complete catalog; the first is the default."""

DEFAULT_LANG = "zh-Hant"
FALLBACK_LANG = "en"
"""Where a key missing from a language's catalog is looked up next."""

LANG_NAMES: Mapping[str, str] = MappingProxyType(
    {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
)
"""Each language's name in itself, for a language picker."""

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}|]*)\|([^{}|]*))?\}")
"""A ``{name}`` placeholder in a message, or a ``{name|one|other}`` word chosen by a number."""

READERS: tuple[str, ...] = ("resident", "moderator")
"""Who reads an error message: a resident on a phone, or the moderator."""

_CATALOG_PACKAGE = "facilitator.i18n"
_CATALOG_DIR = "catalogs"
_SCRIPT_TAGS = {"hant": "zh-Hant", "hans": "zh-Hans"}
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})
_HANS_REGIONS = frozenset({"cn", "sg", "my"})
_CHINESE = frozenset({"zh", "cmn", "yue", "wuu", "hak", "nan", "gan", "hsn", "cdo", "lzh"})
_HANT_BY_DEFAULT = frozenset({"yue"})  # Cantonese is written in traditional characters
_HANS_BY_DEFAULT = frozenset({"wuu", "hsn", "gan"})


class CatalogError(ValueError):
    """A catalog file is malformed (not a flat object of strings, or a key defined twice)."""


class Translate(Protocol):
    """``t`` bound to one language: ``translate(key, **params) -> str``."""

    def __call__(self, key: str, /, **params: object) -> str: ...


# --------------------------------------------------------------------------- languages


@lru_cache(maxsize=512)
def normalize_lang(value: str | None) -> str:
    """The supported language that best matches ``value``; :data:`DEFAULT_LANG` if none does.

    ``value`` may be one of :data:`LANGS` in any case, a BCP 47 tag (``zh-TW``, ``zh_Hant_HK``,
    ``zh-CN``, ``en-US``) or an ``Accept-Language`` header (``"fr;q=0.9, zh-CN;q=0.8, en;q=0.5"``),
    in which case the most preferred language we support wins. A bare ``zh`` means the default
    Chinese, Traditional.
    """
    if not value:
        return DEFAULT_LANG
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(value.split(",")):
        tag, _, params = part.partition(";")
        quality = _quality(params)
        if quality > 0 and tag.strip():
            ranked.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        match = _match_tag(tag)
        if match is not None:
            return match
    return DEFAULT_LANG


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, number = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(number.strip())
            except ValueError:
                return 0.0
            return quality if 0.0 <= quality <= 1.0 else 0.0
    return 1.0


def _match_tag(tag: str) -> str | None:
    subtags = [s for s in tag.strip().lower().replace("_", "-").split("-") if s]
    if not subtags:
        return None
    primary = subtags[0]
    if primary == "*":
        return DEFAULT_LANG
    if primary == "en":
        return "en"
    if primary not in _CHINESE:
        return None
    rest = subtags[1:]
    for subtag in rest:
        if subtag in _SCRIPT_TAGS:
            return _SCRIPT_TAGS[subtag]
    for subtag in rest:
        if subtag in _HANT_REGIONS:
            return "zh-Hant"
        if subtag in _HANS_REGIONS:
            return "zh-Hans"
    if primary in _HANS_BY_DEFAULT:
        return "zh-Hans"
    if primary in _HANT_BY_DEFAULT:
        return "zh-Hant"
    return DEFAULT_LANG


# --------------------------------------------------------------------------- catalogs


def catalog(lang: str | None = DEFAULT_LANG) -> Mapping[str, str]:
    """Every message of ``lang`` (normalized), merged from its area files; read-only, cached."""
    return _catalog(normalize_lang(lang))


@cache
def _catalog(lang: str) -> Mapping[str, str]:
    return MappingProxyType(_load(lang))


def catalog_json(lang: str | None = DEFAULT_LANG) -> str:
    """The whole catalog of ``lang`` as compact JSON, for the phone page; cached.

    Keys are sorted so the text is stable. ``<``, ``>`` and ``&`` are written as ``\\u`` escapes,
    so the result can be inlined in a ``<script>`` element as it is.
    """
    return _catalog_json(normalize_lang(lang))


@cache
def _catalog_json(lang: str) -> str:
    text = json.dumps(
        dict(catalog(lang)), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def area_files(lang: str) -> tuple[str, ...]:
    """The names of the area files making up ``lang``'s catalog (``errors.json``, ...), sorted."""
    folder = files(_CATALOG_PACKAGE) / _CATALOG_DIR / normalize_lang(lang)
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json")))


def area_catalog(lang: str, area: str) -> Mapping[str, str]:
    """The messages of one area file (``area`` without ``.json``) of ``lang``, as written."""
    resource = files(_CATALOG_PACKAGE) / _CATALOG_DIR / normalize_lang(lang) / f"{area}.json"
    return MappingProxyType(_parse(resource.read_text(encoding="utf-8"), f"{lang}/{area}.json"))


def _load(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for name in area_files(lang):
        area = name.removesuffix(".json")
        for key, message in area_catalog(lang, area).items():
            if key in merged:
                raise CatalogError(f"{lang}: {key!r} is defined in both {origin[key]} and {name}")
            merged[key] = message
            origin[key] = name
    return merged


def _parse(text: str, source: str) -> dict[str, str]:
    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in items:
            if key in found:
                raise CatalogError(f"{source}: {key!r} is defined twice")
            found[key] = value
        return found

    try:
        data: object = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise CatalogError(f"{source}: not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: expected a JSON object of messages")
    messages: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            raise CatalogError(f"{source}: {key!r} is not a string")
        messages[key] = value
    return messages


# --------------------------------------------------------------------------- lookups


def fill(template: str, params: Mapping[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by ``str(params[name])``, in one pass.

    A placeholder with no value is left as it is; inserted values are never expanded again.
    """
    if not params or "{" not in template:
        return template

    def replace(match: re.Match[str]) -> str:
        name, one, other = match.groups()
        if name not in params:
            return match.group(0)
        if other is None:
            return str(params[name])
        return one if str(params[name]) == "1" else other

    return PLACEHOLDER.sub(replace, template)


def lookup(key: str, lang: str | None = DEFAULT_LANG) -> str | None:
    """The raw message of ``key`` in ``lang``, else in English; ``None`` if neither has it."""
    message = catalog(lang).get(key)
    if message is None:
        message = catalog(FALLBACK_LANG).get(key)
    return message


def t(key: str, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled from ``params``.

    A key missing from ``lang`` falls back to English, then to the key itself; a placeholder without
    a parameter stays visible as ``{name}``. Never raises for a missing key or parameter.
    """
    message = lookup(key, lang)
    return key if message is None else fill(message, params)


def translator(lang: str | None = DEFAULT_LANG) -> Translate:
    """:func:`t` bound to ``lang`` (normalized once)."""
    code = normalize_lang(lang)

    def translate(key: str, /, **params: object) -> str:
        return t(key, code, **params)

    return translate


def error_message(
    code: str,
    lang: str | None = DEFAULT_LANG,
    params: Mapping[str, object] | None = None,
    *,
    reader: str = "moderator",
) -> str:
    """The message for error ``code`` (an ``ErrorCode`` or a server error code) in ``lang``,
    worded for ``reader`` (``"moderator"``, the console's and the moderator clients' default, or
    ``"resident"`` for a phone).

    ``params`` fill the placeholders. A ``field`` parameter naming a field the catalog knows
    (``field.<name>``) is shown under its translated name. An unknown code gets a generic
    "that did not work" message carrying the code, never a bare key.
    """
    values: dict[str, object] = dict(params or {})
    field = values.get("field")
    if isinstance(field, str):
        label = lookup(f"field.{field}", lang)
        if label is not None:
            values["field"] = label
    message = lookup(f"error.{reader}.{code}", lang) if reader in READERS else None
    if message is None:
        message = lookup(f"error.{code}", lang)
    if message is None:
        values = {"code": str(code)}
        message = lookup("error.fallback", lang) or "{code}"
    return fill(message, values)
