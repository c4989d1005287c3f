"""The phone page for a 70-year-old on a small phone (360x640, and 390x844): the browser's
language, full-width digits, a new poll that comes to her, a header that leaves room for the
buttons, taps that wait for the Wi-Fi, a withdrawal that asks first, buttons that say why not."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.e2e.e2e_kit import PHONE, Stage, serious_violations, shoot, stage

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SMALL: ViewportSize = {"width": 360, "height": 640}
SIZES = {"360x640": SMALL, "390x844": PHONE}

# Counts what the page sends over the socket and what the phone is asked to vibrate.
SPY = """
window.__sent = [];
window.__buzz = [];
const wsSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__sent.push(String(data));
  return wsSend.call(this, data);
};
const xhrSend = XMLHttpRequest.prototype.send;  // socket.io's long-polling, before the upgrade
XMLHttpRequest.prototype.send = function (data) {
  if (data) window.__sent.push(String(data));
  return xhrSend.call(this, data);
};
Object.defineProperty(navigator, "vibrate", {
  value: (ms) => { window.__buzz.push(ms); return true; },
});
"""


async def _phone(s: Stage, lang: str = "zh-Hant", size: ViewportSize = SMALL) -> Page:
    page = await s.phone(lang, size)
    await page.add_init_script(SPY)
    return page


async def _join(page: Page, s: Stage, name: str) -> None:
    await page.goto(s.server.join_url)
    await page.fill("#join-name", name)
    await page.click("#join-form button[type=submit]")
    await expect(page.locator("#whoami")).to_contain_text(name)


@pytest.mark.parametrize(
    ("locale", "heading"),
    [("en-US", "Join the session"), ("zh-CN", "加入议事会"), ("zh-TW", "加入議事會")],
)
async def test_the_language_follows_the_browser_until_one_is_chosen(
    tmp_path: Path, locale: str, heading: str
) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s, locale)
        await page.goto(s.server.join_url)
        await expect(page.locator("#join h2")).to_have_text(heading)
        await page.select_option("#lang", "zh-Hant")
        await expect(page.locator("#join h2")).to_have_text("加入議事會")
        await page.reload()  # a choice is remembered over the browser's language
        await expect(page.locator("#join h2")).to_have_text("加入議事會")


async def test_full_width_digits_work_and_a_wrong_code_keeps_the_text(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s)
        await page.goto(s.server.base_url + "/")
        code = s.state.numeric_code
        wrong = "".join(
            chr(ord(d) + 0xFEE0) for d in ("9" + code[1:] if code[0] != "9" else "1" + code[1:])
        )
        await page.fill("#code", wrong)
        await page.click("button[type=submit]")
        await expect(page.locator("#code")).to_have_value(wrong)  # to correct, not retype
        await expect(page.locator("[role=alert]")).to_be_visible()
        assert await serious_violations(page) == []
        full_width = "".join(chr(ord(d) + 0xFEE0) for d in code)  # 「５５９５」
        await page.fill("#code", full_width)
        await page.click("button[type=submit]")
        await expect(page.locator("#join h2")).to_have_text("加入議事會")


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_a_new_poll_comes_into_view_announced_with_its_buttons_above_the_fold(
    tmp_path: Path, size: str
) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s, size=SIZES[size])
        await _join(page, s, "張伯")
        header = await page.evaluate(
            "document.querySelector('header').getBoundingClientRect().height"
        )
        assert header <= SIZES[size]["height"] / 4, header
        for n in range(3):  # a long page: she has scrolled down to the issues
            await page.fill("#issue-text", f"第{n}個訴求：樓道燈不亮")
            await page.click("#issue-form button[type=submit]")
            await expect(page.locator("#issue-list li")).to_have_count(n + 1)
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await s.command("OpenPoll", question="同意加裝電梯嗎？")
        await expect(page.locator("#announce")).to_have_text("新的表決：同意加裝電梯嗎？")
        await expect(page.locator("#poll-h")).to_be_focused()
        assert await page.evaluate("window.__buzz") == [200]
        await page.evaluate("window.scrollTo(0, 0)")
        bottoms = await page.evaluate(
            "[...document.querySelectorAll('#poll .options button')]"
            ".map(b => b.getBoundingClientRect().bottom)"
        )
        assert len(bottoms) == 3 and max(bottoms) <= SIZES[size]["height"], bottoms
        await shoot(page, f"20-poll-{size}")
        assert await serious_violations(page) == []


async def test_a_tap_while_offline_waits_and_is_sent_once(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s)
        await _join(page, s, "Wang")
        await s.command("OpenPoll", question="同意加裝電梯嗎？")
        await expect(page.locator("#poll-h")).to_be_visible()
        await page.context.set_offline(True)
        await s.drop_connections()
        await expect(page.locator("#status")).to_have_text("正在重新連接…")
        await page.get_by_role("button", name="贊成").click()
        await expect(page.locator("#poll-mine")).to_have_text("將在重新連線後送出：贊成")
        await expect(page.locator("#status")).to_contain_text("將在重新連線後送出")
        await shoot(page, "21-offline-waiting")
        assert await serious_violations(page) == []
        await page.context.set_offline(False)
        await expect(page.locator("#poll-mine")).to_have_text("您已投：贊成", timeout=15000)
        await expect(page.locator("#status")).to_be_hidden()
        votes = [m for m in await page.evaluate("window.__sent") if '"vote"' in m]
        assert len(votes) == 1, votes  # sent once, on reconnecting
        poll = s.state.open_poll
        assert poll is not None and poll.voters == 1 and list(poll.totals) == [1, 0, 0]


async def test_withdrawing_a_support_asks_first(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s, "en-US")
        await _join(page, s, "Zhang")
        await page.fill("#issue-text", "The lift costs")
        await page.click("#issue-form button[type=submit]")
        other = await _phone(s, "en-US")
        await _join(other, s, "Liu")
        item = other.locator("#issue-list li").first
        await expect(item).to_contain_text("1 supporter")  # not "1 supporters"
        await item.get_by_role("button", name="Support").click()
        await expect(item).to_contain_text("2 supporters")
        withdraw = "✓ You support this · Withdraw my support"
        await item.get_by_role("button", name=withdraw).click()
        await expect(item.locator(".confirm")).to_contain_text("Withdraw your support?")
        await shoot(other, "22-withdraw-ask")
        assert await serious_violations(other) == []
        await item.get_by_role("button", name="Keep my support").click()
        await expect(item).to_contain_text("2 supporters")
        await item.get_by_role("button", name=withdraw).click()
        await item.get_by_role("button", name="Withdraw", exact=True).click()
        await expect(item).to_contain_text("1 supporter")
        assert next(iter(s.state.issues.values())).support_count == 1


async def test_a_disabled_button_says_why_and_categories_are_offered(tmp_path: Path) -> None:
    places = ("居民", "黨員", "社區兩委", "物業", "網格員")
    async with stage(tmp_path, start=False, categories=places) as s:
        page = await _phone(s)
        await page.goto(s.server.join_url)
        # optional, in the place's order, as written (filled in once the page has the session)
        await expect(page.locator("#join-category option")).to_have_text(["不填", *places])
        await page.fill("#join-name", "陳阿姨")
        await page.select_option("#join-category", "網格員")
        await page.click("#join-form button[type=submit]")
        await expect(page.locator("#whoami")).to_contain_text("陳阿姨")
        person = next(iter(s.state.participants.values()))
        assert person.category == "網格員"
        raise_hand = page.locator("#hand-raise")
        await expect(raise_hand).to_be_disabled()
        await expect(raise_hand).to_have_attribute("aria-describedby", "hand-why")
        await expect(page.locator("#hand-why")).to_have_text("議程開始後才能舉手")
        await shoot(page, "23-why-disabled")
        assert await serious_violations(page) == []


async def test_a_choice_poll_names_its_winner_on_the_phone(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        page = await _phone(s)
        await _join(page, s, "羅經理")
        await s.command("SetWalkInCount", count=9)
        opened = await s.command(
            "OpenPoll",
            question="管線走哪條路？",
            kind="single",
            options=["沿牆", "地下"],
            quorum={"rule": "present_majority"},
        )
        poll_id = opened.events[0].poll_id
        await expect(page.locator("#poll-quorum")).to_have_text(
            "投票0人，在場10人，法定人數6人：未達"
        )
        await expect(page.locator("#poll-threshold")).to_have_text(
            "簡單多數（得票最多的選項須獲超過投票人數一半的票）"
        )
        await s.command("RecordHandCount", poll_id=poll_id, counts=[["沿牆", 6], ["地下", 2]])
        await expect(page.locator("#poll-quorum")).to_have_text(
            "投票8人，在場10人，法定人數6人：已達"
        )
        await s.command("ClosePoll", poll_id=poll_id)
        await expect(page.locator("#result-outcome")).to_have_text("結果：通過，選定「沿牆」")
        await expect(page.locator("#result .tally")).to_contain_text("沿牆：6 票（75%）")
        await shoot(page, "24-choice-result")
        assert await serious_violations(page) == []
