"""The console's invitation cards and linking a phone to a roster entry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from facilitator.services import invitation_key
from facilitator.tui.app import ConsoleApp
from facilitator.tui.screens.main import MainScreen
from tests.tui.console_kit import JOIN_URL, SESSION_ID, Kit, notices, type_line, until


def _app(kit: Kit, folder: Path, lang: str = "zh-Hant") -> ConsoleApp:
    return ConsoleApp(
        kit.hub, SESSION_ID, JOIN_URL, lang, clock=kit.clock, ids=kit.ids, folder=folder
    )


async def test_invite_writes_a_card_for_everyone_without_a_phone(kit: Kit, tmp_path: Path) -> None:
    app = _app(kit, tmp_path / "papers", "en")
    async with app.run_test(size=(130, 40)) as pilot:
        await kit.join("p1", "張伯")
        for line in ("roster 王秀英 #resident_rep", "roster 李建國 #deputy"):
            await type_line(pilot, line)
        await until(lambda: len(kit.state.participants) == 3)
        seen = notices(app)
        await type_line(pilot, "invite")
        await until(lambda: len(seen) == 1)
        files = list((tmp_path / "papers").glob("*-invitations.html"))
        assert len(files) == 1 and str(files[0]) in seen[0] and seen[0].startswith("2 invitation")
        page = files[0].read_text(encoding="utf-8")
        assert "王秀英" in page and "李建國" in page and "張伯" not in page
        tokens = [parse_qs(urlsplit(u).query)["i"][0] for u in _urls(page)]
        assert len(tokens) == 2
        # each card's token is the key the engine holds (only the hash is in the log)
        assert {invitation_key(t) for t in tokens} == set(kit.state.invites)
        # one card again (a lost card): only that entry's card changes
        await type_line(pilot, "invite 李建國")
        await until(lambda: len(seen) == 2)
        assert seen[1].startswith("1 invitation")
        assert len(kit.state.invites) == 2
        await type_line(pilot, "invite 張伯")  # has a phone: no card
        await until(lambda: len(seen) == 3)
        assert "without a phone" in seen[2]


def _urls(page: str) -> list[str]:
    start, found = 0, []
    while (at := page.find("<code>", start)) != -1:
        end = page.index("</code>", at)
        found.append(page[at + 6 : end].replace("&amp;", "&"))
        start = end
    return found


async def test_link_makes_a_phone_the_roster_entry(kit: Kit, tmp_path: Path) -> None:
    app = _app(kit, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        seen = notices(app)
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await type_line(pilot, "roster 王秀英")
        await kit.join("p1", "王阿姨")
        present = kit.state.present
        await type_line(pilot, "link 王阿姨 王秀英")
        await until(lambda: "p1" not in kit.state.participants)
        wang = next(p for p in kit.state.participants.values() if p.display_name == "王秀英")
        assert wang.has_device and kit.state.devices["device-p1"] == wang.participant_id
        assert kit.state.present == present - 1  # she had been counted twice
        await until(lambda: "王秀英" in seen[-1])
        await type_line(pilot, "link 王阿姨 王秀英")  # done already: she has her phone
        await until(lambda: seen[-1] == "名冊上沒有尚未綁定手機的「王秀英」。")
        await type_line(pilot, "roster 陳伯")
        await until(lambda: seen[-1] == "已登記 陳伯，已簽到")
        await type_line(pilot, "link 無此人 陳伯")
        await until(lambda: seen[-1] == "沒有人以「無此人」用手機加入。")


async def test_cards_that_cannot_be_written_say_so(kit: Kit, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    app = _app(kit, blocked / "papers", "en")
    async with app.run_test(size=(130, 40)) as pilot:
        await type_line(pilot, "roster 王秀英")
        await until(lambda: len(kit.state.participants) == 1)
        seen = notices(app)
        await type_line(pilot, "invite")
        await until(lambda: bool(seen))
        assert seen[-1].startswith("The invitation cards could not be written")
        assert "run invite again" in seen[-1]
