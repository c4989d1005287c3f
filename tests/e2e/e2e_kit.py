"""A live server and real headless Chromium (Debian's), driven by Playwright's async API."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, ViewportSize, async_playwright

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind
from facilitator.hub import Hub
from facilitator.server import RunningServer, ServerSettings, start_server
from facilitator.server.app import SIO
from facilitator.server.generic import generic_command
from facilitator.services import session_command
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@dataclass
class Stage:
    """The served session, its hub, and a browser to open phones in."""

    hub: Hub
    session_id: str
    server: RunningServer
    browser: Browser

    async def phone(self, lang: str = "zh-Hant", viewport: ViewportSize = PHONE) -> Page:
        """A fresh phone (its own storage, so its own device token), 390x844 unless told."""
        context = await self.browser.new_context(viewport=viewport, locale=lang)
        page = await context.new_page()
        page.set_default_timeout(8000)
        return page

    async def command(self, type_: str, **fields: Any) -> Any:
        """What the moderator does from the console: straight through the hub."""
        command = generic_command({"type": type_, **fields})
        return await self.hub.dispatch(self.session_id, command, MODERATOR)

    async def drop_connections(self) -> None:
        """Cut every client's transport, as a Wi-Fi outage would (the clients reconnect)."""
        sio = self.server.app[SIO]
        for socket in list(sio.eio.sockets.values()):
            await socket.close(wait=False, abort=True)

    @property
    def state(self) -> Any:
        return self.hub.state(self.session_id)


async def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@asynccontextmanager
async def stage(tmp_path: Path, *, start: bool = True, **fields: Any) -> AsyncIterator[Stage]:
    """A created and opened session with its first item running (unless ``start`` is false),
    and a launched Chromium; ``fields`` sets other fields of the agenda (categories, quorum)."""
    if shutil.which(CHROMIUM) is None:  # never skip: a missing browser is a failure
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    store = EventStore.open(tmp_path / "facilitator.db")
    hub = Hub(store)
    agenda = Agenda(
        title="加裝電梯意見徵集",
        kind=SessionKind.SQUARE_TALK,
        items=(AgendaItemSpec(title="居民關切", time_box_s=1800),),
        **fields,
    )
    command = session_command(agenda, store)
    hub.create(command)
    await hub.dispatch(command.session_id, c.OpenSession(at=hub.clock()), MODERATOR)
    if start:
        await hub.dispatch(command.session_id, c.AdvanceAgenda(at=hub.clock()), MODERATOR)
    settings = ServerSettings(host="127.0.0.1", port=0, broadcast_interval_s=0.05)
    server = await start_server(hub, command.session_id, settings)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield Stage(hub, command.session_id, server, browser)
        finally:
            await browser.close()
            await server.stop()
            hub.close()
            store.close()
