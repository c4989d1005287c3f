"""The speaker queue (發言排隊) and opinions (意見)."""

from __future__ import annotations

from collections.abc import Callable

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode
from facilitator.session.speakers import position, waiting
from facilitator.session.values import Stance
from tests.session.session_kit import Harness

E = ErrorCode


def test_queue_is_first_come_first_served(live: Harness) -> None:
    assert live.run(c.RaiseHand, entry_id="q1", participant_id="p2") == (
        e.HandRaised(at=live.now, entry_id="q1", item_id="a1", participant_id="p2", name="居民p2"),
    )
    live.advance(seconds=5)
    live.run(c.RaiseHand, entry_id="q2", participant_id="p1")
    live.run(c.RaiseHand, entry_id="q3", name=" 劉阿姨 ")  # q+ 劉阿姨: a real hand, no phone
    assert [q.entry_id for q in waiting(live.state)] == ["q1", "q2", "q3"]
    assert live.state.queue[2].name == "劉阿姨"
    assert live.state.queue[2].participant_id is None
    assert (position(live.state, "p2"), position(live.state, "p1")) == (1, 2)
    assert position(live.state, "p3") is None


def test_raise_hand_refusals(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    live.run(c.RaiseHand, entry_id="q2", name="劉阿姨")
    live.reject(E.DUPLICATE_ID, c.RaiseHand, entry_id="q1", participant_id="p2")
    live.reject(E.INVALID_VALUE, c.RaiseHand, entry_id="", participant_id="p2")
    live.reject(E.ALREADY_IN_QUEUE, c.RaiseHand, entry_id="q3", participant_id="p1")
    live.reject(E.ALREADY_IN_QUEUE, c.RaiseHand, entry_id="q3", name="劉阿姨")
    live.reject(E.NOT_CHECKED_IN, c.RaiseHand, entry_id="q3", participant_id="r1")
    live.reject(E.UNKNOWN_PARTICIPANT, c.RaiseHand, entry_id="q3", participant_id="ghost")
    live.reject(E.TEXT_EMPTY, c.RaiseHand, entry_id="q3")
    live.reject(E.TEXT_TOO_LONG, c.RaiseHand, entry_id="q3", name="名" * 41)


def test_lower_hand(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    assert live.run(c.LowerHand, entry_id="q1") == (e.HandLowered(at=live.now, entry_id="q1"),)
    assert waiting(live.state) == []
    live.reject(E.NOT_IN_QUEUE, c.LowerHand, entry_id="q1")
    live.reject(E.NOT_IN_QUEUE, c.LowerHand, entry_id="zz")
    live.run(c.RaiseHand, entry_id="q2", participant_id="p1")  # may queue again
    assert position(live.state, "p1") == 1


def test_grant_next_and_end_speaking_records_duration(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    live.run(c.RaiseHand, entry_id="q2", name="劉阿姨")
    live.advance(minutes=1)
    assert live.run(c.GrantFloor) == (e.FloorGranted(at=live.now, entry_id="q1"),)
    speaker = live.state.speaker
    assert speaker is not None
    assert (speaker.entry_id, speaker.status, speaker.started_at) == ("q1", "speaking", live.now)
    live.reject(E.FLOOR_TAKEN, c.GrantFloor)
    live.reject(E.FLOOR_TAKEN, c.GrantFloor, entry_id="q2")
    live.reject(E.ALREADY_IN_QUEUE, c.RaiseHand, entry_id="q3", participant_id="p1")
    live.advance(minutes=2, seconds=5)
    assert live.run(c.EndSpeaking) == (
        e.SpeakingEnded(at=live.now, entry_id="q1", duration_s=125.0),
    )
    assert live.state.speaker is None
    assert live.state.queue[0].status == "done"
    assert live.state.queue[0].duration_s == 125.0
    live.reject(E.NOBODY_SPEAKING, c.EndSpeaking)
    live.run(c.GrantFloor)
    assert live.state.speaker_entry_id == "q2"


def test_grant_a_specific_entry(live: Harness) -> None:
    for n, pid in enumerate(("p1", "p2", "p3"), start=1):
        live.run(c.RaiseHand, entry_id=f"q{n}", participant_id=pid)
    assert live.run(c.GrantFloor, entry_id="q3") == (e.FloorGranted(at=live.now, entry_id="q3"),)
    live.run(c.EndSpeaking)
    live.reject(E.NOT_IN_QUEUE, c.GrantFloor, entry_id="q3")  # already spoke
    live.reject(E.NOT_IN_QUEUE, c.GrantFloor, entry_id="zz")
    live.run(c.GrantFloor)
    assert live.state.speaker_entry_id == "q1"


def test_queue_belongs_to_the_current_item(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    live.run(c.AdvanceAgenda)
    assert waiting(live.state) == []
    live.reject(E.QUEUE_EMPTY, c.GrantFloor)
    live.reject(E.NOT_IN_QUEUE, c.GrantFloor, entry_id="q1")  # an earlier item's hand
    live.run(c.RaiseHand, entry_id="q2", participant_id="p1")  # same person, new item
    assert position(live.state, "p1") == 1


def test_turn_limit_per_item(make: Callable[..., Harness]) -> None:
    h = make(phones=2, start_first=True, max_turns_per_item=1)
    h.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    h.run(c.GrantFloor)
    h.run(c.EndSpeaking)
    # A speaker who has used every turn is refused when raising the hand, so the entry never
    # sits at the head of the queue blocking "grant next" for everyone behind it.
    error = h.reject(E.SPEAKER_LIMIT, c.RaiseHand, entry_id="q2", participant_id="p1")
    assert error.params == {"limit": 1}
    assert "all 1 turns" in error.message
    h.run(c.RaiseHand, entry_id="q3", participant_id="p2")
    h.run(c.GrantFloor)
    assert h.state.speaker_entry_id == "q3"
    h.run(c.EndSpeaking)
    # On the next item the count starts again.
    h.run(c.RaiseHand, entry_id="q4", name="劉阿姨")
    h.run(c.AdvanceAgenda)
    h.run(c.RaiseHand, entry_id="q5", participant_id="p1")
    h.run(c.GrantFloor)
    assert h.state.speaker_entry_id == "q5"


def test_named_speakers_count_turns_by_name(make: Callable[..., Harness]) -> None:
    h = make(phones=1, start_first=True, max_turns_per_item=2)
    for n in range(1, 3):
        h.run(c.RaiseHand, entry_id=f"q{n}", name="劉阿姨")
        h.run(c.GrantFloor)
        h.run(c.EndSpeaking)
    h.reject(E.SPEAKER_LIMIT, c.RaiseHand, entry_id="q3", name="劉阿姨")


def test_queue_without_a_current_item(h: Harness) -> None:
    h.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    assert h.state.queue[0].item_id is None
    h.run(c.GrantFloor)
    h.advance(seconds=30)
    # Starting an item ends the open-floor turn first.
    assert h.run(c.StartItem, item_id="a1") == (
        e.SpeakingEnded(at=h.now, entry_id="q1", duration_s=30.0),
        e.ItemStarted(at=h.now, item_id="a1"),
    )


def test_record_opinion(live: Harness) -> None:
    event = live.one(
        c.RecordOpinion, opinion_id="o1", stance=Stance.AGAINST, text=" 擋光 ", participant_id="p1"
    )
    assert event == e.OpinionRecorded(
        at=live.now,
        opinion_id="o1",
        item_id="a1",
        stance=Stance.AGAINST,
        text="擋光",
        speaker="居民p1",  # the participant's name when none is typed
        participant_id="p1",
    )
    live.run(
        c.RecordOpinion,
        opinion_id="o2",
        stance=Stance.FOR,
        text="方便老人",
        speaker="劉阿姨",
        item_id="a2",
    )
    assert [(o.opinion_id, o.item_id, o.speaker) for o in live.state.opinions] == [
        ("o1", "a1", "居民p1"),
        ("o2", "a2", "劉阿姨"),
    ]


def test_record_opinion_refusals(live: Harness) -> None:
    live.run(c.RecordOpinion, opinion_id="o1", stance=Stance.NEUTRAL, text="t")
    base = {"opinion_id": "o2", "stance": Stance.FOR, "text": "t"}
    live.reject(E.DUPLICATE_ID, c.RecordOpinion, **{**base, "opinion_id": "o1"})
    live.reject(E.INVALID_VALUE, c.RecordOpinion, **{**base, "opinion_id": "x" * 65})
    live.reject(E.INVALID_VALUE, c.RecordOpinion, **{**base, "stance": "maybe"})
    live.reject(E.UNKNOWN_ITEM, c.RecordOpinion, **base, item_id="zz")
    live.reject(E.UNKNOWN_PARTICIPANT, c.RecordOpinion, **base, participant_id="ghost")
    # Also when a name is typed: an unknown id must not reach the log.
    live.reject(E.UNKNOWN_PARTICIPANT, c.RecordOpinion, **base, speaker="x", participant_id="ghost")
    live.reject(E.TEXT_EMPTY, c.RecordOpinion, **{**base, "text": ""})
    live.reject(E.TEXT_TOO_LONG, c.RecordOpinion, **{**base, "text": "意" * 501})
    live.reject(E.TEXT_TOO_LONG, c.RecordOpinion, **base, speaker="名" * 41)


def test_speaker_commands_need_an_open_session(make: Callable[..., Harness]) -> None:
    h = make(opened=False, phones=1)
    h.reject(E.SESSION_NOT_OPEN, c.LowerHand, entry_id="q1")
    h.reject(E.SESSION_NOT_OPEN, c.GrantFloor)
    h.reject(E.SESSION_NOT_OPEN, c.EndSpeaking)
