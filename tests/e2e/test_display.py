"""The projector page in real Chromium: the join QR code, the meeting as it moves, no secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, ViewportSize, expect

from facilitator.session import commands as c
from facilitator.session.access import Actor, Role
from tests.e2e.e2e_kit import SCREENSHOTS, serious_violations, stage

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WALL: ViewportSize = {"width": 1920, "height": 1080}


async def _wall(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


async def test_the_projector_shows_how_to_join_and_the_vote_live(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        context = await s.browser.new_context(viewport=WALL, locale="zh-Hant")
        page = await context.new_page()
        page.set_default_timeout(8000)
        await page.goto(f"{s.server.base_url}/display")
        state = s.state
        await expect(page.locator("#numeric")).to_have_text(state.numeric_code)
        await expect(page.locator("#join-url")).to_have_text(s.server.join_url)
        qr = await page.evaluate("document.getElementById('qr').naturalWidth")
        assert qr > 100  # the SVG QR code loaded as an image
        await expect(page.locator("#item")).to_contain_text("居民關切")
        await expect(page.locator("#countdown")).to_have_text(re.compile(r"^(29|30):\d\d$"))
        assert not await serious_violations(page)
        await _wall(page, "10-display-lobby")

        # A resident's issue with markup arrives: shown as text on the wall.
        join = c.JoinSession(
            at=s.hub.clock(), participant_id="p1", device_key="k" * 64, display_name="張伯"
        )
        await s.hub.dispatch(s.session_id, join, Actor(Role.PARTICIPANT))
        issue = c.RaiseIssue(
            at=s.hub.clock(),
            issue_id="i1",
            text="<img src=x onerror=alert(1)> 路燈",
            source=c.IssueSource.PHONE,
            participant_id="p1",
        )
        await s.hub.dispatch(s.session_id, issue, Actor(Role.PARTICIPANT, "p1"))
        await expect(page.locator("#issues li")).to_contain_text("<img src=x onerror=alert(1)>")
        assert await page.locator("#issues img").count() == 0

        await s.command("RaiseHand", name="劉阿姨")
        await s.command("GrantFloor")
        await expect(page.locator("#speaker")).to_contain_text("劉阿姨")

        await s.command("OpenPoll", poll_id="v1", question="是否同意加裝電梯？")
        await s.command("SetWalkInCount", count=9)
        await s.command("RecordHandCount", poll_id="v1", counts=[["yes", 7], ["no", 2]])
        await expect(page.locator("#poll h2")).to_have_text("是否同意加裝電梯？")
        await expect(page.locator("#poll .count").first).to_have_text("7")
        await s.command("ClosePoll", poll_id="v1")
        await expect(page.locator("#poll .outcome")).to_have_text("通過")
        await _wall(page, "11-display-decision")
        html = await page.content()
        assert "k" * 64 not in html and s.server.moderator_token not in html
        assert not await serious_violations(page)
        await context.close()
