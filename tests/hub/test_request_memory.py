"""What the hub remembers of request ids (docs/reliability.md, "Idempotency").

Per session, the last ``REQUEST_MEMORY`` requests that were applied, whichever actor sent them,
each keyed by actor and id; read back from the log on restart. A refused request is not
remembered: sent again, it is decided again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import hub as hub_module
from facilitator.hub import Hub
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import Actor, Role
from facilitator.session.errors import ErrorCode
from facilitator.session.values import IssueSource
from facilitator.store import EventStore
from tests.hub.test_hub import T0, Clock, opened


def phone(pid: str) -> Actor:
    return Actor(Role.PARTICIPANT, pid)


def issue(issue_id: str, pid: str) -> c.RaiseIssue:
    return c.RaiseIssue(
        at=T0, issue_id=issue_id, text="路燈", source=IssueSource.PHONE, participant_id=pid
    )


async def test_the_memory_is_the_last_requests_of_the_session_whoever_sent_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub_module, "REQUEST_MEMORY", 3)
    store = EventStore.open(tmp_path / "memory.db")
    hub = Hub(store, clock=Clock())
    sid = await opened(hub)
    sent = [("p0", "r0"), ("p1", "r1"), ("p2", "r2"), ("p0", "r3")]  # from three phones
    for n, (pid, rid) in enumerate(sent):
        await hub.dispatch(sid, issue(f"i{n}", pid), phone(pid), request_id=rid)
    for pid, rid in sent[1:]:  # the newest three are remembered
        retry = await hub.dispatch(sid, issue("i-new", pid), phone(pid), request_id=rid)
        assert retry.replayed, rid
    # the first is forgotten: sent again, it is applied again (a new issue)
    again = await hub.dispatch(sid, issue("i9", "p0"), phone("p0"), request_id="r0")
    assert not again.replayed and "i9" in hub.state(sid).issues
    # after a restart the memory is the newest three again, read back from the log
    hub.close()
    restarted = Hub(store, clock=Clock())
    restarted.load(sid)
    for pid, rid in [("p2", "r2"), ("p0", "r3"), ("p0", "r0")]:
        retry = await restarted.dispatch(sid, issue("i-new", pid), phone(pid), request_id=rid)
        assert retry.replayed, rid
    forgotten = await restarted.dispatch(sid, issue("i10", "p1"), phone("p1"), request_id="r1")
    assert not forgotten.replayed
    assert "i-new" not in restarted.state(sid).issues


async def test_a_refused_request_is_decided_again(tmp_path: Path) -> None:
    hub = Hub(EventStore.open(tmp_path / "memory.db"), clock=Clock())
    sid = await opened(hub)
    ballot = c.CastBallot(at=T0, poll_id="v1", participant_id="p0", choices=("yes",))
    with pytest.raises(SessionError) as first:
        await hub.dispatch(sid, ballot, phone("p0"), request_id="b-1")
    assert first.value.code is ErrorCode.UNKNOWN_POLL
    await hub.dispatch(sid, c.OpenPoll(at=T0, poll_id="v1", question="?"), Actor(Role.MODERATOR))
    outcome = await hub.dispatch(sid, ballot, phone("p0"), request_id="b-1")
    assert not outcome.replayed and hub.state(sid).polls["v1"].voters == 1
