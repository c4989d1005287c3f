"""The /moderator namespace: a script can drive a whole session with the secret token."""

from __future__ import annotations

from facilitator.server import PROTOCOL_VERSION
from tests.server.server_kit import Live


async def test_a_wrong_token_is_refused(live: Live) -> None:
    for auth in ({"v": PROTOCOL_VERSION, "token": "guess"}, {"v": PROTOCOL_VERSION}):
        client = await live.connect("/moderator", auth)
        assert not client.sio.connected
        assert client.refused[0]["error"] == "forbidden"


async def test_a_session_driven_remotely(live: Live) -> None:
    moderator = await live.moderator()
    phone = await live.resident("A")
    assert moderator.state["session"]["join_code"]
    opened = await moderator.call(
        "command",
        type="OpenPoll",
        question="選哪條管線路線？",
        kind="single",
        options=["沿牆", "地下"],
        threshold={"rule": "two_thirds"},
        quorum={"rule": "count", "count": 1},
    )
    assert opened["ok"] and opened["events"] == ["PollOpened"]
    poll_id = opened["ids"]["poll_id"]
    await phone.call("vote", poll_id=poll_id, choices=["地下"])
    hands = await moderator.call(
        "command", type="RecordHandCount", poll_id=poll_id, counts=[["沿牆", 0], ["地下", 0]]
    )
    assert hands["ok"]
    closed = await moderator.call("command", type="ClosePoll", poll_id=poll_id)
    assert closed["events"] == ["PollClosed"]
    await moderator.until(lambda: moderator.state["polls"][0]["outcome"] == "passed")
    assert moderator.state["roster"][0]["name"] == "A"
    deadline = await moderator.call(
        "command", type="AddActionItem", title="出具採光評估", deadline="2026-07-01"
    )
    assert deadline["ok"]


async def test_malformed_commands(live: Live) -> None:
    moderator = await live.moderator()
    cases = [
        ({"type": "OpenPoll"}, "bad_request"),  # missing question
        ({"type": "OpenPoll", "question": "Q", "colour": "red"}, "bad_request"),
        ({"type": "OpenPoll", "question": "Q", "kind": "lottery"}, "invalid_value"),
        ({"type": "OpenPoll", "question": "Q", "options": "a,b"}, "bad_request"),
        ({"type": "AddActionItem", "title": "T", "deadline": "soon"}, "invalid_value"),
        ({"type": "CreateSession"}, "unknown_event"),
        ({"type": "StartItem", "item_id": "nope"}, "unknown_item"),
    ]
    for fields, code in cases:
        ack = await moderator.call("command", **fields)
        assert ack["error"] == code, (fields, ack)
    assert (await moderator.call("sing"))["error"] == "unknown_event"
    replay = {"rid": "m-1", "type": "SetWalkInCount", "count": 37}
    assert (await moderator.call("command", replay))["ok"]
    assert (await moderator.call("command", replay))["replayed"]
    assert (await moderator.call("sync"))["state"]["present"] == 37
