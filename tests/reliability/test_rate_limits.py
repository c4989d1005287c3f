"""Slow down, in the resident's language: token buckets per connection and per participant for
issues, supports and hand raises (whichever door they come through), and a flood allowance per
connection. Oversize texts are refused with ``text_too_long``, never cut silently."""

from __future__ import annotations

from facilitator.server.app import CONTEXT
from facilitator.server.limits import RateLimiter, RateLimits
from tests.server.server_kit import Live


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fake_limits(live: Live) -> FakeClock:
    clock = FakeClock()
    live.server.app[CONTEXT].limits = RateLimiter(RateLimits(), clock=clock)
    return clock


async def test_issues_are_limited_per_participant_with_a_translated_message(live: Live) -> None:
    clock = _fake_limits(live)
    token = "t" * 32
    phone = await live.resident("A", token, lang="zh-Hant")
    for n in range(RateLimits().issue.burst):
        assert (await phone.call("raise_issue", text=f"議題{n}"))["ok"]
    before = live.hub.state(live.session_id).version
    ack = await phone.call("raise_issue", text="再一個")
    assert ack["error"] == "rate_limited"
    assert ack["message"] == "操作太頻繁了，請 20 秒後再試。"
    # A second tab of the same person shares the allowance, and so does the generic door.
    tab = await live.phone(token, lang="en")
    ack = await tab.call("raise_issue", text="from the other tab")
    assert ack["error"] == "rate_limited" and "slow down" in ack["message"]
    pid = phone.me["id"]
    door = {"type": "RaiseIssue", "text": "x", "source": "phone", "participant_id": pid}
    assert (await tab.call("command", rid="d", **door))["error"] == "rate_limited"
    assert live.hub.state(live.session_id).version == before
    clock.now += 20  # one more token has dripped in
    assert (await tab.call("raise_issue", text="later"))["ok"]
    assert (await tab.call("raise_issue", text="too soon"))["error"] == "rate_limited"


async def test_supports_and_hands_are_limited(live: Live) -> None:
    clock = _fake_limits(live)
    limits = RateLimits()
    issues = [
        (await live.command("RaiseIssue", text=f"issue {n}", source="moderator")).events[0].issue_id
        for n in range(limits.support.burst + 1)
    ]
    phone = await live.resident("A")
    for issue_id in issues[:-1]:
        assert (await phone.call("support", issue_id=issue_id))["ok"]
    ack = await phone.call("support", issue_id=issues[-1])
    assert ack["error"] == "rate_limited" and "2 seconds" in ack["message"]
    for n in range(limits.hand.burst):
        assert (await phone.call("lower_hand" if n % 2 else "raise_hand"))["ok"]
    assert (await phone.call("raise_hand"))["error"] == "rate_limited"
    clock.now += 5
    assert (await phone.call("raise_hand"))["ok"]
    other = await live.resident("B")  # someone else is not slowed down by A
    assert (await other.call("raise_hand"))["ok"]


async def test_a_flood_of_any_event_is_limited_per_connection(live: Live) -> None:
    clock = _fake_limits(live)
    phone = await live.resident("A")
    other = await live.resident("B")
    acks = [await phone.call("sync") for _ in range(RateLimits().events.burst + 5)]
    limited = [a for a in acks if not a["ok"]]
    assert limited and all(a["error"] == "rate_limited" for a in limited)
    assert (await other.call("sync"))["ok"]  # per connection: the neighbour is unaffected
    clock.now += 1
    assert (await phone.call("sync"))["ok"]


async def test_oversize_texts_are_refused_never_cut(live: Live) -> None:
    phone = await live.resident("A", lang="en")
    exact = "長" * 300
    assert (await phone.call("raise_issue", text=exact))["ok"]
    ack = await phone.call("raise_issue", text="長" * 301)
    assert ack["error"] == "text_too_long"
    assert "301" in ack["message"] and "300" in ack["message"]
    ack = await phone.call("raise_issue", text="x" * 2001)  # caught at the wire
    assert ack["error"] == "text_too_long" and "2001" in ack["message"]
    name = await live.phone()
    assert (await name.call("join", name="名" * 41))["error"] == "text_too_long"
    comment = await phone.call("rate_session", stars=5, comment="c" * 301)
    assert comment["error"] == "text_too_long"
    texts = [i.text for i in live.hub.state(live.session_id).issues.values()]
    assert texts == [exact]  # stored whole; nothing shortened crept in
