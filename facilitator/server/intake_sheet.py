"""Printable A4 sheets, one per building: the place's name, the building, a QR code of the
building's intake page (segno, inline SVG, so it prints with no network) and two lines on how to
use it, in the place's language."""

from __future__ import annotations

import html

import segno

from facilitator.i18n import t
from facilitator.intake import Building, PlaceState

_STYLE = """
@page{size:A4;margin:18mm}
body{font-family:system-ui,"Noto Sans CJK TC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#000}
.sheet{page-break-after:always;break-after:page;text-align:center;padding-top:10mm}
.sheet:last-child{page-break-after:auto;break-after:auto}
h1{font-size:30pt;margin:0 0 4mm}h2{font-size:40pt;margin:0 0 8mm}
.qr{display:flex;justify-content:center}.qr svg{width:120mm;height:120mm}
.how{font-size:17pt;line-height:1.5;margin:6mm 12mm}
.url{font-family:monospace;font-size:12pt;word-break:break-all}
"""


def building_url(base_url: str, building: Building) -> str:
    return f"{base_url.rstrip('/')}/b/{building.code}"


def _sheet(place: PlaceState, building: Building, base_url: str, lang: str) -> str:
    url = building_url(base_url, building)
    qr = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True)  # CSS sizes it
    e = html.escape
    return (
        '<section class="sheet">'
        f"<h1>{e(place.name)}</h1>"
        f"<h2>{e(t('intake.sheet_title', lang, building=building.name))}</h2>"
        f'<div class="qr" role="img" aria-label="{e(url)}">{qr}</div>'
        f'<p class="how">{e(t("intake.how_1", lang))}<br>{e(t("intake.how_2", lang))}</p>'
        f'<p class="url">{e(url)}</p>'
        "</section>"
    )


def building_sheets(
    place: PlaceState, base_url: str, lang: str | None = None, only: str | None = None
) -> str:
    """One HTML document with an A4 page per building (or only the building ``only``)."""
    lang = lang or place.lang
    chosen = [b for b in place.buildings if only in (None, b.code, b.name)]
    pages = "".join(_sheet(place, b, base_url, lang) for b in chosen)
    title = html.escape(f"{place.name} · {t('intake.raise_title', lang)}")
    return (
        f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>{pages}</body></html>"
    )
