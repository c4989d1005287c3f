"""Message catalogs: Traditional Chinese (default), Simplified Chinese and English.

One catalog per language serves the console, the minutes and the phone page, so each term is
translated once. The catalogs are JSON files in ``catalogs/<lang>/``, one per area
(``errors.json``, ``terms.json``, ``phone.json``, ``console.json``, ``minutes.json``), with flat
namespaced keys (``error.unknown_poll``, ``term.support``, ``phone.join.title``) and ``{name}``
placeholders. Participant text is passed in as a parameter and never translated or altered.

This is the lowest layer: it imports nothing else from :mod:`facilitator`.
"""

from __future__ import annotations

from facilitator.i18n.catalog import (
    DEFAULT_LANG,
    FALLBACK_LANG,
    LANG_NAMES,
    LANGS,
    PLACEHOLDER,
    READERS,
    CatalogError,
    Translate,
    area_catalog,
    area_files,
    catalog,
    catalog_json,
    error_message,
    fill,
    lookup,
    normalize_lang,
    t,
    translator,
)
from facilitator.i18n.refusal import Answer, Refusal, answer

__all__ = [
    "DEFAULT_LANG",
    "FALLBACK_LANG",
    "LANGS",
    "LANG_NAMES",
    "PLACEHOLDER",
    "READERS",
    "Answer",
    "CatalogError",
    "Refusal",
    "Translate",
    "answer",
    "area_catalog",
    "area_files",
    "catalog",
    "catalog_json",
    "error_message",
    "fill",
    "lookup",
    "normalize_lang",
    "t",
    "translator",
]
