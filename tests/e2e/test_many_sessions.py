"""Several live sessions in one ``serve`` process, with real processes and real Chromium: each
session's phone page talks to its own socket; a session another process serves is refused at
once (naming that process), and its /j/CODE on this process leads the phone there."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import signal
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from facilitator.hub import Hub
from facilitator.services import session_command
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, facilitator, free_port
from tests.e2e.e2e_kit import ARGS, CHROMIUM, PHONE
from tests.server.server_kit import AGENDA

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
TITLES = ("加裝電梯意見徵集", "停車收費", "垃圾分類")


def make_sessions(db: Path) -> list[tuple[str, str]]:
    """Three sessions in ``db``: (join code, numeric code) each."""
    with EventStore.open(db) as store:
        hub = Hub(store)
        try:
            for title in TITLES:
                hub.create(session_command(dataclasses.replace(AGENDA, title=title), store))
        finally:
            hub.close()
        made = {info.title: (info.join_code, info.numeric_code) for info in store.sessions()}
    return [made[title] for title in TITLES]


def log_size(db: Path) -> list[int]:
    with EventStore.open(db) as store:
        return sorted(store.last_seq(s.session_id) for s in store.sessions())


async def test_one_process_serves_two_sessions_and_sends_a_third_to_its_owner(
    tmp_path: Path,
) -> None:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    db = tmp_path / "district.db"
    (one, _), (two, two_numeric), (three, _) = make_sessions(db)
    common = ("--db", db, "--host", "127.0.0.1")
    elsewhere = Serve(tmp_path, "--session", three, *common, "--port", free_port())
    district: Serve | None = None
    try:
        other = elsewhere.wait_ready()
        before = log_size(db)
        refused = await asyncio.to_thread(
            facilitator, "serve", "--session", one, "--session", three, *common,
            "--port", free_port(), "--lang", "en",
        )  # fmt: skip
        assert refused.returncode == 2 and f"{other['pid']}" in refused.stderr
        assert "is already running" in refused.stderr and log_size(db) == before
        assert f"{other['url']}/j/{three} (projector: {other['url']}/d/{three})" in refused.stderr

        port = free_port()
        district = Serve(tmp_path, "--session", one, "--session", two_numeric, *common,
                         "--port", port)  # fmt: skip
        ready = district.wait_ready()
        assert [s["join_code"] for s in ready["sessions"]] == [one, two]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = await (await browser.new_context(viewport=PHONE, locale="en")).new_page()
                page.set_default_timeout(15000)
                await page.goto(f"http://127.0.0.1:{port}/j/{two}")
                await expect(page.locator("#title")).to_have_text(TITLES[1])
                await page.fill("#join-name", "王阿姨")
                await page.click("#join-form button[type=submit]")
                await expect(page.locator("#whoami")).to_contain_text("王阿姨")

                await page.goto(f"http://127.0.0.1:{port}/j/{three}")
                assert page.url == f"{other['url']}/j/{three}"  # followed to its owner
                await expect(page.locator("#title")).to_have_text(TITLES[2])
            finally:
                await browser.close()
        with EventStore.open(db) as store:
            joined = {s.title: len(list(store.load(s.session_id))) for s in store.sessions()}
        assert joined[TITLES[1]] > joined[TITLES[0]]  # the join went to its own session
        district.process.send_signal(signal.SIGTERM)
        assert district.process.wait(timeout=10) == 0
    finally:
        elsewhere.stop()
        if district is not None:
            district.stop()
