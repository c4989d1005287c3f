"""Personal invitation cards: one per roster entry, with its own QR code, to print and hand out.

A 7+X roster (committee members, officials, representatives) is known before the meeting. Each
card's link carries a token that makes the phone scanning it that roster entry, so the person is
counted once, under the name on the list, instead of joining a second time by name. The tokens
are only on the cards: the log keeps their hashes (:mod:`.invitations`). Every value is escaped;
the QR codes are inline SVG (segno), so the page prints without any network.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import segno

from facilitator.i18n import t
from facilitator.session.state import SessionState

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 1.5rem auto; max-width: 52rem; padding: 0 1rem; color: #111; font-size: 16px;
  font-family: "Noto Sans TC", "Noto Sans SC", "PingFang TC", "Microsoft JhengHei", system-ui,
  sans-serif; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
.card { border: 2px dashed #888; padding: 1rem 1.2rem; break-inside: avoid; }
.card h2 { margin: 0 0 .2em; font-size: 1.6em; }
.card .who { margin: 0 0 .6em; color: #444; }
.card .qr svg { width: 12rem; height: 12rem; }
.card .url { font-size: .8em; word-break: break-all; }
.card .keep { font-size: .9em; color: #7a1d17; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 12pt; }
  h1, .intro { display: none; }
}
"""


def invitation_cards(
    state: SessionState, links: Mapping[str, str], lang: str, *, place: str = ""
) -> str:
    """The printable page of invitation cards: ``links`` maps a participant id to its card's URL."""

    def tr(key: str, **params: object) -> str:
        return escape(t(key, lang, **params))

    cards = []
    for pid, url in links.items():
        person = state.participants[pid]
        who = " · ".join(
            escape(part) for part in (person.category, person.building, person.unit) if part
        )
        qr = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")
        cards.append(
            f"""<section class="card">
<p class="session">{escape(state.title)}</p>
<h2>{escape(person.display_name)}</h2>
<p class="who">{who}</p>
<div class="qr" role="img" aria-label="{tr("minutes.cards.scan")}">{qr}</div>
<p>{tr("minutes.cards.scan")}</p>
<p class="url"><code>{escape(url)}</code></p>
<p class="keep">{tr("minutes.cards.keep")}</p>
</section>"""
        )
    body = "\n".join(cards) if cards else f"<p>{tr('minutes.cards.none')}</p>"
    title = tr("minutes.cards.title", title=state.title)
    where = f" · {escape(place)}" if place else ""
    return f"""<!doctype html>
<html lang="{escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{_CSS}</style></head>
<body><h1>{title}</h1>
<p class="intro">{tr("minutes.cards.intro")}{where}</p>
<div class="cards">
{body}
</div></body></html>
"""
