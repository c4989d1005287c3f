"""HTTP routes: the phone page, the landing page, the projector display, the join sheet and its
QR code, catalogs and static files."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from facilitator.i18n import catalog_json, error_message, normalize_lang
from facilitator.server.namespaces import Context
from facilitator.server.route_pages import (
    answer_phone,
    display_page,
    go_elsewhere,
    live_handler,
    phone_page,
)
from facilitator.server.routing import Router
from facilitator.server.sheet import join_sheet, landing_page, qr_svg
from facilitator.services import issue_cards

STATIC = Path(__file__).parent / "static"
_NO_CACHE = {"Cache-Control": "no-cache"}
_NO_STORE = {"Cache-Control": "no-store"}  # pages carrying the moderator token or card tokens
_HTML = "text/html"


@dataclass
class Links:
    """Where the server can be reached; known once the socket is bound."""

    base_url: str = ""
    # Where a phone looks for its session when this process stops answering (route_pages.py).
    fallback_url: str = ""

    def join_url(self, join_code: str) -> str:
        return f"{self.base_url}/j/{join_code}"


def _lang(request: web.Request) -> str:
    """``?lang=``, else the browser's Accept-Language, else Traditional Chinese."""
    return normalize_lang(request.query.get("lang") or request.headers.get("Accept-Language"))


@web.middleware
def _static_not_found(request: web.Request, handler: Handler) -> Awaitable[web.StreamResponse]:
    """A junk static path (longer than the file system allows, say) is a 404, not a 500 with a
    traceback in the log: aiohttp's static handler lets the OSError of the lookup escape.

    Any other request is handed on as it is, not awaited here: a phone's websocket lives for
    the whole evening inside its request, and a coroutine of ours around it would be one more
    frame kept per phone."""
    if not request.path.startswith("/static/"):
        return handler(request)
    return _static(request, handler)


