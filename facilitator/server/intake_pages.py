"""The HTML of a place's pages: a building's intake page (a shell its script fills from the JSON
API) and the public page (公示), rendered on the server so it also works as a static file
(``facilitator publish``) and without JavaScript. Every resident's or staff's text is escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from facilitator.i18n import LANG_NAMES, LANGS, area_catalog, normalize_lang, t
from facilitator.intake import Building, PlaceState

STYLE = """
body{font:18px/1.5 system-ui,"Noto Sans CJK TC","WenQuanYi Micro Hei",sans-serif;margin:0;
background:#fafaf7;color:#1a1a1a;overflow-wrap:anywhere}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input,select,textarea,button{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;
border:2px solid #555;border-radius:.4rem;background:#fff;color:#1a1a1a}
textarea{min-height:6rem}
button{background:#0b5394;color:#fff;border-color:#0b5394;margin-top:1rem;min-height:48px}
button.small{width:auto;margin:0;padding:.3rem 1rem}
button[disabled]{background:#595959;border-color:#595959}
.card{background:#fff;border:1px solid #bbb;border-radius:.5rem;padding:.8rem;margin:.6rem 0}
.meta{color:#444;font-size:.9rem}.bad{color:#a00000}.ok{color:#0a5a0a}
.status{font-weight:700}.overdue{color:#a00000;font-weight:700}
ol.timeline{padding-left:1.2rem;margin:.4rem 0}
.stars button{width:auto;margin:.2rem;padding:.3rem .8rem;min-width:48px}
.stars button[aria-pressed=true]{background:#0a5a0a;border-color:#0a5a0a;outline:3px solid #0a5a0a}
"""


def safe_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _languages(lang: str) -> str:
    """Links to the same page in the other languages (the place's language is the default)."""
    links = " · ".join(
        f'<a href="?lang={escape(code)}" lang="{escape(code)}">{escape(LANG_NAMES[code])}</a>'
        for code in LANGS
        if code != lang
    )
    return f'<nav class="meta" aria-label="{escape(t("phone.lang.label", lang))}">{links}</nav>'


def page_html(title: str, lang: str, body: str, script: str = "", *, languages: bool = True) -> str:
    if languages:  # a static copy (publish) cannot switch: it has one language
        body += _languages(lang)
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main>{script}</body></html>"
    )


def message_page(message: str, lang: str) -> str:
    """A page that only says ``message`` (an unknown code, an unknown place)."""
    return page_html(message, lang, f'<h1 role="alert">{escape(message)}</h1>')


def intake_page(place: PlaceState, building: Building, lang: str) -> str:
    """The shell of ``/b/<code>``; ``static/intake.js`` fills it from ``/api/b/<code>``."""
    lang = normalize_lang(lang)
    tr = area_catalog(lang, "intake")
    config = {"code": building.code, "lang": lang, "t": dict(tr)}
    title = t("intake.title", lang, place=place.name, building=building.name)
    body = (
        f"<h1>{escape(title)}</h1>"
        '<section aria-labelledby="raise-h"><h2 id="raise-h">'
        f"{escape(tr['intake.raise_title'])}</h2>"
        '<form id="raise" novalidate></form><p id="raise-msg" role="status"></p></section>'
        f'<section aria-labelledby="open-h"><h2 id="open-h">{escape(tr["intake.open_title"])}</h2>'
        '<div id="open"></div></section>'
        f'<section aria-labelledby="mine-h"><h2 id="mine-h">{escape(tr["intake.mine_title"])}</h2>'
        '<div id="mine"></div></section>'
        f'<p><a href="/p/{escape(place.place_id)}?lang={escape(lang)}">'
        f"{escape(t('intake.public_title', lang, place=place.name))}</a></p>"
    )
    script = (
        f'<script id="config" type="application/json">{safe_json(config)}</script>'
        '<script src="/static/pages.js"></script><script src="/static/intake.js"></script>'
    )
    return page_html(title, lang, body, script)


def _item_html(item: dict[str, Any], lang: str) -> str:
    tr = area_catalog(lang, "intake")
    status = tr.get(f"intake.item_status.{item['status']}", item["status"])
    steps = "".join(
        f"<li><time>{escape(step['at'][:10])}</time> "
        f"{escape(tr.get('intake.kind.' + step['kind'], step['kind']))}"
        f"{(' · ' + escape(step['text'])) if step['text'] else ''}</li>"
        for step in item["timeline"]
    )
    ratings = item["ratings"]
    rated = (
        t("intake.ratings", lang, average=f"{ratings['average']:.1f}", count=ratings["count"])
        if ratings["count"]
        else tr["intake.no_ratings"]
    )
    reopened = (
        f'<p class="meta">{escape(t("intake.reopened", lang, count=item["reopened"]))}</p>'
        if item["reopened"]
        else ""
    )
    css = "overdue" if item["overdue"] else "status"
    colon = ": " if lang == "en" else "："
    return (
        f'<article class="card" data-ref="{escape(item["ref"])}"'
        f' data-rateable="{"1" if item["rateable"] else ""}">'
        f"<h3>{escape(item['title'])}</h3>"
        f'<p><span class="{css}">{escape(status)}</span> · {escape(tr["intake.owner"])}{colon}'
        f"{escape(item['owner'])} · {escape(tr['intake.deadline'])}{colon}"
        f"{escape(item['deadline'] or '—')}</p>"
        f'<p class="meta">{escape(tr["intake.source"])}{colon}{escape(item["source"])} · '
        f"{escape(item['building'] or '')} {escape(item['category'] or '')}</p>"
        f'<ol class="timeline" aria-label="{escape(tr["intake.timeline"])}">{steps}</ol>'
        f'<p class="ratings">{escape(rated)}</p>{reopened}<div class="rate"></div></article>'
    )


def public_page(data: dict[str, Any], lang: str, *, live: bool, minutes_href: str = "") -> str:
    """The 公示 page from :func:`facilitator.server.intake_views.public_place`; ``live`` adds the
    rating script (the static copy written by ``publish`` is read-only)."""
    lang = normalize_lang(lang)
    tr = area_catalog(lang, "intake")
    place = data["place"]
    title = t("intake.public_title", lang, place=place["name"])
    items = "".join(_item_html(item, lang) for item in data["items"])
    items = items or f"<p>{escape(tr['intake.public_empty'])}</p>"
    links = "".join(
        f'<li><a href="{escape(minutes_href or "minutes/")}{escape(s["session_id"])}.html">'
        f"{escape(s['date'])} {escape(s['title'])}</a></li>"
        for s in data["sessions"]
    )
    sessions = f"<h2>{escape(tr['intake.minutes_title'])}</h2><ul>{links}</ul>" if links else ""
    body = (
        f"<h1>{escape(title)}</h1><p>{escape(tr['intake.public_intro'])}</p>"
        f'<section id="items">{items}</section>{sessions}'
    )
    script = ""
    if live:
        config = {"place": place["id"], "lang": lang, "t": dict(tr)}
        script = (
            f'<script id="config" type="application/json">{safe_json(config)}</script>'
            '<script src="/static/pages.js"></script><script src="/static/public.js"></script>'
        )
    return page_html(title, lang, body, script, languages=live)
