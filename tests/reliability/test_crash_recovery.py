"""The laptop dies mid-vote, again and again: nothing acknowledged is lost or counted twice.

`facilitator serve` runs as its own process. Hundreds of phones (real socket.io clients) join,
raise issues, support them and vote twice (a first choice, then a changed one) while a killer
sends SIGKILL at random moments and restarts the server on the same file with ``--resume``. The
phones reconnect by themselves and send every unanswered request again with the same request id.
At the end every phone sends *all* its requests once more, as a stale page replaying its outbox
would: each must be answered as a replay and change nothing.

`make test` runs 150 phones and 3 kills; `make soak` 500 phones and 8 kills
(``FACILITATOR_SOAK_PHONES`` / ``FACILITATOR_SOAK_KILLS``).
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from facilitator.session import events as e
from tests.reliability.rel_kit import (
    Phone,
    ServeProcess,
    connect_all,
    env_int,
    moderate,
    moderator_client,
    raise_file_limit,
    read_log,
    record_figures,
    write_agenda,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONES = env_int("FACILITATOR_SOAK_PHONES", 150)
KILLS = env_int("FACILITATOR_SOAK_KILLS", 3)
FINAL = ("yes", "no")  # the changed vote; the first one is always "abstain"


async def _resident(phone: Phone, i: int, poll_id: str, rng: random.Random) -> None:
    """One resident's evening, with a pause between taps so kills land mid-flow."""

    async def pause() -> None:
        await asyncio.sleep(rng.uniform(0.0, 0.6))

    ack = await phone.request("join", f"j{i}", name=f"居民{i}", building=f"{i % 7 + 1}號樓")
    assert ack["ok"], ack
    await pause()
    if i % 4 == 0:
        ack = await phone.request("raise_issue", f"i{i}", text=f"crash-issue-{i}")
        assert ack["ok"], ack
        await pause()
    ack = await phone.request("vote", f"a{i}", poll_id=poll_id, choices=["abstain"])
    assert ack["ok"], ack
    await pause()
    if i % 4:
        wanted = f"crash-issue-{i - i % 4}"
        await phone.until(lambda: any(x["text"] == wanted for x in phone.state["issues"]), 120)
        issue_id = next(x["id"] for x in phone.state["issues"] if x["text"] == wanted)
        ack = await phone.request("support", f"s{i}", issue_id=issue_id)
        assert ack["ok"], ack
        await pause()
    ack = await phone.request("vote", f"b{i}", poll_id=poll_id, choices=[FINAL[i % 2]])
    assert ack["ok"], ack


async def test_sigkill_mid_vote_loses_nothing_and_counts_nothing_twice(tmp_path: Path) -> None:
    raise_file_limit()
    rng = random.Random(7)
    serve = ServeProcess(tmp_path, write_agenda(tmp_path))
    phones: list[Phone] = []
    try:
        ready = await serve.start()
        moderator = await moderator_client(ready.url, ready.moderator_token)
        await moderate(moderator, "AdvanceAgenda")
        opened = await moderate(moderator, "OpenPoll", question="同意加裝電梯嗎？", secret=True)
        poll_id = opened["ids"]["poll_id"]
        await moderator.disconnect()

        phones = [Phone(ready.url, lang="zh-Hant") for _ in range(PHONES)]
        started = time.monotonic()
        await connect_all(phones)
        residents = [
            asyncio.create_task(_resident(p, i, poll_id, random.Random(i)))
            for i, p in enumerate(phones)
        ]

        kills, restart_s = 0, []
        for _ in range(KILLS):
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            if all(t.done() for t in residents):
                break  # too late: nothing left to interrupt (the count below would fail)
            await serve.kill()
            kills += 1
            began = time.monotonic()
            ready = await serve.start(resume=ready.session_id)
            restart_s.append(time.monotonic() - began)
        async with asyncio.timeout(240):
            await asyncio.gather(*residents)

        # A stale page replays its whole outbox: every request is answered as a replay.
        replays_before = [len(p.sent) for p in phones]
        for phone, count in zip(phones, replays_before, strict=True):
            for done in phone.sent[:count]:
                again = await phone.request(done.event, **done.payload)
                assert again["ok"], again
                if done.event != "join":  # join answers "already joined" in its own way
                    assert again["replayed"] is True, (done, again)
        assert await serve.stop(signal.SIGTERM) == 0
        elapsed = time.monotonic() - started
    finally:
        await asyncio.gather(*(p.close() for p in phones))
        await serve.ensure_stopped()

    assert kills == KILLS, "the phones finished before every kill: make the evening longer"
    stored, state = read_log(serve.db, ready.session_id)
    pids = {i: p.me["id"] for i, p in enumerate(phones)}
    assert len(set(pids.values())) == PHONES  # one participant per phone, however often it came

    joined = Counter(
        s.event.participant_id for s in stored if isinstance(s.event, e.ParticipantJoined)
    )
    raised = Counter(s.event.text for s in stored if isinstance(s.event, e.IssueRaised))
    supported = Counter(
        (s.event.participant_id, s.event.issue_id)
        for s in stored
        if isinstance(s.event, e.IssueSupported)
    )
    ballots: dict[str, list[tuple[str, ...]]] = {}
    for s in stored:
        if isinstance(s.event, e.BallotCast):
            ballots.setdefault(s.event.participant_id, []).append(s.event.choices)

    assert all(joined[pid] == 1 for pid in pids.values())
    assert raised == Counter(f"crash-issue-{i}" for i in range(0, PHONES, 4))
    assert sum(supported.values()) == len([i for i in range(PHONES) if i % 4])
    assert all(n == 1 for n in supported.values())
    for i, pid in pids.items():
        # Exactly the two acknowledged ballots, in order: a re-applied stale "abstain" would show.
        assert ballots[pid] == [("abstain",), (FINAL[i % 2],)], (i, ballots[pid])
    poll = state.polls[poll_id]
    assert poll.voters == PHONES
    assert dict(zip(("yes", "no", "abstain"), poll.totals, strict=True)) == {
        "yes": (PHONES + 1) // 2,
        "no": PHONES // 2,
        "abstain": 0,
    }
    # One command per request id: its events are one contiguous run of seqs.
    runs: dict[str, list[int]] = {}
    for s in stored:
        if s.request_id:
            runs.setdefault(s.request_id, []).append(s.seq)
    assert all(seqs == list(range(seqs[0], seqs[0] + len(seqs))) for seqs in runs.values())

    requests = [a for p in phones for a in p.sent[: replays_before[phones.index(p)]]]
    retried = [a for a in requests if a.attempts > 1]
    recovered = [a for a in retried if a.ack.get("replayed")]
    record_figures(
        "crash_recovery",
        phones=PHONES,
        kills_survived=kills,
        restart_seconds_max=round(max(restart_s), 2),
        acknowledged_requests=len(requests),
        ballots_checked=sum(len(b) for b in ballots.values()),
        issues_checked=sum(raised.values()),
        supports_checked=sum(supported.values()),
        requests_sent_again_after_a_kill=len(retried),
        of_which_stored_before_the_kill=len(recovered),
        outbox_replays_answered_as_replays=sum(replays_before) - PHONES,
        seconds=round(elapsed, 1),
    )
