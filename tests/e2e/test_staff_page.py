"""The staff page (/staff) in real headless Chromium at 360x640: a wrong secret is refused with a
sentence, a signed-in staff member sees only their places, screens a request (the resident's page
shows it), a disabled account is signed out at its next step, and the secret is kept nowhere.
axe: nothing serious or critical."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.async_api import Page, ViewportSize, async_playwright, expect

from tests.e2e.e2e_kit import ARGS, CHROMIUM, serious_violations, shoot
from tests.server.staff_kit import ELSEWHERE, HERE, SECRET, staff_place

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PHONE: ViewportSize = {"width": 360, "height": 640}
SCRIPT = "<img src=x onerror=window.pwned=1>路燈不亮"


async def sign_in(page: Page, name: str, secret: str) -> None:
    await page.get_by_label("工作人員名字").fill(name)
    await page.get_by_label("密碼").fill(secret)
    await page.get_by_role("button", name="登入").click()


async def test_sign_in_screen_and_be_signed_out(tmp_path: Path) -> None:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    async with staff_place(tmp_path) as staff, async_playwright() as playwright:
        resident = staff.place.phone()
        await resident.raise_(SCRIPT)
        await resident.raise_("樓道很暗")
        await resident.raise_("停車位不夠")
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(viewport=PHONE, locale="zh-TW")
            page = await context.new_page()
            page.set_default_timeout(8000)
            await page.goto(f"{staff.place.url}/staff")
            await expect(page.locator("h1")).to_have_text("工作人員：受理訴求")
            assert await serious_violations(page) == []

            await sign_in(page, HERE, "not the right secret")
            await expect(page.locator("#staff-msg")).to_have_text("名字或密碼不正確。")
            await expect(page.get_by_label("密碼")).to_have_value("")  # never kept
            await sign_in(page, HERE, SECRET)
            await expect(page.locator("#who")).to_contain_text(f"已登入：{HERE}")
            places = page.get_by_label("地點").locator("option")
            await expect(places).to_have_text(["和平里社區"])  # only the places granted
            first = page.locator('[data-number="1"]')
            await expect(first).to_contain_text(SCRIPT)  # as text, never as markup
            assert await page.evaluate("window.pwned === undefined")
            assert await serious_violations(page) == []
            await shoot(page, "staff-list-360x640")

            await first.get_by_role("button", name="答覆").click()
            await first.get_by_label("給居民的答覆").fill("已通知物業，明天修")
            await first.get_by_role("button", name="確定答覆 #1").click()
            await expect(page.locator("#staff-msg")).to_have_text("#1 已更新：已答覆")
            await expect(page.locator('[data-number="1"]')).to_contain_text("已答覆")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"]
            request = staff.place.hub.state("heping").requests[1]
            assert request.history[-1].by == HERE and staff.actors()[-1] == f"staff:{HERE}"

            # fixed directly with an owner, then delivered: the item's progress from the page
            msg = page.locator("#staff-msg")
            await first.get_by_role("button", name="限時辦結").click()
            await first.get_by_label("責任方").fill("物業公司")
            await first.get_by_role("button", name="確定限時辦結 #1").click()
            await expect(msg).to_have_text("#1 已更新：限時辦結")
            first = page.locator('[data-number="1"]')
            await first.get_by_role("button", name="進度").click()
            await first.get_by_label("辦理情況（公示頁會顯示）").fill("已換燈泡")
            await first.get_by_label("已辦結").check()
            await first.get_by_role("button", name="確定進度 #1").click()
            await expect(msg).to_have_text("#1 的辦理進度已記錄")
            note = staff.place.hub.state("heping").items["r1"].feedback[-1]
            assert (note.kind, note.text, note.by) == ("done", "已換燈泡", HERE)

            # accepted with a category and as urgent
            third = page.locator('[data-number="3"]')
            await third.get_by_role("button", name="受理", exact=True).click()
            await third.get_by_label("類別").select_option("停車收費")
            await third.get_by_label("緊急").check()
            await third.get_by_role("button", name="確定受理 #3").click()
            await expect(msg).to_have_text("#3 已更新：已受理")
            accepted = staff.place.hub.state("heping").requests[3]
            assert (accepted.category, accepted.urgency.value) == ("停車收費", "urgent")

            stored = await page.evaluate(
                "JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
            )
            assert SECRET not in stored and SECRET not in await page.content()

            # a reload keeps the sign-in (this tab)
            await page.reload()
            await expect(page.locator("#who")).to_contain_text(HERE)

            # the sign-in expires while a reason is being typed: signing in again keeps it
            staff.clock.now += dt.timedelta(hours=12, seconds=1)
            second = page.locator('[data-number="2"]')
            await second.get_by_role("button", name="不予受理").click()
            reason = second.get_by_label("理由（居民會看到）")
            await reason.fill("屬物業管理範圍")
            await second.get_by_role("button", name="確定不予受理 #2").click()
            await expect(msg).to_have_text("登入已過期，請重新登入。")
            await sign_in(page, HERE, SECRET)
            await expect(msg).to_have_text("已重新登入，剛才填寫的內容都還在，請再送出一次。")
            await expect(reason).to_have_value("屬物業管理範圍")
            await second.get_by_role("button", name="確定不予受理 #2").click()
            await expect(msg).to_have_text("#2 已更新：未受理")
            assert staff.place.hub.state("heping").requests[2].reason == "屬物業管理範圍"

            # disabling the account ends the sign-in at its next step, and nothing is written
            staff.place.hub.staff.set_disabled(HERE, True)
            second = page.locator('[data-number="2"]')
            await second.get_by_role("button", name="答覆").click()
            await second.get_by_label("給居民的答覆").fill("再說明一次")
            await second.get_by_role("button", name="確定答覆 #2").click()
            await expect(msg).to_have_text("這個工作人員帳號已停用，請聯絡街道管理員。")
            await expect(page.get_by_role("button", name="登入")).to_be_visible()
            assert await page.evaluate("sessionStorage.length") == 0
            history = staff.place.hub.state("heping").requests[2].history
            assert history[-1].kind == "rejected"

            # staff of another place see theirs, and sign out
            await sign_in(page, ELSEWHERE, SECRET)
            await expect(page.get_by_label("地點").locator("option")).to_have_text(["安樂社區"])
            await expect(page.locator("#requests")).to_have_text("還沒有訴求。")
            await page.get_by_role("button", name="登出").click()
            await expect(page.locator("#staff-msg")).to_have_text("已登出。")
            await shoot(page, "staff-signed-out-360x640")
        finally:
            await browser.close()
