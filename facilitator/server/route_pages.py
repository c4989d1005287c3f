"""The answers of routing (routing.py) over HTTP: the phone page with its config, a redirect to
the owner, the "not live right now" page, and ``/live/CODE`` for phones whose process is gone."""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from facilitator.i18n import error_message, normalize_lang, t
from facilitator.server.routing import Route, Router, Where
from facilitator.server.sheet import landing_page, page
from facilitator.session.values import Phase

STATIC_INDEX = "index.html"
_NO_CACHE = {"Cache-Control": "no-cache"}
_NO_STORE = {"Cache-Control": "no-store"}
RETRY_S = 5  # the "not live" page looks again this often: a takeover takes a few seconds


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def request_lang(request: web.Request) -> str:
    """``?lang=``, else the browser's Accept-Language, else Traditional Chinese."""
    return normalize_lang(request.query.get("lang") or request.headers.get("Accept-Language"))


@functools.cache
def _read(static: str, name: str) -> str:
    with open(f"{static}/{name}", encoding="utf-8") as file:
        return file.read()


def _with_config(text: str, config: Mapping[str, object]) -> str:
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")  # never ends the script
    tag = f'<script id="config" type="application/json">{data}</script>\n</head>'
    return text.replace("</head>", tag, 1)


def phone_page(static: str, code: str, fallback: str, socket: str = "/socket.io") -> web.Response:
    """The phone page, told its session's join code, the path of its session's socket, and where
    to look for the session should this process stop answering (``fallback``: a proxy or
    another process; "" for this one)."""
    config = {"code": code, "fallback": fallback.rstrip("/"), "socket": socket}
    text = _with_config(_read(static, STATIC_INDEX), config)
    return web.Response(text=text, content_type="text/html", headers=_NO_CACHE)


def display_page(static: str, prefix: str, code: str = "", fallback: str = "") -> web.Response:
    """The projector page of the session served under ``prefix`` ("" when the process serves
    one session): its socket's path and its QR code's, and like the phone page its join code and
    where to look for the session should this process stop answering."""
    text = _read(static, "display.html").replace('src="/qr.svg"', f'src="{prefix}/qr.svg"', 1)
    config = {"socket": f"{prefix}/socket.io", "code": code, "fallback": fallback.rstrip("/")}
    text = _with_config(text, config)
    return web.Response(text=text, content_type="text/html", headers=_NO_CACHE)


def not_live_page(lang: str, found: Route, page_kind: str = "j") -> str:
    """A session nobody serves right now: said plainly, with the place's public page when it
    has one; while the session has not ended, the page asks every few seconds whether it is
    served now (static/waiting.js) and goes there when it is."""
    session = found.session
    assert session is not None
    ended = session.phase is Phase.CLOSED
    title = t("phone.not_live.ended" if ended else "phone.not_live.title", lang)
    parts = [
        f'<header class="top"><h1>{_e(session.title)}</h1></header>',
        f'<section class="card"><h2 id="not-live">{_e(title)}</h2>',
    ]
    if not ended:
        parts.append(f"<p>{_e(t('phone.not_live.retry', lang))}</p>")
    if found.public:
        href = f"/p/{found.public}?lang={lang}"
        label = t("phone.not_live.public", lang)
        parts.append(f'<p><a id="public" href="{_e(href)}">{_e(label)}</a></p>')
    parts.append("</section>")
    text = page(title, "\n".join(parts), lang)
    if not ended:
        config = {"code": session.join_code, "page": page_kind, "every": RETRY_S}
        text = _with_config(text, config).replace(
            "</head>", '<script src="/static/waiting.js" defer></script>\n</head>', 1
        )
    return text


async def answer_phone(
    request: web.Request, found: Route, here: Callable[[], web.StreamResponse], page: str = "j"
) -> web.StreamResponse:
    """``/j/CODE`` (or the projector's ``/d/CODE``: ``page="d"``) as the router ``found`` it:
    ``here()`` when this process serves it."""
    lang = request_lang(request)
    if found.where is Where.HERE:
        return here()
    if found.where is Where.ELSEWHERE:
        query = f"?{request.query_string}" if request.query_string else ""
        url = found.url
        if page != "j" and found.session is not None:  # the owner's /j/CODE, as /d/CODE
            url = url.removesuffix(f"/j/{found.session.join_code}") + f"/{page}/"
            url += found.session.join_code
        raise web.HTTPTemporaryRedirect(url + query, headers=_NO_STORE)
    if found.where is Where.NOT_LIVE:
        text = not_live_page(lang, found, page)
        headers = {**_NO_STORE, "Retry-After": str(RETRY_S)}
        return web.Response(text=text, content_type="text/html", status=503, headers=headers)
    text = landing_page(lang, error_message("unknown_session", lang, reader="resident"))
    return web.Response(text=text, content_type="text/html", status=404)


def live_handler(
    router: Router, own_join_url: Callable[[str], str]
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """``GET /live/CODE``: ``{live, url}``, where the session's phone page is now. Readable from
    any origin: a phone whose process died asks the proxy or another process, and the answer only
    says where a session whose code the asker already knows is served."""

    async def live(request: web.Request) -> web.Response:
        found = await router.route(request.match_info["code"])
        headers = {**_NO_STORE, "Access-Control-Allow-Origin": "*"}
        body: dict[str, object] = {"live": False}
        status = 200
        if found.where is Where.HERE and found.session is not None:
            body = {"live": True, "url": own_join_url(found.session.join_code)}
        elif found.where is Where.ELSEWHERE:
            body = {"live": True, "url": found.url}
        elif found.where is Where.UNKNOWN:
            body, status = {"live": False, "error": "unknown_session"}, 404
        return web.json_response(body, status=status, headers=headers)

    return live


async def go_elsewhere(request: web.Request, router: Router, code: str) -> None:
    """The landing form's code names a session of this database: go to its ``/j/`` page (which
    routes it). Returns when it names none."""
    found = await router.route(code)
    if found.session is not None:
        raise web.HTTPFound(f"/j/{found.session.join_code}")
