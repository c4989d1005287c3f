"""One resident on two devices, in real headless Chromium: both pages say so, a change on one
shows on the other, and the moderator can sign the devices out."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.e2e_kit import PHONE, serious_violations, shoot, stage

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_two_devices_of_one_resident_and_their_revocation(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        # Two tabs of one browser share localStorage, so one device token: one person.
        context = await s.browser.new_context(viewport=PHONE, locale="zh-Hant")
        first = await context.new_page()
        await first.goto(s.server.join_url)
        await first.fill("#join-name", "張伯")
        await first.click("#join-form button[type=submit]")
        await expect(first.locator("#whoami")).to_contain_text("張伯")
        await expect(first.locator("#devices")).to_be_hidden()
        second = await context.new_page()
        await second.goto(s.server.join_url)
        await expect(second.locator("#whoami")).to_contain_text("張伯")
        for page in (first, second):
            await expect(page.locator("#devices")).to_have_text(
                "您正在 2 部裝置上連線。如果其中有不是您的，請告訴主持人。"
            )
        await shoot(second, "07-two-devices")
        assert await serious_violations(second) == []

        # A hand raised on one shows on the other at once.
        await second.get_by_role("button", name="我要發言（舉手）").click()
        await expect(first.get_by_role("button", name="放下手")).to_be_visible()

        await second.close()
        await expect(first.locator("#devices")).to_be_hidden()

        pid = next(iter(s.state.participants))
        await s.command("RevokeDevices", participant_id=pid)
        await expect(first.locator("#error-text")).to_contain_text("主持人已讓這部手機登出")
        await expect(first.locator("#error .error-title")).to_have_text("已登出")
        await expect(first.locator("#join")).to_be_visible()
        await expect(first.locator("#whoami")).to_be_hidden()
        await shoot(first, "08-signed-out")
        await context.close()
