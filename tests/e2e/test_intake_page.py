"""Between evenings in real headless Chromium, at 360x640 and 390x844: a resident raises a request
with a photo from the building's QR page, a neighbour supports it, 「我的訴求」 follows what staff
decide, and the public page takes a rating from home. axe: nothing serious or critical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect

from facilitator.intake.commands import TakeRequests
from tests.e2e.e2e_kit import ARGS, CHROMIUM, serious_violations, shoot
from tests.server.intake_kit import PlaceServer, serve_place

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SIZES: list[ViewportSize] = [{"width": 360, "height": 640}, {"width": 390, "height": 844}]
SCRIPT = "<script>window.pwned=1</script><b>路燈</b>"


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "lamp.jpg"
    Image.new("RGB", (800, 600), (20, 20, 60)).save(path, "JPEG")
    return path


async def new_phone(browser: Browser, size: ViewportSize) -> Page:
    context = await browser.new_context(viewport=size, locale="zh-TW")
    page: Page = await context.new_page()
    page.set_default_timeout(8000)
    return page


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= await page.evaluate("window.innerWidth")


async def staff(place: PlaceServer, path: str, body: dict[str, object]) -> None:
    status, answer = await place.staff(path, body)
    assert status == 200, answer


@pytest.mark.parametrize("size", SIZES, ids=["360x640", "390x844"])
async def test_raise_support_follow_and_rate(tmp_path: Path, size: ViewportSize) -> None:
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    tag = f"{size['width']}x{size['height']}"
    async with serve_place(tmp_path) as place, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            wang = await new_phone(browser, size)
            await wang.goto(f"{place.url}/b/b1?u=2單元")
            await expect(wang.locator("h1")).to_have_text("和平里社區 · 1號樓 · 碼上議")
            await expect(wang.locator("#unit")).to_have_value("2單元")
            assert await serious_violations(wang) == []
            await wang.fill("#text", SCRIPT)
            await wang.select_option("#category", "路燈照明")
            await wang.set_input_files("#photo", str(photo(tmp_path)))
            await wang.click("#send")
            await expect(wang.locator("#raise-msg")).to_have_text("已送出，編號 #1。")
            mine = wang.locator("#mine .card").first
            await expect(mine).to_contain_text("待受理")
            assert await wang.evaluate("window.pwned === undefined")
            assert await wang.locator("#mine b, #open b").count() == 0
            await no_sideways_scroll(wang)
            await shoot(wang, f"intake-raise-{tag}")

            # An empty request is refused with a sentence, and nothing else is lost.
            await wang.fill("#text", " ")
            await wang.fill("#contact", "13800000000")
            await wang.click("#send")
            await expect(wang.locator("#raise-msg")).to_have_text("請填寫訴求內容。")
            await expect(wang.locator("#contact")).to_have_value("13800000000")

            li = await new_phone(browser, size)
            await li.goto(f"{place.url}/b/b1")
            card = li.locator("#open .card").first
            await expect(card).to_contain_text("1號樓居民")
            await card.get_by_role("button", name="附議").click()
            await expect(li.locator("#open .card").first).to_contain_text("2 人附議")
            await expect(li.locator("#open .card").first.get_by_role("button")).to_be_disabled()
            assert await serious_violations(li) == []

            await staff(place, "/requests/1/fix", {"owner": "物業公司", "deadline": "2099-03-06"})
            await wang.reload()
            await expect(wang.locator("#mine .card").first).to_contain_text(
                "已受理，物業公司，2099-03-06前"
            )
            await shoot(wang, f"intake-mine-{tag}")
            assert await serious_violations(wang) == []
            await staff(place, "/items/r1/feedback", {"text": "已換燈泡", "status": "done"})
            number = await li.evaluate(
                """async () => (await (await fetch('/api/b/b1/requests', {method: 'POST',
                  headers: {'Content-Type': 'application/json',
                            'X-Device': localStorage.getItem('facilitator.device')},
                  body: JSON.stringify({text: '停車費太貴'})})).json()).number"""
            )
            await staff(place, f"/requests/{number}/schedule", {"note": "屬下期廣場夜話主題"})
            place.hub.execute("heping", TakeRequests(at=place.hub.clock(), numbers=(number,),
                                                     session_id="s-1"))  # fmt: skip
            await li.reload()
            taken = li.locator(f'#mine .card[data-number="{number}"]')
            await expect(taken).to_contain_text("答覆：屬下期廣場夜話主題")
            await expect(taken).to_contain_text("已排入議事會議程")

            await li.goto(f"{place.url}/p/heping")
            item = li.locator("article.card").first
            await expect(item).to_contain_text("已辦結")
            await expect(item.locator("ol.timeline")).to_contain_text("已換燈泡")
            await item.get_by_role("button", name="4 / 5").click()
            await expect(item.locator(".ratings")).to_have_text("4.0 分（1 人評價）")
            await expect(item).to_contain_text("謝謝，已記下你的評價：4 分。")
            await item.get_by_role("button", name="5 / 5").click()  # the latest counts
            await expect(item.locator(".ratings")).to_have_text("5.0 分（1 人評價）")
            await no_sideways_scroll(li)
            await li.get_by_role("link", name="English").click()  # any resident's language
            await expect(li.locator("h1")).to_have_text("和平里社區 · public progress")
            await expect(li.locator("article.card").first).to_contain_text("5.0 of 5 (rated by 1)")
            await shoot(li, f"public-{tag}")
            assert await serious_violations(li) == []
        finally:
            await browser.close()
