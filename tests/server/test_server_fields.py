"""A request says exactly what it means: unknown fields are refused, an over-long text is refused
naming its field and its own limit, and a request a phone may not send at all is ``forbidden``
before any rate limit."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.server.actions import ACTIONS, JOIN
from facilitator.server.app import CONTEXT
from facilitator.server.limits import Rate, RateLimiter, RateLimits
from tests.server.server_kit import Live

# A plausible, complete payload per event: the refusal must come from the extra field alone.
VALID: dict[str, dict[str, Any]] = {
    "check_in": {},
    "check_out": {},
    "raise_issue": {"text": "路燈"},
    "support": {"issue_id": "i-x"},
    "withdraw": {"issue_id": "i-x"},
    "raise_hand": {},
    "lower_hand": {},
    "vote": {"poll_id": "v-x", "choices": ["yes"]},
    "claim": {"action_id": "t-x"},
    "rate_session": {"stars": 4},
    "rate_delivery": {"ref": "r-x", "stars": 4},
}
INTRUDERS: list[dict[str, Any]] = [
    {"participant_id": "p-someone-else"},
    {"channel": "admin"},
    {"admin": True},
]


def test_every_phone_action_has_a_valid_payload_here() -> None:
    assert set(VALID) == set(ACTIONS)
    for event, payload in VALID.items():
        assert set(payload) <= ACTIONS[event].fields


@pytest.mark.parametrize("event", sorted(VALID))
async def test_an_unknown_field_in_any_phone_event_is_refused(live: Live, event: str) -> None:
    phone = await live.resident("A")
    before = live.hub.state(live.session_id).version
    for intruder in INTRUDERS:
        ack = await phone.call(event, None, **VALID[event], **intruder)
        assert ack["ok"] is False and ack["error"] == "bad_request", (event, intruder, ack)
        assert next(iter(intruder)) not in ack["message"]  # the detail goes to the log only
    assert live.hub.state(live.session_id).version == before


async def test_unknown_fields_in_the_namespaces_own_events(live: Live) -> None:
    fresh = await live.phone()
    ack = await fresh.call("join", None, name="王", admin=True)
    assert ack["error"] == "bad_request"
    assert not (await fresh.call("sync", None, everything=True))["ok"]
    assert not (await fresh.call("set_lang", None, lang="en", debug=1))["ok"]
    assert (await fresh.call("join", None, name="王"))["ok"]
    assert set(JOIN.fields) == {"name", "building", "unit", "category", "invite"}
    display = await live.connect("/display", {"v": 1})
    assert (await display.call("sync", None, x=1))["error"] == "bad_request"
    moderator = await live.moderator()
    refused = await moderator.call("sync", None, x=1)
    assert refused["error"] == "bad_request" and "x" in refused["detail"]  # a script's author
    assert (await moderator.call("invite", None, everyone=True))["error"] == "bad_request"


async def test_a_vote_naming_another_participant_is_refused(live: Live) -> None:
    """``vote {…, participant_id}`` used to be accepted silently (the field was ignored)."""
    poll = (await live.command("OpenPoll", question="加裝電梯？")).events[0].poll_id
    phone = await live.resident("A")
    other = await live.resident("B")
    pid = other.me["id"]
    ack = await phone.call("vote", None, poll_id=poll, choices=["yes"], participant_id=pid)
    assert ack["error"] == "bad_request"
    assert not live.hub.state(live.session_id).polls[poll].ballots


@pytest.mark.parametrize(
    ("event", "fields", "label", "limit"),
    [
        ("join", {"name": "王" * 5000}, "稱呼", 40),
        ("join", {"name": "王", "building": "樓" * 2500}, "樓棟", 40),
        ("raise_issue", {"text": "長" * 5000}, "議題", 300),
        ("rate_session", {"stars": 4, "comment": "好" * 3000}, "評語", 300),
    ],
)
async def test_text_too_long_names_the_field_and_its_own_limit(
    live: Live, event: str, fields: dict[str, Any], label: str, limit: int
) -> None:
    phone = await (
        live.phone(lang="zh-Hant") if event == "join" else live.resident("A", lang="zh-Hant")
    )
    if event == "rate_session":
        await live.command("OpenRating")
    ack = await phone.call(event, None, **fields)
    assert ack["error"] == "text_too_long", ack
    assert f"「{label}」" in ack["message"] and f"最多 {limit} 字" in ack["message"], ack
    assert "2000" not in ack["message"] and "2,000" not in ack["message"]


async def test_an_over_long_id_is_a_bad_request_not_a_text_limit(live: Live) -> None:
    phone = await live.resident("A")
    ack = await phone.call("support", None, issue_id="i" * 3000)
    assert ack["error"] == "bad_request"


async def test_the_generic_door_names_the_commands_own_text(live: Live) -> None:
    moderator = await live.moderator()
    ack = await moderator.call("command", None, type="RecordOpinion", text="x" * 2500, stance="for")
    assert ack["error"] == "text_too_long" and "500" in ack["message"], ack


async def test_forbidden_comes_before_rate_limited(live: Live) -> None:
    """A phone that has used up its allowance is still told it may not send a moderator command
    (or act for someone else), not to slow down; a display likewise."""
    ctx = live.server.app[CONTEXT]
    ctx.limits = RateLimiter(RateLimits(events=Rate(burst=2, per_s=1e-6)))
    phone = await live.resident("A")
    other = await live.resident("B")
    display = await live.connect("/display", {"v": 1})
    for _ in range(3):
        await phone.call("sync", None)
        await display.call("sync", None)
    assert (await phone.call("sync", None))["error"] == "rate_limited"
    assert (await phone.call("command", None, type="OpenPoll", question="?"))["error"] == (
        "forbidden"
    )
    for_other = await phone.call("command", None, type="CheckOut", participant_id=other.me["id"])
    assert for_other["error"] == "forbidden"
    assert (await display.call("raise_hand", None))["error"] == "forbidden"
    fresh = await live.phone()  # not joined: a moderator command is forbidden, not not_joined
    assert (await fresh.call("command", None, type="CloseSession"))["error"] == "forbidden"
