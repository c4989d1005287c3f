"""Personal invitation cards and linking a phone to a roster entry, over real socket.io.

A 7+X roster is known before the meeting. A representative who scans her own card is counted
once, under the roster's name; one who scanned the room's code first is merged by the moderator
(or by scanning her card later) as long as she has not taken part yet.
"""

from __future__ import annotations

import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from tests.server.server_kit import Live


async def _roster(live: Live, name: str) -> str:
    outcome = await live.command("AddRosterEntry", display_name=name, category="resident_rep")
    return str(outcome.events[0].participant_id)


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["i"][0]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.svgs += tag == "svg"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


async def test_a_phone_with_its_card_joins_as_the_roster_entry(live: Live) -> None:
    wang = await _roster(live, "王秀英")
    li = await _roster(live, "李建國")
    moderator = await live.moderator()
    ack = await moderator.call("invite")
    assert ack["ok"], ack
    cards = {card["participant_id"]: card for card in ack["cards"]}
    assert set(cards) == {wang, li}
    assert cards[wang]["name"] == "王秀英"
    assert cards[wang]["url"].startswith(live.server.join_url + "?i=")
    page = _Text()
    page.feed(ack["html"])
    assert "王秀英" in "".join(page.text) and page.svgs == 2  # a QR code on each card
    # the log keeps only the hash of a card's token
    token = _token(cards[wang]["url"])
    files = [live.store.path, live.store.path.with_name(live.store.path.name + "-wal")]
    stored = b"".join(f.read_bytes() for f in files if f.exists())
    assert b"RosterInvited" in stored and token.encode() not in stored

    device = secrets.token_hex(16)
    phone = await live.phone(device)
    joined = await phone.call("join", invite=token)
    assert joined["ok"], joined
    assert joined["me"]["id"] == wang and joined["me"]["name"] == "王秀英"
    assert joined["me"]["checked_in"]
    state = live.hub.state(live.session_id)
    assert len(state.participants) == 2 and state.checked_in == 1
    # the same phone coming back is that person, with or without the card's link
    await phone.close()
    again = await live.phone(device)
    await again.until(lambda: bool(again.mes))
    assert again.me["id"] == wang
    assert (await again.call("join", invite=token))["me"]["id"] == wang
    # the card does not work on a second phone
    other = await live.phone()
    refused = await other.call("join", invite=token)
    assert refused == {
        "ok": False,
        "error": "invite_unknown",
        "message": refused["message"],
    }
    assert "moderator" in refused["message"]
    bad = await other.call("join", invite="x" * 65)
    assert bad["ok"] is False and bad["error"] == "bad_request"


async def test_a_phone_that_joined_by_name_takes_its_card_later(live: Live) -> None:
    wang = await _roster(live, "王秀英")
    moderator = await live.moderator()
    card = (await moderator.call("invite", participant_ids=[wang]))["cards"][0]
    phone = await live.resident("王阿姨")
    first = phone.me["id"]
    ack = await phone.call("join", invite=_token(card["url"]))
    assert ack["ok"] and ack["me"]["id"] == wang
    state = live.hub.state(live.session_id)
    assert first not in state.participants and state.checked_in == 1
    # it acts as the roster entry from now on
    raised = await phone.call("raise_issue", text="燃氣管走哪裡")
    assert raised["ok"]
    issue = live.hub.state(live.session_id).issues[raised["issue_id"]]
    assert issue.participant_id == wang


async def test_the_moderator_links_a_connected_phone_and_it_follows_at_once(live: Live) -> None:
    wang = await _roster(live, "王秀英")
    phone = await live.resident("王秀英")
    first = phone.me["id"]
    moderator = await live.moderator()
    ack = await moderator.call(
        "command", type="LinkDevice", participant_id=wang, from_participant_id=first
    )
    assert ack["ok"], ack
    # the open connection is now the roster entry, told without having to ask
    await phone.until(lambda: phone.me["id"] == wang)
    voted = await phone.call("raise_hand")
    assert voted["ok"] and voted["me"]["id"] == wang
    assert live.hub.state(live.session_id).queue[-1].participant_id == wang


async def test_a_phone_that_took_part_is_not_merged(live: Live) -> None:
    wang = await _roster(live, "王秀英")
    phone = await live.resident("王秀英")
    await phone.call("raise_hand")
    moderator = await live.moderator()
    ack = await moderator.call(
        "command", type="LinkDevice", participant_id=wang, from_participant_id=phone.me["id"]
    )
    assert ack["ok"] is False and ack["error"] == "took_part"
    card = (await moderator.call("invite", participant_ids=[wang]))["cards"][0]
    refused = await phone.call("join", invite=_token(card["url"]))
    assert refused["ok"] is False and refused["error"] == "took_part"
    assert "王秀英" in refused["message"]
    # a moderator's invitation for someone who has a phone is refused with a reason
    again = await moderator.call("invite", participant_ids=[phone.me["id"]])
    assert again["ok"] is False and again["error"] == "has_phone"


async def test_the_join_sheet_prints_the_roster_cards(live: Live) -> None:
    """For `facilitator serve` (no console): the join sheet's button issues the cards."""
    import aiohttp

    token = live.server.moderator_token
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{live.url}/sheet", params={"token": token}) as response:
            assert "/invitations" not in await response.text()  # nobody on the roster yet
        wang = await _roster(live, "王秀英")
        async with http.get(f"{live.url}/sheet", params={"token": token}) as response:
            sheet = await response.text()
            assert response.headers["Cache-Control"] == "no-store"
        assert 'action="/invitations"' in sheet and "1 位尚未用手機" in sheet
        async with http.post(f"{live.url}/invitations", data={"token": "wrong"}) as refused:
            assert refused.status == 403
        broken = {"Content-Type": "multipart/form-data; boundary=zz"}
        async with http.post(f"{live.url}/invitations", data=b"\0" * 64, headers=broken) as bad:
            assert bad.status == 400  # a malformed form is the sender's error, not a crash
        assert dict(live.hub.state(live.session_id).invites) == {}  # nothing issued
        form = {"token": token, "lang": "en"}
        async with http.post(f"{live.url}/invitations", data=form) as response:
            assert response.status == 200
            page = await response.text()
    assert "王秀英" in page and "personal invitations" in page and page.count("<svg") == 1
    url = page[page.index("<code>") + 6 : page.index("</code>")].replace("&amp;", "&")
    phone = await live.phone()
    ack = await phone.call("join", invite=_token(url))
    assert ack["ok"] and ack["me"]["id"] == wang


async def test_a_retried_invite_returns_the_same_cards_and_does_not_void_them(live: Live) -> None:
    wang = await _roster(live, "王秀英")
    moderator = await live.moderator()
    request = {"rid": "inv-1", "participant_ids": [wang]}
    first = await moderator.call("invite", request)
    again = await moderator.call("invite", request)  # the answer was lost; the script retries
    assert again["cards"] == first["cards"]
    assert len(live.hub.state(live.session_id).invites) == 1
    phone = await live.phone()
    joined = await phone.call("join", invite=_token(first["cards"][0]["url"]))
    assert joined["ok"] and joined["me"]["id"] == wang
    fresh = await moderator.call("invite", {"rid": "inv-2", "participant_ids": []})
    assert fresh["ok"] and fresh["cards"] == []
    missing = await moderator.call("invite", {"participant_ids": [wang]})
    assert missing["error"] == "bad_request"  # like every request, invite needs its rid
