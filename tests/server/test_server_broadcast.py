"""Fan-out is coalesced, and nobody sees what is not theirs to see."""

from __future__ import annotations

import asyncio
import json
import secrets

from facilitator.server.participant import device_key
from tests.server.server_kit import Live


async def test_many_votes_make_few_broadcasts(live: Live) -> None:
    phones = await asyncio.gather(*(live.resident(f"R{i}") for i in range(40)))
    watcher = phones[0]
    poll_id = (
        (await live.command("OpenPoll", question="加裝電梯？", hide_tally=False)).events[0].poll_id
    )
    await watcher.until(lambda: watcher.state["poll"] is not None)
    before_states, before_sent = len(watcher.states), live.server.broadcaster.sent
    acks = await asyncio.gather(*(p.call("vote", poll_id=poll_id, choices=["yes"]) for p in phones))
    assert all(a["ok"] for a in acks)
    await watcher.until(lambda: watcher.state["poll"]["voters"] == 40)
    assert watcher.state["poll"]["totals"] == [40, 0, 0]
    received = len(watcher.states) - before_states
    sent = live.server.broadcaster.sent - before_sent
    assert 1 <= received <= 10, received  # 40 votes, a handful of snapshots
    assert sent == received
    # Snapshots carry increasing sequence numbers, so an old one never replaces a new one.
    seqs = [s["seq"] for s in watcher.states]
    assert seqs == sorted(seqs)


async def test_a_phone_gets_only_its_own_private_data(live: Live) -> None:
    a, b = await live.resident("A"), await live.resident("B")
    poll_id = (await live.command("OpenPoll", question="Q")).events[0].poll_id
    await a.call("vote", poll_id=poll_id, choices=["yes"])
    await b.call("raise_hand")
    # each phone's own news arrives in order: once B hears of its hand (after A's ballot was
    # stored) and A of its ballot, anything leaked would already be here
    await b.until(lambda: b.me.get("hand") is not None)
    await a.until(lambda: poll_id in a.me.get("ballots", {}))
    await b.until(lambda: b.state["seq"] == live.hub.state(live.session_id).version)
    assert all(poll_id not in m.get("ballots", {}) for m in b.mes)  # B never got A's ballot
    assert all(m.get("hand") is None for m in a.mes)


async def test_displays_and_phones_see_no_secrets(live: Live) -> None:
    token = secrets.token_hex(16)
    phone = await live.resident("張伯", token)
    display = await live.connect("/display", {"v": 1})
    poll_id = (await live.command("OpenPoll", question="Q", secret=True)).events[0].poll_id
    await phone.call("vote", poll_id=poll_id, choices=["yes"])
    await phone.call("raise_issue", text="路燈")
    await display.until(lambda: display.state["poll"]["voters"] == 1)
    assert display.state["join"]["url"] == live.server.join_url
    assert display.state["join"]["numeric_code"]
    pid = phone.me["id"]
    secrets_ = (token, device_key(token), pid, live.server.moderator_token)
    for view in (display.state, phone.state):
        text = json.dumps(view, ensure_ascii=False)
        for secret in secrets_:
            assert secret not in text
    assert "roster" not in display.state and "roster" not in phone.state
