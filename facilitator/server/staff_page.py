"""The staff page (``/staff``): sign in with a staff account's name and secret, then screen the
requests of the places the account may act on, from a phone or a desk. A shell that
``static/staff.js`` fills from the staff API (docs/protocol.md); the session token lives in the
tab's ``sessionStorage`` only, so closing the tab forgets it."""

from __future__ import annotations

from html import escape

from aiohttp import web

from facilitator.i18n import area_catalog, normalize_lang, t
from facilitator.server.intake_pages import page_html, safe_json

STAFF_STYLE = (
    "<style>.actions button{width:auto;margin:.3rem .3rem 0 0;padding:.3rem .8rem}"
    ".act{margin-top:.5rem}.act label{margin-top:.4rem}"
    "#who{display:flex;gap:1rem;align-items:center;justify-content:space-between}"
    "#who button{width:auto;margin:0}</style>"
)


def staff_page(lang: str) -> str:
    lang = normalize_lang(lang)
    tr = area_catalog(lang, "intake")
    config = {"lang": lang, "t": dict(tr)}
    title = t("intake.staff.title", lang)
    body = (
        f"<h1>{escape(title)}</h1>"
        '<div id="who"></div><p id="staff-msg" role="status"></p>'
        '<form id="sign-in" hidden></form><div id="work"></div>'
    )
    script = (
        f"{STAFF_STYLE}"
        f'<script id="config" type="application/json">{safe_json(config)}</script>'
        '<script src="/static/pages.js"></script><script src="/static/staff.js"></script>'
    )
    return page_html(title, lang, body, script)


async def staff_html(request: web.Request) -> web.StreamResponse:
    page = staff_page(request.query.get("lang") or "")
    return web.Response(
        text=page,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
