"""Queue entries and polls carry their status as enums, like issues and items do."""

from __future__ import annotations

from facilitator.session import commands as c
from facilitator.session.values import PollStatus, QueueStatus
from tests.session.session_kit import make_session


def test_a_queue_entry_moves_through_its_statuses() -> None:
    h = make_session(phones=2, start_first=True)
    h.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    h.run(c.RaiseHand, entry_id="q2", participant_id="p2")
    seen = [h.state.queue[0].status]
    h.run(c.GrantFloor, entry_id="q1")
    seen.append(h.state.queue[0].status)
    h.run(c.EndSpeaking)
    seen.append(h.state.queue[0].status)
    h.run(c.LowerHand, entry_id="q2")
    seen.append(h.state.queue[1].status)
    assert seen == [
        QueueStatus.WAITING,
        QueueStatus.SPEAKING,
        QueueStatus.DONE,
        QueueStatus.LOWERED,
    ]
    assert all(type(status) is QueueStatus for status in seen)


def test_a_poll_is_open_then_closed_or_cancelled() -> None:
    h = make_session(phones=2, start_first=True)
    h.poll("v1")
    seen = [h.state.polls["v1"].status]
    h.vote("p1", "yes")
    h.close_poll("v1")
    seen.append(h.state.polls["v1"].status)
    h.poll("v2")
    h.run(c.CancelPoll, poll_id="v2", reason="問題寫錯了")
    seen.append(h.state.polls["v2"].status)
    assert seen == [PollStatus.OPEN, PollStatus.CLOSED, PollStatus.CANCELLED]
    assert all(type(status) is PollStatus for status in seen)
