"""A phone whose process dies comes back by itself, in real headless Chromium: two ``serve``
processes on one database, the owner killed with SIGKILL, the standby takes over, and the page
finds the session at its new address and is the same person there (same name, not a second
participant); the projector page finds it too."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from facilitator.session.events import ParticipantJoined
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, free_port, wait_for, write_agenda
from tests.e2e.e2e_kit import ARGS, CHROMIUM, PHONE, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_the_phone_page_follows_its_session_to_the_process_that_took_it_over(
    tmp_path: Path,
) -> None:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    owner_port, standby_port = free_port(), free_port()
    standby_url = f"http://127.0.0.1:{standby_port}"
    common = ("--db", db, "--host", "127.0.0.1")
    owner = Serve(tmp_path, agenda, *common, "--port", owner_port, "--fallback-url", standby_url)
    standby: Serve | None = None
    try:
        ready = owner.wait_ready()
        with EventStore.open(db) as store:
            join = store.get_session(ready["session_id"]).join_code
        standby = Serve(tmp_path, agenda, *common, "--port", standby_port, "--takeover")
        waiting = standby
        wait_for(lambda: "Ctrl-C" in waiting.err.read_text(encoding="utf-8"))
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                context = await browser.new_context(viewport=PHONE, locale="zh-Hant")
                page = await context.new_page()
                page.set_default_timeout(20000)
                await page.goto(f"http://127.0.0.1:{owner_port}/j/{join}")
                await page.fill("#join-name", "張伯")
                await page.click("#join-form button[type=submit]")
                await expect(page.locator("#whoami")).to_contain_text("張伯")
                token = await page.evaluate("localStorage.getItem('facilitator.device')")
                projector = await context.new_page()
                await projector.goto(f"http://127.0.0.1:{owner_port}/display")
                await expect(projector.locator("#qr")).to_be_visible()

                owner.process.send_signal(signal.SIGKILL)
                owner.process.wait(timeout=10)
                await page.wait_for_url(f"{standby_url}/j/{join}", timeout=30000)
                await expect(page.locator("#whoami")).to_contain_text("張伯")
                await expect(page.locator("#join")).to_be_hidden()
                assert "#" not in page.url  # the carried token is not left in the address bar
                await projector.wait_for_url(f"{standby_url}/display", timeout=30000)
                await expect(projector.locator("#qr")).to_be_visible()
                moved = await page.evaluate("localStorage.getItem('facilitator.device')")
                assert moved == token
                await shoot(page, "09-after-takeover")
            finally:
                await browser.close()
        with EventStore.open(db) as store:
            events = [stored.event for stored in store.load(ready["session_id"])]
        joined = [e for e in events if isinstance(e, ParticipantJoined)]
        # one person, not a new one after the move
        assert [e.display_name for e in joined] == ["張伯"]
    finally:
        owner.stop()
        if standby is not None:
            standby.stop()
