"""The page a phone gets for a session nobody serves right now, in real Chromium at 360×640: it
says so in the phone's language, links the place's public page, passes axe, and becomes the
phone page by itself once a process serves the session (wherever that process is)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from facilitator.hub import Hub
from facilitator.place_hub import PlaceHub
from facilitator.services import session_command
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, free_port
from tests.e2e.e2e_kit import ARGS, CHROMIUM, serious_violations, shoot
from tests.server.intake_kit import create_place
from tests.server.server_kit import AGENDA

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_the_not_live_page_turns_into_the_phone_page_when_the_session_starts(
    tmp_path: Path,
) -> None:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    db = tmp_path / "district.db"
    with PlaceHub.open(str(db)) as places:
        create_place(places)
    with EventStore.open(db) as store:
        hub = Hub(store)
        for title in ("停車收費", "垃圾分類"):
            agenda = dataclasses.replace(AGENDA, title=title, place="heping")
            hub.create(session_command(agenda, store))
        hub.close()
        codes = {info.title: info.join_code for info in store.sessions()}
    common = ("--db", db, "--host", "127.0.0.1")
    first = Serve(tmp_path, "--session", codes["停車收費"], *common, "--port", free_port())
    later: Serve | None = None
    try:
        here = first.wait_ready()["url"]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                context = await browser.new_context(
                    viewport={"width": 360, "height": 640}, locale="zh-TW"
                )
                page = await context.new_page()
                page.set_default_timeout(20000)
                waiting = await page.goto(f"{here}/j/{codes['垃圾分類']}")
                assert waiting is not None and waiting.status == 503
                await expect(page.locator("#not-live")).to_have_text("這場議事現在沒有進行")
                await expect(page.locator("#public")).to_have_attribute(
                    "href", "/p/heping?lang=zh-Hant"
                )
                await shoot(page, "10-not-live")
                assert await serious_violations(page) == []

                later = Serve(
                    tmp_path, "--session", codes["垃圾分類"], *common, "--port", free_port()
                )
                there = later.wait_ready()["url"]
                await page.wait_for_url(f"{there}/j/{codes['垃圾分類']}", timeout=30000)
                await expect(page.locator("#title")).to_have_text("垃圾分類")
                await expect(page.locator("#join")).to_be_visible()
            finally:
                await browser.close()
    finally:
        first.stop()
        if later is not None:
            later.stop()
