"""HTTP routes: the phone page, the landing page, the projector display, the join sheet and its
QR code, catalogs and static files."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from facilitator.i18n import catalog_json, error_message, normalize_lang
from facilitator.server.namespaces import Context
from facilitator.server.route_pages import answer_phone, go_elsewhere, live_handler, phone_page
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
async def _static_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A junk static path (longer than the file system allows, say) is a 404, not a 500 with a
    traceback in the log: aiohttp's static handler lets the OSError of the lookup escape."""
    if not request.path.startswith("/static/"):
        return await handler(request)
    try:
        return await handler(request)
    except OSError:
        raise web.HTTPNotFound() from None


def add_routes(
    app: web.Application, ctx: Context, links: Links, router: Router | None = None
) -> None:
    """Register the HTTP routes of the session served by ``ctx``; with a ``router``, the codes
    of the database's other sessions lead to their owners (routing.py)."""
    app.middlewares.append(_static_not_found)

    def state_codes() -> tuple[str, str]:
        state = ctx.hub.state(ctx.session_id)
        return state.join_code, state.numeric_code

    async def landing(request: web.Request) -> web.Response:
        return web.Response(text=landing_page(_lang(request)), content_type=_HTML)

    async def go(request: web.Request) -> web.Response:
        """The landing form: a typed numeric code (or join code) leads to the phone page.

        Full-width digits from a Chinese input method (「５５９５」) and spaces are read like
        ASCII ones; a wrong code comes back in the box, so the resident corrects a digit rather
        than typing it all again."""
        typed = request.query.get("code", "")
        code = "".join(unicodedata.normalize("NFKC", typed).split()).replace("-", "")
        join, numeric = state_codes()
        if code and (code == numeric or code.upper() == join.upper()):
            raise web.HTTPFound(f"/j/{join}")
        if code and router is not None:
            await go_elsewhere(request, router, code)
        lang = _lang(request)
        unknown = error_message("unknown_session", lang, reader="resident")
        text = landing_page(lang, unknown, typed.strip()[:12])
        return web.Response(text=text, content_type=_HTML, status=404)

    async def phone(request: web.Request) -> web.StreamResponse:
        join, _ = state_codes()
        mine = request.match_info["code"].upper() == join.upper()
        if router is not None and (not mine or "X-Forwarded-Host" in request.headers):
            return await answer_phone(request, router, lambda: own_page(join))
        if not mine:
            lang = _lang(request)
            text = landing_page(lang, error_message("unknown_session", lang, reader="resident"))
            return web.Response(text=text, content_type=_HTML, status=404)
        return own_page(join)

    def own_page(join: str) -> web.Response:
        return phone_page(str(STATIC), join, links.fallback_url)

    async def sheet(request: web.Request) -> web.Response:
        token = request.query.get("token", "")
        if not secrets.compare_digest(token.encode(), ctx.moderator_token.encode()):
            raise web.HTTPForbidden(text=error_message("forbidden", _lang(request)))
        state = ctx.hub.state(ctx.session_id)
        base = links.base_url or f"{request.scheme}://{request.host}"
        lang = normalize_lang(request.query.get("lang") or state.lang)
        page = join_sheet(state, base, lang, token)
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
        join_url = f"{base}/j/{ctx.hub.state(ctx.session_id).join_code}"
        issued = await issue_cards(ctx.hub, ctx.session_id, join_url, lang)
        return web.Response(text=issued.page, content_type=_HTML, headers=_NO_STORE)

    async def display(request: web.Request) -> web.FileResponse:
        """The projector page: the join QR code and the meeting, large (read-only)."""
        return web.FileResponse(STATIC / "display.html", headers=_NO_CACHE)

    async def qr(request: web.Request) -> web.Response:
        """The join URL as an SVG QR code, dark on light whatever the page around it."""
        join, _ = state_codes()
        base = links.base_url or f"{request.scheme}://{request.host}"
        return web.Response(text=qr_svg(f"{base}/j/{join}"), content_type="image/svg+xml")

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
    if router is not None:
        app.router.add_get("/live/{code}", live_handler(router, links.join_url))
    app.router.add_get("/sheet", sheet)
    app.router.add_post("/invitations", invitations)
    app.router.add_get("/display", display)
    app.router.add_get("/qr.svg", qr)
    app.router.add_get("/i18n/{lang}.json", catalog)
    app.router.add_static("/static/", STATIC)