async def _static(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except OSError:
        raise web.HTTPNotFound() from None


Served = Callable[[str], "Context | None"]
"""The session this process serves under a join or numeric code, if any."""


def add_session_routes(app: web.Application, ctx: Context, links: Links) -> None:
    """Register the routes of the one session served by ``ctx``, under its prefix: the join
    sheet, the invitation cards, the projector page and its QR code."""
    prefix = ctx.prefix

    def join_code() -> str:
        return ctx.hub.state(ctx.session_id).join_code

    async def sheet(request: web.Request) -> web.Response:
        token = request.query.get("token", "")
        if not secrets.compare_digest(token.encode(), ctx.moderator_token.encode()):
            raise web.HTTPForbidden(text=error_message("forbidden", _lang(request)))
        state = ctx.hub.state(ctx.session_id)
        base = links.base_url or f"{request.scheme}://{request.host}"
        lang = normalize_lang(request.query.get("lang") or state.lang)
        page = join_sheet(state, base, lang, token, action=f"{prefix}/invitations")
        return web.Response(text=page, content_type=_HTML, headers=_NO_STORE)

    async def invitations(request: web.Request) -> web.Response:
        """``POST /invitations`` (the join sheet's button): new personal invitation cards for
        every roster entry without a phone, as a printable page. A POST, because each call
        issues new cards and retires the ones printed before."""
        try:
            form = await request.post()
        except ValueError:  # a malformed form body (a broken multipart boundary, say)
            lang = _lang(request)
            raise web.HTTPBadRequest(text=error_message("bad_request", lang)) from None
        token = form.get("token", "")
        lang = normalize_lang(str(form.get("lang", "")) or ctx.hub.state(ctx.session_id).lang)
        if not isinstance(token, str) or not secrets.compare_digest(
            token.encode(), ctx.moderator_token.encode()
        ):
            raise web.HTTPForbidden(text=error_message("forbidden", lang))
        base = links.base_url or f"{request.scheme}://{request.host}"
        join_url = f"{base}/j/{join_code()}"
        issued = await issue_cards(ctx.hub, ctx.session_id, join_url, lang)
        return web.Response(text=issued.page, content_type=_HTML, headers=_NO_STORE)

    async def display(request: web.Request) -> web.Response:
        """The projector page: the join QR code and the meeting, large (read-only)."""
        return display_page(str(STATIC), prefix, join_code(), links.fallback_url)

    async def qr(request: web.Request) -> web.Response:
        """The join URL as an SVG QR code, dark on light whatever the page around it."""
        base = links.base_url or f"{request.scheme}://{request.host}"
        return web.Response(text=qr_svg(f"{base}/j/{join_code()}"), content_type="image/svg+xml")

    app.router.add_get(f"{prefix}/sheet", sheet)
    app.router.add_post(f"{prefix}/invitations", invitations)
    app.router.add_get(f"{prefix}/display", display)
    app.router.add_get(f"{prefix}/qr.svg", qr)


def add_process_routes(
    app: web.Application, links: Links, served: Served, router: Router | None = None
) -> None:
    """Register what the whole process answers: the landing page and its form, the phone page
    of every session it serves (``served``), catalogs and static files; with a ``router``, the
    codes of the database's other sessions lead to their owners (routing.py)."""
    app.middlewares.append(_static_not_found)

    async def landing(request: web.Request) -> web.Response:
        return web.Response(text=landing_page(_lang(request)), content_type=_HTML)

    async def go(request: web.Request) -> web.Response:
        """The landing form: a typed numeric code (or join code) leads to the phone page.

        Full-width digits from a Chinese input method (「５５９５」) and spaces are read like
        ASCII ones; a wrong code comes back in the box, so the resident corrects a digit rather
        than typing it all again."""
        typed = request.query.get("code", "")
        code = "".join(unicodedata.normalize("NFKC", typed).split()).replace("-", "")
        ctx = served(code) if code else None
        if ctx is not None:
            raise web.HTTPFound(f"/j/{ctx.hub.state(ctx.session_id).join_code}")
        if code and router is not None:
            await go_elsewhere(request, router, code)
        lang = _lang(request)
        unknown = error_message("unknown_session", lang, reader="resident")
        text = landing_page(lang, unknown, typed.strip()[:12])
        return web.Response(text=text, content_type=_HTML, status=404)

    async def phone(request: web.Request) -> web.StreamResponse:
        code = request.match_info["code"]
        ctx = served(code)
        mine = ctx is not None and ctx.hub.state(ctx.session_id).join_code.upper() == code.upper()
        if router is not None and (not mine or "X-Forwarded-Host" in request.headers):
            found = await router.route(code, request.headers.get("X-Forwarded-Host", ""))
            ctx = served(found.session.join_code) if found.session is not None else None
            return await answer_phone(request, found, lambda: own_page(ctx))
        if not mine:
            lang = _lang(request)
            text = landing_page(lang, error_message("unknown_session", lang, reader="resident"))
            return web.Response(text=text, content_type=_HTML, status=404)
        return own_page(ctx)

    async def projector(request: web.Request) -> web.StreamResponse:
        """``/d/CODE``: the projector page of a session wherever it is served (a projector
        whose process died comes back through it)."""
        code = request.match_info["code"]
        ctx = served(code)
        if ctx is not None and "X-Forwarded-Host" not in request.headers:
            raise web.HTTPFound(f"{ctx.prefix}/display")
        if router is None:
            raise web.HTTPNotFound()
        found = await router.route(code, request.headers.get("X-Forwarded-Host", ""))
        ctx = served(found.session.join_code) if found.session is not None else None

        def here() -> web.StreamResponse:
            assert ctx is not None
            raise web.HTTPFound(f"{ctx.prefix}/display")

        return await answer_phone(request, found, here, page="d")

    def own_page(ctx: Context | None) -> web.Response:
        assert ctx is not None  # the router says HERE only for a session this process serves
        join = ctx.hub.state(ctx.session_id).join_code
        return phone_page(str(STATIC), join, links.fallback_url, f"{ctx.prefix}/socket.io")

    async def catalog(request: web.Request) -> web.Response:
        """A language's catalog; the name may be a browser's list (``zh-TW,en``), and the
        ``Content-Language`` header says which catalog it matched."""
        lang = normalize_lang(request.match_info["lang"])
        headers = {**_NO_CACHE, "Content-Language": lang}
        return web.Response(
            text=catalog_json(lang), content_type="application/json", headers=headers
        )

    app.router.add_get("/", landing)
    app.router.add_get("/go", go)
    app.router.add_get("/j/{code}", phone)
    app.router.add_get("/d/{code}", projector)
    if router is not None:
        app.router.add_get("/live/{code}", live_handler(router, links.join_url))
    app.router.add_get("/i18n/{lang}.json", catalog)
    app.router.add_static("/static/", STATIC)


def add_routes(
    app: web.Application, ctx: Context, links: Links, router: Router | None = None
) -> None:
    """Register every HTTP route of a process serving the one session of ``ctx``."""
    add_session_routes(app, ctx, links)

    def served(code: str) -> Context | None:
        state = ctx.hub.state(ctx.session_id)
        if code == state.numeric_code or code.upper() == state.join_code.upper():
            return ctx
        return None

    add_process_routes(app, links, served, router)
