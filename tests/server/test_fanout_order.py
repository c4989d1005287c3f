"""Who is written to first: the phones of the people who just acted get the next snapshot before
everyone else (facilitator/server/broadcast.py, ``Broadcaster._send_state``). Measured on the
server's side, at the transports, with real phones on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from facilitator.server.app import SIO
from facilitator.server.fanout import FanoutManager
from tests.server.server_kit import Client, Live, start_live


class Recorder:
    """Stands in for a phone's transport: notes whose it is, then writes as it would."""

    def __init__(self, transport: Any, eio_sid: str, log: list[str]) -> None:
        self.transport, self.eio_sid, self.log = transport, eio_sid, log

    def write(self, data: bytes) -> None:
        if b'"state"' in data:
            self.log.append(self.eio_sid)
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    server = await start_live(tmp_path, fast_fanout=True, broadcast_interval_s=0.5)
    try:
        yield server
    finally:
        await server.close()


def eio_sid_of(live: Live, phone: Client) -> str:
    manager = live.server.app[SIO].manager
    sid = phone.sio.get_sid("/participant")
    found: str = manager.eio_sid_from_sid(sid, "/participant")
    return found


async def test_the_phones_that_just_acted_are_written_to_before_the_others(live: Live) -> None:
    manager = live.server.app[SIO].manager
    assert isinstance(manager, FanoutManager)
    phones = [await live.resident(f"居民{i}") for i in range(12)]
    log: list[str] = []
    for eio_sid, direct in manager.direct.items():
        direct.transport = Recorder(direct.transport, eio_sid, log)  # type: ignore[assignment]
    await live.command("OpenPoll", question="裝電梯嗎？")
    await phones[0].until(lambda: bool(phones[0].state.get("poll")))
    voters = [phones[9], phones[4], phones[11]]  # neither the first nor the last to join
    # A change goes out at once and the ticker then waits an interval: the three ballots, cast
    # together right after, go out together in the next snapshot.
    await live.command("SetWalkInCount", count=2)
    log.clear()
    poll_id = phones[0].state["poll"]["id"]
    ballots = (p.call("vote", poll_id=poll_id, choices=["yes"]) for p in voters)
    acks = await asyncio.gather(*ballots)
    assert all(ack["ok"] for ack in acks), acks
    version = max(ack["seq"] for ack in acks)
    for phone in phones:

        def caught_up(phone: Client = phone) -> bool:
            return bool(phone.state["seq"] >= version)

        await phone.until(caught_up)
    # The snapshot(s) since the ballots: in each, the voters' connections come first.
    first_round = log[: len(phones)]
    assert sorted(first_round) == sorted(eio_sid_of(live, p) for p in phones), log
    written_first = set(first_round[: len(voters)])
    assert written_first == {eio_sid_of(live, p) for p in voters}, (first_round, voters)
