"""Ctrl-C or SIGTERM while phones are connected and voting: the server ends within a few seconds,
and the log holds exactly what was acknowledged (plus, at most, each phone's one request still in
flight, which was stored but whose answer never left)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import sqlite3
import time
from pathlib import Path

import pytest
import socketio

from facilitator.session import events as e
from tests.reliability.rel_kit import (
    Phone,
    ServeProcess,
    connect_all,
    moderate,
    moderator_client,
    read_log,
    record_figures,
    write_agenda,
)

pytestmark = pytest.mark.e2e

PHONES = 40
CHOICES = ("yes", "no", "abstain")


async def _keep_voting(phone: Phone, i: int, poll_id: str) -> None:
    """Change the vote again and again (each request changes something: a distinct choice)."""
    for n in itertools.count():
        choice = CHOICES[(i + n) % 3]
        await phone.request("vote", f"v{i}-{n}", poll_id=poll_id, choices=[choice])
        await asyncio.sleep(0.02)


def _votes(phone: Phone) -> int:
    return sum(1 for a in phone.sent if a.event == "vote")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_a_signal_with_phones_voting_ends_fast_and_keeps_the_log(
    tmp_path: Path, sig: signal.Signals
) -> None:
    serve = ServeProcess(tmp_path, write_agenda(tmp_path))
    phones: list[Phone] = []
    voting: list[asyncio.Task[None]] = []
    moderator: socketio.AsyncClient | None = None
    try:
        ready = await serve.start()
        moderator = await moderator_client(ready.url, ready.moderator_token)
        await moderate(moderator, "AdvanceAgenda")
        poll_id = (await moderate(moderator, "OpenPoll", question="Q"))["ids"]["poll_id"]
        phones = [Phone(ready.url) for _ in range(PHONES)]
        await connect_all(phones)
        for i, phone in enumerate(phones):
            assert (await phone.request("join", f"j{i}", name=f"R{i}"))["ok"]
        voting = [asyncio.create_task(_keep_voting(p, i, poll_id)) for i, p in enumerate(phones)]
        # the signal comes mid-vote: every phone has had votes stored and keeps sending more
        await phones[0].until(lambda: all(_votes(p) >= 3 for p in phones))
        started = time.monotonic()
        code = await serve.stop(sig, timeout=10)
        took = time.monotonic() - started
    finally:
        for task in voting:
            task.cancel()
        for task in voting:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.gather(*(p.close() for p in phones))
        if moderator is not None:
            await moderator.disconnect()
        await serve.ensure_stopped()

    # ``stop`` fails the test if the server has not ended 10 s after the signal (a hang); how fast
    # it ends is a figure (record_figures below, docs/reliability.md), not an assertion on a
    # shared machine.
    assert code == 0, serve.stderr.read_text()
    with sqlite3.connect(serve.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored, state = read_log(serve.db, ready.session_id)
    in_log = {s.request_id for s in stored if s.request_id}
    acked_votes = 0
    for phone in phones:
        pid = phone.me["id"]
        votes = [a for a in phone.sent if a.event == "vote"]
        assert all(a.ack["ok"] for a in votes), votes
        acked_votes += len(votes)
        assert {f"p:{pid}|{a.payload['rid']}" for a in votes} <= in_log  # nothing acked is lost
        mine = [
            s.event for s in stored if isinstance(s.event, e.BallotCast) and s.actor == f"p:{pid}"
        ]
        assert len(mine) - len(votes) in (0, 1)  # at most the one in flight, never more
        assert state.polls[poll_id].ballots[pid].choices == mine[-1].choices
    record_figures(
        f"shutdown_{sig.name}",
        phones=PHONES,
        seconds_to_stop=round(took, 2),
        acknowledged_ballots=acked_votes,
        acknowledged_ballots_missing=0,
    )
