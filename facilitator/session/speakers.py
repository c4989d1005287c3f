"""The speaker queue of the current item, and opinions recorded under an item."""

from __future__ import annotations

from typing import Any

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.items import speaking_ended
from facilitator.session.state import Opinion, QueueEntry, SessionState, evolve
from facilitator.session.values import QueueStatus, Stance

Events = tuple[e.Event, ...]


def waiting(state: SessionState) -> list[QueueEntry]:
    """The current item's queue, first come first served."""
    return [
        q
        for q in state.queue
        if q.item_id == state.current_item_id and q.status is QueueStatus.WAITING
    ]


def position(state: SessionState, participant_id: str) -> int | None:
    """1-based place of a participant in the current queue, or None."""
    for i, entry in enumerate(waiting(state), start=1):
        if entry.participant_id == participant_id:
            return i
    return None


def _entry(state: SessionState, entry_id: str) -> QueueEntry:
    for entry in state.queue:
        if entry.entry_id == entry_id:
            return entry
    raise SessionError(ErrorCode.NOT_IN_QUEUE)


def decide_raise_hand(state: SessionState, cmd: c.RaiseHand) -> Events:
    checks.in_progress(state)
    if any(q.entry_id == cmd.entry_id for q in state.queue):
        raise SessionError(ErrorCode.DUPLICATE_ID, id=cmd.entry_id)
    checks.new_id(cmd.entry_id, (), "entry_id")
    if cmd.participant_id is not None:
        person = checks.present_participant(state, cmd.participant_id)
        name = person.display_name
        key = f"p:{cmd.participant_id}"
    else:
        name = checks.text(cmd.name, "name", checks.NAME_MAX)
        key = f"n:{name}"
    turns = 0
    for q in state.queue:
        same = q.item_id == state.current_item_id and q.speaker_key == key
        if same and q.status in (QueueStatus.WAITING, QueueStatus.SPEAKING):
            raise SessionError(ErrorCode.ALREADY_IN_QUEUE)
        turns += same and q.status is QueueStatus.DONE
    limit = state.max_turns_per_item
    if limit and turns >= limit:  # refused now, so the hand never blocks the queue later
        raise SessionError(ErrorCode.SPEAKER_LIMIT, limit=limit)
    return (
        e.HandRaised(
            at=cmd.at,
            entry_id=cmd.entry_id,
            item_id=state.current_item_id,
            participant_id=cmd.participant_id,
            name=name,
        ),
    )


def decide_lower_hand(state: SessionState, cmd: c.LowerHand) -> Events:
    checks.in_progress(state)
    if _entry(state, cmd.entry_id).status is not QueueStatus.WAITING:
        raise SessionError(ErrorCode.NOT_IN_QUEUE)
    return (e.HandLowered(at=cmd.at, entry_id=cmd.entry_id),)


def decide_grant(state: SessionState, cmd: c.GrantFloor) -> Events:
    checks.in_progress(state)
    if state.speaker_entry_id is not None:
        raise SessionError(ErrorCode.FLOOR_TAKEN)
    if cmd.entry_id is None:
        queue = waiting(state)
        if not queue:
            raise SessionError(ErrorCode.QUEUE_EMPTY)
        entry = queue[0]
    else:
        entry = _entry(state, cmd.entry_id)
        if entry.status is not QueueStatus.WAITING or entry.item_id != state.current_item_id:
            raise SessionError(ErrorCode.NOT_IN_QUEUE)
    return (e.FloorGranted(at=cmd.at, entry_id=entry.entry_id),)


def decide_end(state: SessionState, cmd: c.EndSpeaking) -> Events:
    checks.in_progress(state)
    speaker = state.speaker
    if speaker is None:
        raise SessionError(ErrorCode.NOBODY_SPEAKING)
    return (speaking_ended(speaker.entry_id, speaker.started_at, cmd.at),)


def decide_opinion(state: SessionState, cmd: c.RecordOpinion) -> Events:
    checks.changeable(state)
    if any(o.opinion_id == cmd.opinion_id for o in state.opinions):
        raise SessionError(ErrorCode.DUPLICATE_ID, id=cmd.opinion_id)
    checks.new_id(cmd.opinion_id, (), "opinion_id")
    if not isinstance(cmd.stance, Stance):
        raise SessionError(ErrorCode.INVALID_VALUE, field="stance", reason=str(cmd.stance))
    item_id = cmd.item_id if cmd.item_id is not None else state.current_item_id
    if item_id is not None:
        checks.item(state, item_id)
    speaker = checks.text(cmd.speaker, "speaker", checks.NAME_MAX, required=False)
    if cmd.participant_id is not None:
        # Checked even when a name is typed: an unknown id must not reach the log.
        known = checks.participant(state, cmd.participant_id)
        speaker = speaker or known.display_name
    return (
        e.OpinionRecorded(
            at=cmd.at,
            opinion_id=cmd.opinion_id,
            item_id=item_id,
            stance=cmd.stance,
            text=checks.text(cmd.text, "opinion", checks.OPINION_MAX),
            speaker=speaker,
            participant_id=cmd.participant_id,
        ),
    )


# --- folding -----------------------------------------------------------------------------------


def _put(s: SessionState, entry_id: str, **changes: Any) -> SessionState:
    queue = tuple(evolve(q, **changes) if q.entry_id == entry_id else q for q in s.queue)
    return evolve(s, queue=queue)


def apply_hand_raised(s: SessionState, ev: e.HandRaised) -> SessionState:
    entry = QueueEntry(
        entry_id=ev.entry_id,
        item_id=ev.item_id,
        participant_id=ev.participant_id,
        name=ev.name,
        raised_at=ev.at,
    )
    return evolve(s, queue=(*s.queue, entry))


def apply_hand_lowered(s: SessionState, ev: e.HandLowered) -> SessionState:
    return _put(s, ev.entry_id, status=QueueStatus.LOWERED)


def apply_floor_granted(s: SessionState, ev: e.FloorGranted) -> SessionState:
    s = _put(s, ev.entry_id, status=QueueStatus.SPEAKING, started_at=ev.at)
    return evolve(s, speaker_entry_id=ev.entry_id)


def apply_speaking_ended(s: SessionState, ev: e.SpeakingEnded) -> SessionState:
    s = _put(s, ev.entry_id, status=QueueStatus.DONE, duration_s=ev.duration_s)
    return evolve(s, speaker_entry_id=None)


def apply_opinion(s: SessionState, ev: e.OpinionRecorded) -> SessionState:
    opinion = Opinion(
        opinion_id=ev.opinion_id,
        item_id=ev.item_id,
        stance=ev.stance,
        text=ev.text,
        speaker=ev.speaker,
        participant_id=ev.participant_id,
        at=ev.at,
    )
    return evolve(s, opinions=(*s.opinions, opinion))


DECIDE: dict[type[c.Command], Any] = {
    c.RaiseHand: decide_raise_hand,
    c.LowerHand: decide_lower_hand,
    c.GrantFloor: decide_grant,
    c.EndSpeaking: decide_end,
    c.RecordOpinion: decide_opinion,
}

APPLY: dict[type[e.Event], Any] = {
    e.HandRaised: apply_hand_raised,
    e.HandLowered: apply_hand_lowered,
    e.FloorGranted: apply_floor_granted,
    e.SpeakingEnded: apply_speaking_ended,
    e.OpinionRecorded: apply_opinion,
}
