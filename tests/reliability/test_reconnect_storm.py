"""The Wi-Fi drops for everyone at once, twice, while a poll is open and ballots are in flight.

Every phone reconnects by itself and sends its unanswered ballot again with the same request id.
Afterwards the tally, every phone's own ballot (``me``) and every phone's copy of the public
snapshot agree with the hub, and with a replay of the log.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from facilitator.server.app import SIO
from tests.reliability.rel_kit import Phone, connect_all, read_log, record_figures
from tests.server.server_kit import Live

pytestmark = pytest.mark.slow

PHONES = 120
CHOICES = ("yes", "no", "abstain")


async def _drop_everyone(live: Live) -> int:
    """Cut every TCP connection, as an access point that reboots would (the phones see the
    connection die at once, not only when pings stop)."""
    sockets = list(live.server.app[SIO].eio.sockets.values())
    server = live.server.runner.server
    assert server is not None
    for connection in list(server.connections):
        connection.force_close()
        if connection.transport is not None:
            connection.transport.close()
    return len(sockets)


async def test_everyone_drops_and_returns_during_an_open_poll(live: Live) -> None:
    rng = random.Random(3)
    phones = [Phone(live.url) for _ in range(PHONES)]
    try:
        await connect_all(phones)
        for i, phone in enumerate(phones):
            assert (await phone.request("join", f"j{i}", name=f"R{i}"))["ok"]
        poll_id = (
            (await live.command("OpenPoll", question="Q", changeable=True, hide_tally=False))
            .events[0]
            .poll_id
        )
        chosen: dict[int, str] = {}

        async def vote(i: int, rid: str) -> None:
            await asyncio.sleep(rng.uniform(0, 0.3))
            choice = rng.choice(CHOICES)
            ack = await phones[i].request("vote", rid, poll_id=poll_id, choices=[choice])
            assert ack["ok"], ack
            chosen[i] = choice

        dropped = 0
        for drops, round_ in enumerate(("first", "changed")):
            # everyone is back from the last drop before the next: a phone whose ballot was
            # answered before a drop reconnects in the background, and a drop that found it still
            # reconnecting would not be a drop for it
            def back(n: int = drops) -> bool:
                return all(p.connects > n for p in phones)

            await phones[0].until(back, 30)
            voting = [asyncio.create_task(vote(i, f"{round_}{i}")) for i in range(PHONES)]
            # the drop comes mid-round: some ballots stored, some on the wire, some unsent
            async with asyncio.timeout(30):
                while sum(task.done() for task in voting) < PHONES // 8:
                    await asyncio.sleep(0.005)
            dropped += await _drop_everyone(live)
            async with asyncio.timeout(60):
                await asyncio.gather(*voting)

        state = live.hub.state(live.session_id)
        poll = state.polls[poll_id]
        expected = [sum(1 for c in chosen.values() if c == option) for option in CHOICES]
        assert poll.voters == PHONES and list(poll.totals) == expected
        for i, phone in enumerate(phones):

            def caught_up(p: Phone = phone) -> bool:
                return bool(p.state["seq"] == state.version)

            await phone.until(caught_up, 10)
            assert phone.me["ballots"][poll_id] == [chosen[i]]
            assert phone.state["poll"]["totals"] == expected
            assert phone.state["poll"]["voters"] == PHONES
        _, replayed = read_log(live.store.path, live.session_id)
        assert replayed == state  # the log holds exactly what the room sees
        reconnects = sum(p.connects - 1 for p in phones)
        assert reconnects >= PHONES * 2
        record_figures(
            "reconnect_storm",
            phones=PHONES,
            connections_dropped=dropped,
            reconnects=reconnects,
            ballots_sent_again=sum(a.attempts - 1 for p in phones for a in p.sent),
            ballots_checked=PHONES * 2,
        )
    finally:
        await asyncio.gather(*(p.close() for p in phones))
