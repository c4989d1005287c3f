"""The server of a process that owns no session: a standby (``serve --takeover``) while another
process owns its session, and a district's front process (``serve --district``).

It serves nothing live: ``/j/CODE`` and ``/live/CODE`` lead to whichever process owns the session
(routing.py), the landing page takes a typed code, and every place's intake and public pages are
served as usual. When the owner dies and the standby takes the session, this server stops and the
session's own server starts on the same address.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from facilitator.i18n import catalog_json, error_message, normalize_lang
from facilitator.server.intake_api import MAX_BODY
from facilitator.server.pages import STATIC, Links
from facilitator.server.place_app import mount_places
from facilitator.server.route_pages import answer_phone, go_elsewhere, live_handler, request_lang
from facilitator.server.routing import Router
from facilitator.server.sheet import landing_page
from facilitator.store import Database

_HTML = "text/html"


def build_standby_app(database: Database, links: Links, staff_token: str) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    router = Router(database, tuple, lambda: links.base_url)
    mount_places(app, database, staff_token)

    def nothing_here() -> web.StreamResponse:  # the router never says HERE: no session here
        raise web.HTTPServiceUnavailable()

    async def phone(request: web.Request) -> web.StreamResponse:
        code = request.match_info["code"]
        found = await router.route(code, request.headers.get("X-Forwarded-Host", ""))
        return await answer_phone(request, found, nothing_here)

    async def projector(request: web.Request) -> web.StreamResponse:
        code = request.match_info["code"]
        found = await router.route(code, request.headers.get("X-Forwarded-Host", ""))
        return await answer_phone(request, found, nothing_here, page="d")

    async def landing(request: web.Request) -> web.Response:
        return web.Response(text=landing_page(request_lang(request)), content_type=_HTML)

    async def go(request: web.Request) -> web.Response:
        typed = request.query.get("code", "")
        code = "".join(typed.split()).replace("-", "")
        if code:
            await go_elsewhere(request, router, code)
        lang = request_lang(request)
        unknown = error_message("unknown_session", lang, reader="resident")
        text = landing_page(lang, unknown, typed.strip()[:12])
        return web.Response(text=text, content_type=_HTML, status=404)

    async def catalog(request: web.Request) -> web.Response:
        lang = normalize_lang(request.match_info["lang"])
        headers = {"Cache-Control": "no-cache", "Content-Language": lang}
        return web.Response(
            text=catalog_json(lang), content_type="application/json", headers=headers
        )

    async def close_router(app: web.Application) -> AsyncIterator[None]:
        yield
        router.close()

    app.cleanup_ctx.append(close_router)
    app.router.add_get("/", landing)
    app.router.add_get("/go", go)
    app.router.add_get("/j/{code}", phone)
    app.router.add_get("/d/{code}", projector)
    app.router.add_get("/live/{code}", live_handler(router, links.join_url))
    app.router.add_get("/i18n/{lang}.json", catalog)
    app.router.add_static("/static/", STATIC)
    return app


@dataclass
class RunningStandby:
    runner: web.AppRunner
    base_url: str
    staff_token: str

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_standby_server(
    database: Database, host: str, port: int, public_url: str | None
) -> RunningStandby:
    """Serve the routing and place pages of ``database`` on ``host:port`` until stopped."""
    links = Links()
    staff_token = secrets.token_urlsafe(24)
    app = build_standby_app(database, links, staff_token)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    bound = int(runner.addresses[0][1])
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    links.base_url = (public_url or f"http://{shown}:{bound}").rstrip("/")
    return RunningStandby(runner, links.base_url, staff_token)
