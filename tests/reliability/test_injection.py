"""A teenager posts `<script>` and a table of pipes: it shows as plain text everywhere.

Hostile names, issues, a poll question and an action title go through the real server; then they
are checked where people read them: the phone page in real Chromium (no dialog fires, no element
is injected, the text shows literally), the moderator's console (Rich/Textual markup such as
``[bold]`` or ``[link=…]`` is not interpreted), and the minutes rendered from the stored log.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.async_api import Dialog, expect

from facilitator.minutes import minutes_html, render_minutes
from facilitator.session import commands as c
from facilitator.session.values import IssueSource
from facilitator.tui.screens.main import MainScreen
from tests.e2e.e2e_kit import stage
from tests.reliability.rel_kit import Phone, read_log, record_figures
from tests.tui.console_kit import Kit, board_issues, screen_text, type_line, until

NAME = '"><img src=x onerror=alert(1)>'  # 30 characters: within the 40 of a name
ISSUES = [
    "<script>alert('issue')</script><b>管線</b>",
    "<img src=x onerror=alert(2)><svg onload=alert(3)>",
    "[click](javascript:alert(4)) ![i](x.png) **bold** | a | b |\n|---|---|",
    "<iframe srcdoc='<script>parent.alert(5)</script>'></iframe>",
    "[bold red]紅[/] [link=https://evil.example]點我[/link] {{7*7}} ${alert(6)}",
]
QUESTION = "<a href=javascript:alert(7)>同意嗎？</a>"
TITLE = "<style>body{display:none}</style>修燈"
DANGEROUS_TAGS = {"script", "img", "svg", "iframe", "style", "b", "a"}


async def _post_everything(url: str) -> None:
    """Two pranksters (three issues each is the allowance) post every payload."""
    for half in (ISSUES[:3], ISSUES[3:]):
        prankster = Phone(url, lang="zh-Hant")
        await prankster.connect()
        try:
            assert (await prankster.request("join", "j", name=NAME))["ok"]
            for n, text in enumerate(half):
                assert (await prankster.request("raise_issue", f"i{n}", text=text))["ok"]
            assert (await prankster.request("raise_hand", "h"))["ok"]
        finally:
            await prankster.close()


@pytest.mark.e2e
@pytest.mark.browser
async def test_hostile_text_is_inert_on_the_phone_page(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        await _post_everything(s.server.base_url)
        await s.command("OpenPoll", question=QUESTION)
        await s.command("AddActionItem", title=TITLE)
        await s.command("GrantFloor")  # the prankster's name is shown as the speaker

        page = await s.phone()
        dialogs: list[str] = []

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)

        page.on("dialog", on_dialog)
        await page.goto(s.server.join_url)
        await page.fill("#join-name", "鄰居")
        await page.click("#join-form button[type=submit]")
        await expect(page.locator("#poll")).to_contain_text(QUESTION)
        for text in ISSUES:
            first_line = text.split("\n")[0]
            await expect(page.locator("#issue-list")).to_contain_text(first_line)
        await expect(page.locator("body")).to_contain_text(TITLE)
        await expect(page.locator("body")).to_contain_text(NAME)
        # an injected handler would fire on load or error: wait until every image has settled
        await page.wait_for_function("() => [...document.images].every(i => i.complete)")
        injected = await page.evaluate(
            """() => [...document.querySelectorAll('#screen script, #screen img, #screen svg,'
                   + ' #screen iframe, #screen style, #screen a[href^="javascript"]')].length"""
        )
        assert dialogs == [] and injected == 0
        assert await page.evaluate("getComputedStyle(document.body).display") != "none"


async def test_hostile_text_is_inert_in_the_console(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(160, 50)) as pilot:
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, "next")
        await kit.join("p1", "[bold]李[/bold]")
        markup = "[link=https://evil.example]點我[/link] [red]紅[/red]"
        await kit.phone(
            "p1",
            c.RaiseIssue(
                at=kit.clock(),
                issue_id="i1",
                text=markup,
                source=IssueSource.PHONE,
                participant_id="p1",
            ),
        )
        await kit.phone("p1", c.RaiseHand(at=kit.clock(), entry_id="q1", participant_id="p1"))
        flat = "".join(markup.split())
        await until(lambda: "[bold]李[/bold]" in screen_text(app) and flat in board_issues(app))
        text, issues = screen_text(app), board_issues(app)
    assert "[bold]李[/bold]" in text  # the queue shows the name with its brackets
    assert "".join(markup.split()) in issues  # the board shows the issue literally (wrapped)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


async def test_hostile_text_is_inert_in_the_minutes(tmp_path: Path) -> None:
    async with stage(tmp_path) as s:
        await _post_everything(s.server.base_url)
        await s.command("AddActionItem", title=TITLE)
        await s.command("CloseSession")
        db = Path(s.hub.store.location)
        session_id = s.session_id
    stored, _ = read_log(db, session_id)
    events = [x.event for x in stored]
    markdown = render_minutes(events, "zh-Hant")
    page = minutes_html(events, "zh-Hant")
    parser = _Tags()
    parser.feed(page)
    assert not {tag for tag, _ in parser.tags} & {"script", "img", "iframe"}
    assert "<style>body{display:none}" not in page  # the page's own stylesheet is the only one
    handlers = [name for _, attrs in parser.tags for name, _ in attrs if name.startswith("on")]
    assert handlers == []  # the charts' SVG is ours; no element carries an event handler
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe" not in page
    links = [dict(attrs).get("href") or "" for tag, attrs in parser.tags if tag == "a"]
    assert not any(link.lower().startswith("javascript") for link in links)
    assert "管線" in markdown and "管線" in page
    record_figures(
        "injection",
        payloads=len(ISSUES) + 3,
        places_checked=["phone page (Chromium)", "console (Textual)", "minutes (Markdown+HTML)"],
        scripts_run=0,
        elements_injected=0,
    )
