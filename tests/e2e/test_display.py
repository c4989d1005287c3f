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

        # A named poll shows its running counts, scaled to the voters, with percentages.
        await s.command(
            "OpenPoll",
            poll_id="v1",
            question="是否同意加裝電梯？",
            secret=False,
            quorum={"rule": "count", "count": 8},
        )
        await s.command("SetWalkInCount", count=9)
        await s.command("RecordHandCount", poll_id="v1", counts=[["yes", 6], ["no", 2]])
        await expect(page.locator("#poll h2")).to_have_text("是否同意加裝電梯？")
        await expect(page.locator("#poll .count").first).to_have_text("6 票 · 75%")
        await expect(page.locator("#poll .quorum")).to_have_text("在場10人，法定人數8人：已達")
        widths = await page.evaluate(
            "[...document.querySelectorAll('#poll .bar')].map(b => "
            "b.firstElementChild.getBoundingClientRect().width / b.clientWidth)"
        )
        assert abs(widths[0] - 0.75) < 0.02 and abs(widths[1] - 0.25) < 0.02  # of the voters
        await _wall(page, "11-display-vote")
        await s.command("ClosePoll", poll_id="v1")
        await expect(page.locator("#poll .outcome")).to_have_text("決議：通過")
        await _wall(page, "12-display-decision")
        html = await page.content()
        assert "k" * 64 not in html and s.server.moderator_token not in html
        assert not await serious_violations(page)

        # A secret ballot hides its counts until it closes; a tied choice names the tied options.
        await s.command(
            "OpenPoll",
            poll_id="v2",
            question="管線走哪條路？",
            kind="single",
            options=["沿牆", "地下"],
            threshold={"rule": "plurality"},
        )
        await s.command("RecordHandCount", poll_id="v2", counts=[["沿牆", 4], ["地下", 4]])
        await expect(page.locator("#poll .hidden-tally")).to_contain_text("表決結束後公佈")
        await expect(page.locator("#poll .voters")).to_have_text("已投票 8 人，在場 10 人")
        assert await page.locator("#poll .count").count() == 0
        await s.command("ClosePoll", poll_id="v2")
        await expect(page.locator("#poll .outcome")).to_have_text(
            "決議：未選定任何選項（「沿牆」、「地下」票數相同）"
        )
        await expect(page.locator("#poll .count").first).to_have_text("4 票 · 50%")

        # The session ends: the outcome stays on the wall, the join QR code goes.
        await s.command("CloseSession")
        await expect(page.locator("#item")).to_have_text("本次議事已結束，謝謝參與")
        await expect(page.locator("#join")).to_be_hidden()
        await expect(page.locator("#qr")).to_be_hidden()
        await expect(page.locator("#poll .outcome")).to_be_visible()
        await _wall(page, "13-display-ended")
        assert not await serious_violations(page)
        await context.close()


async def test_the_projector_uses_the_whole_screen_at_a_readable_size(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        context = await s.browser.new_context(viewport=WALL, locale="zh-Hant")
        page = await context.new_page()
        page.set_default_timeout(8000)
        await page.goto(f"{s.server.base_url}/display")
        await s.command("SetWalkInCount", count=30)
        await s.command("OpenPoll", poll_id="v1", question="是否同意加裝電梯？", secret=False)
        await s.command("RecordHandCount", poll_id="v1", counts=[["yes", 20], ["no", 10]])
        await expect(page.locator("#poll .count").first).to_have_text("20 票 · 67%")
        box = await page.evaluate(
            "(() => { const r = document.getElementById('wall').getBoundingClientRect();"
            " return [r.width, r.height, document.documentElement.scrollHeight]; })()"
        )
        assert box[0] == 1920 and box[1] == 1080 and box[2] <= 1080  # all of it, no scrolling
        sizes = await page.evaluate(
            "['#poll h2', '#poll .count', '#numeric', '#item'].map(s => "
            "parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
        )
        # From the back of a square (about 10 m), text needs to be some 40 px high or more.
        assert min(sizes) >= 40, sizes
        bars = await page.evaluate(
            "document.querySelector('#poll .bar').getBoundingClientRect().width"
        )
        assert bars > 700  # the bars use the width of the screen
        await _wall(page, "14-display-full")
        assert not await serious_violations(page)
        await context.close()
