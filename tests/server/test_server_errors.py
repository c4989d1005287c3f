"""Every error a client can cause is answered with a stable code and a translated message."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.hub import Hub
from facilitator.store import StorageUnavailable
from tests.server.server_kit import Live

ALWAYS_BAD: list[tuple[str, Any, str]] = [
    ("raise_issue", {"text": "no rid"}, "bad_request"),
    ("raise_issue", ["not", "an", "object"], "bad_request"),
    ("raise_issue", {"rid": "r", "text": 42}, "bad_request"),
    ("raise_issue", {"rid": "r"}, "bad_request"),
    ("vote", {"rid": "r", "poll_id": "v", "choices": "yes"}, "bad_request"),
    ("rate_session", {"rid": "r", "stars": "five"}, "bad_request"),
    ("rate_session", {"rid": "r", "stars": True}, "bad_request"),
    ("raise_issue", {"rid": "r", "text": "x" * 5000}, "text_too_long"),
    ("raise_issue", {"rid": "r", "text": "x" * 301}, "text_too_long"),
    ("raise_issue", {"rid": "r", "text": "   "}, "text_empty"),
    ("launch_rockets", {"rid": "r"}, "unknown_event"),
    ("vote", {"rid": "r", "poll_id": "nope", "choices": ["yes"]}, "unknown_poll"),
    ("lower_hand", {"rid": "r"}, "not_in_queue"),
    ("command", {"rid": "r", "type": "OpenPoll", "question": "?"}, "forbidden"),
    ("command", {"rid": "r", "type": "CloseSession"}, "forbidden"),
    ("command", {"rid": "r", "type": "Nonsense"}, "unknown_event"),
]


@pytest.mark.parametrize(("event", "payload", "code"), ALWAYS_BAD)
async def test_a_bad_request_gets_its_code_and_message(
    live: Live, event: str, payload: Any, code: str
) -> None:
    phone = await live.resident("A")
    ack = await phone.call(event, payload)
    assert ack["ok"] is False and ack["error"] == code, ack
    assert ack["message"] and not ack["message"].startswith("error.")


async def test_before_joining_a_phone_may_only_join(live: Live) -> None:
    phone = await live.phone(lang="zh-Hant")
    ack = await phone.call("raise_hand")
    assert ack["error"] == "not_joined" and "加入" in ack["message"]
    assert (await phone.call("join", name=""))["error"] == "text_empty"
    assert (await phone.call("join", name="x" * 41))["error"] == "text_too_long"


async def test_out_of_turn_actions_are_refused(live: Live) -> None:
    phone = await live.resident("A", lang="zh-Hant")
    poll_id = (await live.command("OpenPoll", question="Q", changeable=False)).events[0].poll_id
    assert (await phone.call("vote", poll_id=poll_id, choices=["maybe"]))["error"] == (
        "invalid_choice"
    )
    assert (await phone.call("vote", poll_id=poll_id, choices=["yes"]))["ok"]
    final = await phone.call("vote", poll_id=poll_id, choices=["no"])
    assert final["error"] == "ballot_final" and "不能" in final["message"]
    await live.command("ClosePoll", poll_id=poll_id)
    assert (await phone.call("vote", poll_id=poll_id, choices=["no"]))["error"] == "poll_closed"
    assert (await phone.call("rate_session", stars=9))["error"] == "invalid_rating"
    assert (await phone.call("rate_delivery", ref="x", stars=3))["ok"] is False
    await phone.call("raise_hand")
    assert (await phone.call("raise_hand"))["error"] == "already_in_queue"


async def test_a_phone_cannot_act_for_someone_else(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    other = b.me["id"]
    ack = await a.call("command", type="CastBallot", poll_id="v", participant_id=other, choices=[])
    assert ack["error"] == "forbidden"


async def test_a_storage_failure_is_reported_and_nothing_is_kept(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = await live.resident("A", lang="en")

    def broken(*_: Any) -> list[int]:
        raise StorageUnavailable("disk full")

    monkeypatch.setattr(live.store, "append_batch", broken)
    ack = await phone.call("raise_issue", text="路燈")
    assert ack["error"] == "storage_error" and "could not save" in ack["message"]
    assert len(live.hub.state(live.session_id).issues) == 0


async def test_a_bug_is_answered_not_swallowed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    phone = await live.resident("A")

    async def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Hub, "dispatch", crash)
    ack = await phone.call("raise_hand")
    assert ack["error"] == "internal_error"


async def test_a_display_sends_nothing(live: Live) -> None:
    display = await live.connect("/display", {"v": 1})
    ack = await display.call("raise_hand")
    assert ack["error"] == "forbidden"
    assert (await display.call("sync"))["ok"]
