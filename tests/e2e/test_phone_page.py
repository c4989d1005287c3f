"""A resident's evening on the phone page, in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from facilitator.server.app import SIO
from facilitator.server.leanws import DirectQueue
from facilitator.services import invite
from tests.e2e.e2e_kit import serious_violations, shoot, stage

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SCRIPT = "<script>window.pwned=1</script><b>管線</b>"


async def join(page: Page, name: str) -> None:
    await page.fill("#join-name", name)
    await page.click("#join-form button[type=submit]")
    await expect(page.locator("#whoami")).to_contain_text(name)


async def test_a_residents_evening(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        # 張伯 scans the QR code (the join URL).
        zhang = await s.phone()
        await zhang.goto(s.server.join_url)
        await expect(zhang.locator("#title")).to_have_text("加裝電梯意見徵集")
        await expect(zhang.locator("#join h2")).to_have_text("加入議事會")
        await shoot(zhang, "01-join")
        assert await serious_violations(zhang) == []
        await join(zhang, "張伯")
        await expect(zhang.locator("#item")).to_contain_text("居民關切")

        # He raises an issue carrying markup: it shows as text, nothing runs.
        await zhang.fill("#issue-text", SCRIPT)
        await zhang.click("#issue-form button[type=submit]")
        issue = zhang.locator("#issue-list li").first
        await expect(issue.locator(".issue-text")).to_contain_text(SCRIPT)
        assert await zhang.evaluate("window.pwned === undefined")
        assert await zhang.locator("#issue-list b, #issue-list script").count() == 0
        await shoot(zhang, "02-main")
        assert await serious_violations(zhang) == []

        # 劉阿姨 types the numeric code on the landing page, joins and supports his issue.
        liu = await s.phone()
        await liu.goto(s.server.base_url + "/")
        await shoot(liu, "00-landing")
        assert await serious_violations(liu) == []
        await liu.fill("#code", s.state.numeric_code)
        await liu.click("button[type=submit]")
        await join(liu, "劉阿姨")
        # Both phones opened a websocket first and are served by the lean session (leanws.py).
        engine = s.server.app[SIO].eio
        assert [type(x.queue) for x in engine.sockets.values()] == [DirectQueue, DirectQueue]
        await liu.locator("#issue-list li").first.get_by_role("button").click()
        await expect(liu.locator("#issue-list li").first).to_contain_text("附議 2 人")
        await expect(zhang.locator("#issue-list li").first).to_contain_text("附議 2 人")

        # The moderator opens a vote: it comes first on both phones; 張伯 votes and sees it.
        await s.command("OpenPoll", question="同意加裝電梯嗎？")
        await expect(zhang.locator("#screen > section").first).to_have_id("poll")
        await zhang.get_by_role("button", name="贊成").click()
        await expect(zhang.locator("#poll-mine")).to_have_text("您已投：贊成")
        await expect(liu.locator("#poll-voters")).to_contain_text("1")
        await expect(liu.locator("#poll")).to_contain_text("無記名投票：各選項票數在表決結束後公佈")
        assert await liu.locator("#poll .tally").count() == 0  # a secret ballot's counts wait
        await shoot(zhang, "03-poll")
        assert await serious_violations(zhang) == []

        # He reloads: same participant, same ballot, nothing asked again.
        number = await zhang.locator("#whoami").text_content()
        await zhang.reload()
        await expect(zhang.locator("#whoami")).to_have_text(number or "")
        await expect(zhang.locator("#poll-mine")).to_have_text("您已投：贊成")
        assert await zhang.locator("#join").is_hidden()

        # A server error, in each resident's own language.
        await zhang.select_option("#lang", "en")
        await expect(zhang.locator("#join h2")).to_have_text("Join the session")
        await zhang.fill("#issue-text", "   ")
        await zhang.click("#issue-form button[type=submit]")
        await expect(zhang.locator("#error-text")).to_contain_text("must not be empty")
        await shoot(zhang, "04-error-en")
        await liu.fill("#issue-text", "   ")
        await liu.click("#issue-form button[type=submit]")
        await expect(liu.locator("#error-text")).to_contain_text("不能為空")

        # The vote closes and so does the session.
        poll_id = s.state.open_poll_id
        await s.command("ClosePoll", poll_id=poll_id)
        await expect(liu.locator("#result-outcome")).to_have_text("結果：通過")
        await expect(liu.locator("#result .tally")).to_contain_text("贊成：1 票（100%）")
        await s.command("CloseSession")
        await expect(liu.locator("#closed h2")).to_have_text("議事會已結束")
        await shoot(liu, "05-closed")
        assert await serious_violations(liu) == []


async def test_reconnecting_is_visible_and_recovers(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        page = await s.phone()
        await page.goto(s.server.join_url)
        await join(page, "Wang")
        # The Wi-Fi drops: the connection dies and cannot come back for a while.
        await page.context.set_offline(True)
        await s.drop_connections()
        await expect(page.locator("#status")).to_be_visible()
        await expect(page.locator("#status")).to_have_text("正在重新連接…")
        await page.context.set_offline(False)
        await expect(page.locator("#status")).to_be_hidden(timeout=15000)
        await expect(page.locator("#whoami")).to_contain_text("Wang")


async def test_a_personal_card_joins_without_typing_a_name(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        added = await s.command("AddRosterEntry", display_name="王秀英", category="resident_rep")
        wang = added.events[0].participant_id
        tokens = await invite(s.hub, s.session_id, [wang])
        page = await s.phone()
        await page.goto(f"{s.server.join_url}?i={tokens[wang]}")
        await expect(page.locator("#whoami")).to_contain_text("王秀英")
        assert await page.locator("#join").is_hidden()
        assert "i=" not in page.url  # the card's token leaves the address bar once used
        assert s.state.participants[wang].checked_in and len(s.state.participants) == 1
        await shoot(page, "06-card")
        # reloading (without the token) is the same person
        await page.reload()
        await expect(page.locator("#whoami")).to_contain_text("王秀英")
        # the card on a second phone: a clear message, and the ordinary way in still works
        other = await s.phone()
        await other.goto(f"{s.server.join_url}?i={tokens[wang]}")
        await expect(other.locator("#error-text")).to_contain_text("邀請卡無效")
        await join(other, "路人甲")


async def test_a_network_that_lets_no_websocket_through_falls_back_to_long_polling(
    tmp_path: Path,
) -> None:
    """Some Wi-Fi proxies refuse websockets: the page, which asks for one first, then joins and
    votes over long-polling (engine.io's own handler on the server)."""
    async with stage(tmp_path) as s:
        engine = s.server.app[SIO].eio
        engine.transports = ["polling"]  # a websocket handshake is refused (400), as such a proxy
        page = await s.phone()
        asked: list[str] = []
        page.on("websocket", lambda ws: asked.append(ws.url))
        await page.goto(s.server.join_url)
        await join(page, "Wang")
        assert any("transport=websocket" in url for url in asked)  # a websocket came first
        assert [type(x.queue).__name__ for x in engine.sockets.values()] == ["Queue"]
        await s.command("OpenPoll", question="同意嗎？")
        await expect(page.locator("#screen > section").first).to_have_id("poll")
