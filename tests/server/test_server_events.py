"""Every participant action of the engine is reachable from a phone, and answered."""

from __future__ import annotations

from tests.server.server_kit import Live


async def test_issues_raise_support_withdraw(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    raised = await a.call("raise_issue", text="<script>alert(1)</script> 費用")
    assert raised["ok"] and raised["me"]["raised"] == [raised["issue_id"]]
    supported = await b.call("support", issue_id=raised["issue_id"])
    assert supported["me"]["supports"] == [raised["issue_id"]]
    await b.until(lambda: b.state["issues"][0]["supports"] == 2)  # the raiser supports it too
    assert b.state["issues"][0]["text"] == "<script>alert(1)</script> 費用"  # kept as typed
    withdrawn = await b.call("withdraw", issue_id=raised["issue_id"])
    assert withdrawn["me"]["supports"] == []
    await b.until(lambda: b.state["issues"][0]["supports"] == 1)


async def test_hands_raise_lower_and_queue_places(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    assert (await a.call("raise_hand"))["me"]["hand"] == {"status": "waiting", "position": 1}
    assert (await b.call("raise_hand"))["me"]["hand"]["position"] == 2
    await a.call("lower_hand")
    # B moved up: its own place arrives in a pushed "me", not only in acks.
    await b.until(lambda: (b.me.get("hand") or {}).get("position") == 1)
    await b.until(lambda: [q["name"] for q in b.state["queue"]] == ["B"])
    await live.command("GrantFloor")
    await b.until(lambda: (b.me.get("hand") or {}).get("status") == "speaking")
    await b.until(lambda: (b.state["speaker"] or {}).get("name") == "B")


async def test_vote_change_and_tally(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    poll_id = (
        (await live.command("OpenPoll", question="加裝電梯？", hide_tally=False)).events[0].poll_id
    )
    await a.until(lambda: a.state["poll"] is not None)
    assert (await a.call("vote", poll_id=poll_id, choices=["yes"]))["me"]["ballots"] == {
        poll_id: ["yes"]
    }
    await b.call("vote", poll_id=poll_id, choices=["no"])
    await a.call("vote", poll_id=poll_id, choices=["no"])  # changeable by default
    await a.until(lambda: a.state["poll"]["totals"] == [0, 2, 0])
    await live.command("ClosePoll", poll_id=poll_id)
    await a.until(lambda: a.state["poll"] is None and a.state["last_poll"] is not None)
    assert a.state["last_poll"]["outcome"] == "failed"


async def test_check_out_and_in(live: Live) -> None:
    a = await live.resident("A")
    assert (await a.call("check_out"))["me"]["checked_in"] is False
    assert (await a.call("check_in"))["me"]["checked_in"] is True


async def test_claim_an_action_item(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    action_id = (await live.command("AddActionItem", title="召開3號樓協商會")).events[0].action_id
    assert (await a.call("claim", action_id=action_id))["me"]["claims"] == [action_id]
    await b.until(lambda: b.state["actions"][0]["claimed_by"] == "A")
    refused = await b.call("claim", action_id=action_id)
    assert refused["error"] == "already_claimed"


async def test_rate_the_session_and_a_delivery(live: Live) -> None:
    a = await live.resident("A")
    await live.command("OpenRating")
    await a.until(lambda: a.state["session"]["rating_open"])
    rated = await a.call("rate_session", stars=4, comment="好")
    assert rated["me"]["rating"] == {"stars": 4, "comment": "好"}
    await a.until(lambda: a.state["rating"]["count"] == 1)


async def test_a_retry_with_the_same_request_id_is_not_applied_twice(live: Live) -> None:
    a = await live.resident("A")
    payload = {"rid": "retry-1", "text": "路燈太暗"}
    first = await a.call("raise_issue", payload)
    second = await a.call("raise_issue", payload)
    assert first["ok"] and second["ok"] and second["replayed"]
    assert len(live.hub.state(live.session_id).issues) == 1


async def test_sync_and_language(live: Live) -> None:
    a = await live.resident("A")
    synced = await a.call("sync")
    assert synced["state"]["seq"] == live.hub.state(live.session_id).version
    assert synced["me"]["name"] == "A"
    assert (await a.call("set_lang", lang="zh-CN"))["lang"] == "zh-Hans"
    refused = await a.call("withdraw", issue_id="nope")
    assert refused["error"] == "unknown_issue"
    assert "议题" in refused["message"] or "找不到" in refused["message"]
