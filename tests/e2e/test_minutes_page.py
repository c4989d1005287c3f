"""The published minutes in real Chromium: short table headers stay on one line, the chosen
option's bar is not red, and the page has no serious accessibility problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from facilitator.minutes import minutes_html
from tests.e2e.e2e_kit import ARGS, CHROMIUM, serious_violations
from tests.minutes.pavilion_kit import pavilion

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_short_headers_do_not_wrap_and_the_winner_is_not_red(tmp_path: Path) -> None:
    page_file = tmp_path / "minutes.html"
    page_file.write_text(minutes_html(pavilion().log, "zh-Hant"), encoding="utf-8")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 480, "height": 900})
            await page.goto(page_file.as_uri())
            heights = await page.evaluate(
                "[...document.querySelectorAll('th')].map(th => {"
                " const line = parseFloat(getComputedStyle(th).lineHeight);"
                " const pad = parseFloat(getComputedStyle(th).paddingTop)"
                "   + parseFloat(getComputedStyle(th).paddingBottom);"
                " return [th.textContent, (th.clientHeight - pad) / line]; })"
            )
            wrapped = [text for text, lines in heights if lines > 1.5]
            assert heights and wrapped == [], wrapped  # 「完成時限」 never breaks in two
            fill = await page.evaluate(
                "getComputedStyle(document.querySelector('.chart .bar.win')).fill"
            )
            red, _green, blue = (int(x) for x in fill[fill.index("(") + 1 : -1].split(","))
            assert blue > red and red < 128, fill
            assert await serious_violations(page) == []
        finally:
            await browser.close()
