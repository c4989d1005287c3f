"""Server-rendered pages: the landing page (type the numeric code) and the printable join sheet.

Both are plain HTML built here with every inserted value escaped; the join sheet carries an inline
SVG QR code (segno), so it prints without any network. One sheet per building when the roster
names buildings, each QR code pre-filling that building on the phone.
"""

from __future__ import annotations

import html
import io
from urllib.parse import quote

import segno

from facilitator.i18n import LANG_NAMES, LANGS, t
from facilitator.session.state import SessionState

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="{body_class}"><main id="main">{body}</main></body></html>
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str, lang: str, body_class: str = "") -> str:
    """A complete HTML page around ``body`` (which must already be escaped)."""
    return _PAGE.format(lang=_e(lang), title=_e(title), body=body, body_class=_e(body_class))


def landing_page(lang: str, error: str = "", code: str = "") -> str:
    """``/``: a resident without the QR code types the short number the moderator shows;
    after a wrong one, ``code`` is what they typed, kept in the box to correct."""
    alert = f'<p class="error" role="alert" id="code-error">{_e(error)}</p>' if error else ""
    described = ' aria-describedby="code-error" aria-invalid="true"' if error else ""
    langs = " ".join(
        f'<a href="/?lang={_e(code)}" lang="{_e(code)}">{_e(LANG_NAMES[code])}</a>'
        for code in LANGS
    )
    body = f"""
<header class="top"><h1>{_e(t("phone.landing.title", lang))}</h1></header>
<section class="card">
<form method="get" action="/go">
<input type="hidden" name="lang" value="{_e(lang)}">
<label for="code">{_e(t("phone.landing.intro", lang))}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="off" maxlength="12" required
 value="{_e(code)}"{described}>
{alert}
<button type="submit" class="primary">{_e(t("phone.join.submit", lang))}</button>
</form></section>
<nav class="langs" aria-label="{_e(t("phone.lang.label", lang))}">{langs}</nav>
"""
    return page(t("phone.landing.title", lang), body, lang)


def _buildings(state: SessionState) -> list[str]:
    names = {p.building.strip() for p in state.participants.values() if p.building.strip()}
    return sorted(names)


def qr_svg(url: str) -> str:
    """A standalone SVG QR code of ``url``: black modules on a white quiet zone."""
    out = io.BytesIO()  # a file of its own (an <img> source) needs the xmlns svg_inline omits
    segno.make(url, error="m").save(
        out, kind="svg", scale=10, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return out.getvalue().decode()


def invitations_form(
    state: SessionState, token: str, lang: str, action: str = "/invitations"
) -> str:
    """A button (not printed) that issues the roster's personal invitation cards, when some
    roster entries have no phone yet; the cards replace any printed before for those entries."""
    waiting = sum(1 for p in state.participants.values() if not p.has_device)
    if not waiting:
        return ""
    label = t("phone.sheet.invitations", lang, count=waiting)
    return f"""
<form class="no-print" method="post" action="{_e(action)}">
<input type="hidden" name="token" value="{_e(token)}">
<input type="hidden" name="lang" value="{_e(lang)}">
<button type="submit">{_e(label)}</button>
<p>{_e(t("phone.sheet.invitations_note", lang))}</p>
</form>"""


def join_sheet(
    state: SessionState, base_url: str, lang: str, token: str = "", action: str = "/invitations"
) -> str:
    """``/sheet``: one printable page per building (or one for all) with QR code, number, URL;
    with the moderator's ``token``, also the button that prints the roster's invitation cards."""
    join_url = f"{base_url}/j/{state.join_code}"
    sheets = [(b, f"{join_url}?b={quote(b)}") for b in _buildings(state)] or [("", join_url)]
    pages = []
    for building, url in sheets:
        qr = segno.make(url, error="m").svg_inline(scale=8, border=2)
        label = t("phone.sheet.building", lang, building=building)
        where = f'<p class="sheet-building">{_e(label)}</p>' if building else ""
        pages.append(f"""
<section class="sheet">
<h1>{_e(state.title)}</h1>{where}
<p class="sheet-scan">{_e(t("phone.sheet.scan", lang))}</p>
<div class="qr" role="img" aria-label="{_e(url)}">{qr}</div>
<p class="sheet-code">{_e(t("phone.sheet.code", lang, code=state.numeric_code))}</p>
<p class="sheet-url">{_e(t("phone.sheet.or_type", lang, url=base_url))}</p>
<p class="sheet-url"><code>{_e(url)}</code></p>
</section>""")
    form = invitations_form(state, token, lang, action) if token else ""
    return page(t("phone.sheet.title", lang), form + "".join(pages), lang, "print")
