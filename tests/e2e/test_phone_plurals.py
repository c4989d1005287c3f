"""The phone page's English counts, in real headless Chromium: the catalogs' one plural form
(``{count|one|other}``) reads "1 supporter" and "2 supporters", "1 has voted" and "2 have voted"."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.e2e_kit import stage
from tests.e2e.test_phone_page import join

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_english_counts_of_one_and_of_two(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        first, second = await s.phone("en"), await s.phone("en")
        for page, name in ((first, "Ann"), (second, "Bo")):
            await page.goto(s.server.join_url)
            await join(page, name)
        await first.fill("#issue-text", "The lift")
        await first.click("#issue-form button[type=submit]")
        issue = first.locator("#issue-list li").first
        await expect(issue).to_contain_text("1 supporter")
        await expect(issue).not_to_contain_text("1 supporters")
        await second.locator("#issue-list li").first.get_by_role("button").click()
        await expect(issue).to_contain_text("2 supporters")

        await s.command("OpenPoll", question="Build it?")
        await first.get_by_role("button", name="Yes").click()
        await expect(second.locator("#poll-voters")).to_have_text("1 has voted")
        await second.get_by_role("button", name="Yes").click()
        await expect(first.locator("#poll-voters")).to_have_text("2 have voted")
