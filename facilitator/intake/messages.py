"""The intake's refusals as sentences: ``intake.error.<code>`` from the catalogs, with an engine
field name (``request``), a status (``rejected``) or a reason (``past``) put in words
(「訴求內容」, 「未受理」, 「不能早於今天」).
Shared by the server, the CLI and the console."""

from __future__ import annotations

from typing import Any

from facilitator.i18n import lookup, t


def localized_params(params: dict[str, Any], lang: str | None) -> dict[str, Any]:
    out = dict(params)
    for name, prefix in (
        ("field", "intake.field."),
        ("status", "intake.status."),
        ("reason", "intake.reason."),
    ):
        value = params.get(name)
        if isinstance(value, str) and lookup(prefix + value, lang) is not None:
            out[name] = t(prefix + value, lang)
    return out


def refusal(code: str, params: dict[str, Any], lang: str | None) -> str:
    """The sentence a person reads for the refusal ``code``."""
    return t(f"intake.error.{code}", lang, **localized_params(params, lang))
