"""Joining: by device token, the same phone is the same participant, late phones get everything."""

from __future__ import annotations

import secrets

from facilitator.server import PROTOCOL_VERSION
from tests.server.server_kit import Live


async def test_a_phone_gets_the_whole_state_and_is_not_joined_yet(live: Live) -> None:
    phone = await live.phone()
    await phone.until(lambda: bool(phone.mes))
    assert phone.state["session"]["title"] == "加裝電梯意見徵集"
    assert phone.state["item"]["title"] == "工程師說明"
    assert phone.me == {"joined": False}


async def test_join_checks_in_and_answers_with_me(live: Live) -> None:
    phone = await live.phone()
    ack = await phone.call("join", name="張伯", building="3號樓")
    assert ack["ok"] and ack["me"]["joined"] and ack["me"]["checked_in"]
    assert ack["me"]["name"] == "張伯" and ack["me"]["building"] == "3號樓"
    await phone.until(lambda: phone.state["present"] == 1)


async def test_reconnect_with_the_same_token_is_the_same_participant(live: Live) -> None:
    token = secrets.token_hex(16)
    phone = await live.resident("劉阿姨", token)
    await live.resident("王叔", None)
    raised = await phone.call("raise_issue", text="費用怎麼分攤")
    await phone.call("support", issue_id=raised["issue_id"])
    await phone.call("raise_hand")
    poll = await live.command("OpenPoll", question="加裝電梯？")
    await phone.call("vote", poll_id=poll.events[0].poll_id, choices=["yes"])
    before = phone.me
    await phone.close()

    again = await live.phone(token)
    await again.until(lambda: bool(again.mes))
    assert again.me == before
    assert again.me["ballots"] == {poll.events[0].poll_id: ["yes"]}
    assert again.me["supports"] == [raised["issue_id"]]
    assert again.me["hand"] == {"status": "waiting", "position": 1}
    # Joining again from the same phone does not make a second participant.
    ack = await again.call("join", name="someone else")
    assert ack["me"]["id"] == before["id"]
    assert len(live.hub.state(live.session_id).participants) == 2


async def test_a_late_phone_sees_everything_at_once(live: Live) -> None:
    early = await live.resident("A")
    await early.call("raise_issue", text="一樓採光怎麼辦")
    await live.command("OpenPoll", question="Q")
    late = await live.phone()
    assert late.state["issues"][0]["text"] == "一樓採光怎麼辦"
    assert late.state["poll"]["question"] == "Q"


async def test_a_stale_page_is_told_to_reload(live: Live) -> None:
    auth = {"v": PROTOCOL_VERSION + 1, "token": secrets.token_hex(16), "lang": "zh-Hant"}
    phone = await live.connect("/participant", auth)
    assert not phone.sio.connected
    assert phone.refused[0]["error"] == "protocol_mismatch"
    assert "重新" in phone.refused[0]["message"] or "刷新" in phone.refused[0]["message"]


async def test_a_phone_without_a_device_token_is_refused(live: Live) -> None:
    phone = await live.connect("/participant", {"v": PROTOCOL_VERSION, "token": "short"})
    assert phone.refused[0]["error"] == "bad_request"


async def test_beyond_the_cap_a_phone_is_told_the_server_is_full(tmp_path: object) -> None:
    from pathlib import Path

    from tests.server.server_kit import start_live

    capped = await start_live(Path(str(tmp_path)), max_connections=2)
    try:
        await capped.phone()
        await capped.phone()
        third = await capped.phone()
        assert third.refused[0]["error"] == "server_full"
        assert capped.server.connections == 2
        moderator = await capped.moderator()  # the moderator always gets in
        assert moderator.sio.connected
        await capped.clients[0].close()
        await third.until(lambda: capped.server.connections == 1)  # its place is free again
        fourth = await capped.phone()
        assert fourth.sio.connected
    finally:
        await capped.close()
