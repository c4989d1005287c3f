"""The people in a session: phones joining, the roster, check-in and check-out, walk-ins."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from facilitator.session import checks, phones
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import Participant, SessionState, evolve

Events = tuple[e.Event, ...]


def decide_join(state: SessionState, cmd: c.JoinSession) -> Events:
    checks.changeable(state)
    if not cmd.device_key or len(cmd.device_key) > 128:
        raise SessionError(ErrorCode.INVALID_VALUE, field="device", reason="missing")
    if cmd.invite_key:
        return phones.join_invited(state, cmd)
    known = state.devices.get(cmd.device_key)
    if known is not None:
        return phones.returning(state, known, cmd)
    joined = e.ParticipantJoined(
        at=cmd.at,
        participant_id=checks.new_id(cmd.participant_id, state.participants, "participant_id"),
        device_key=cmd.device_key,
        **_person_fields(cmd.display_name, cmd.category, cmd.building, cmd.unit),
    )
    if cmd.check_in:
        return joined, e.ParticipantCheckedIn(at=cmd.at, participant_id=cmd.participant_id)
    return (joined,)


def decide_roster(state: SessionState, cmd: c.AddRosterEntry) -> Events:
    checks.changeable(state)
    joined = e.ParticipantJoined(
        at=cmd.at,
        participant_id=checks.new_id(cmd.participant_id, state.participants, "participant_id"),
        device_key="",
        **_person_fields(cmd.display_name, cmd.category, cmd.building, cmd.unit),
    )
    if cmd.check_in:
        return joined, e.ParticipantCheckedIn(at=cmd.at, participant_id=cmd.participant_id)
    return (joined,)


def decide_update_participant(state: SessionState, cmd: c.UpdateParticipant) -> Events:
    checks.changeable(state)
    person = checks.participant(state, cmd.participant_id)
    fields = _person_fields(
        person.display_name if cmd.display_name is None else cmd.display_name,
        person.category if cmd.category is None else cmd.category,
        person.building if cmd.building is None else cmd.building,
        person.unit if cmd.unit is None else cmd.unit,
    )
    return (e.ParticipantUpdated(at=cmd.at, participant_id=cmd.participant_id, **fields),)


def decide_check_in(state: SessionState, cmd: c.CheckIn) -> Events:
    checks.changeable(state)
    if checks.participant(state, cmd.participant_id).checked_in:
        raise SessionError(ErrorCode.ALREADY_CHECKED_IN)
    return (e.ParticipantCheckedIn(at=cmd.at, participant_id=cmd.participant_id),)


def decide_check_out(state: SessionState, cmd: c.CheckOut) -> Events:
    checks.changeable(state)
    if not checks.participant(state, cmd.participant_id).checked_in:
        raise SessionError(ErrorCode.NOT_CHECKED_IN_YET)
    poll = state.open_poll
    if poll is not None and poll.voters > state.present - 1:
        # As with the head count: leaving must not leave more votes counted than people present.
        raise SessionError(ErrorCode.OVER_CAPACITY, total=poll.voters, present=state.present - 1)
    return (e.ParticipantCheckedOut(at=cmd.at, participant_id=cmd.participant_id),)


def decide_walk_ins(state: SessionState, cmd: c.SetWalkInCount) -> Events:
    checks.changeable(state)
    if (
        isinstance(cmd.count, bool)
        or not isinstance(cmd.count, int)
        or not 0 <= cmd.count <= 100_000
    ):
        raise SessionError(ErrorCode.INVALID_VALUE, field="count", reason="0 to 100000")
    if cmd.count == state.walk_ins:
        return ()
    poll = state.open_poll
    if poll is not None and poll.voters > state.checked_in + cmd.count:
        # Lowering the head count below the votes already counted would make the tally a lie.
        raise SessionError(
            ErrorCode.OVER_CAPACITY, total=poll.voters, present=state.checked_in + cmd.count
        )
    return (e.WalkInCountSet(at=cmd.at, count=cmd.count),)


def _person_fields(name: str, category: str, building: str, unit: str) -> dict[str, Any]:
    return {
        "display_name": checks.text(name, "name", checks.NAME_MAX),
        "category": checks.text(category, "category", checks.LABEL_MAX, required=False),
        "building": checks.text(building, "building", checks.LABEL_MAX, required=False),
        "unit": checks.text(unit, "unit", checks.LABEL_MAX, required=False),
    }


def apply_joined(s: SessionState, ev: e.ParticipantJoined) -> SessionState:
    person = Participant(
        participant_id=ev.participant_id,
        number=s.joined_total + 1,
        display_name=ev.display_name,
        category=ev.category,
        building=ev.building,
        unit=ev.unit,
        has_device=bool(ev.device_key),
        checked_in=False,
        joined_at=ev.at,
    )
    devices = s.devices.set(ev.device_key, ev.participant_id) if ev.device_key else s.devices
    return evolve(
        s,
        participants=s.participants.set(ev.participant_id, person),
        devices=devices,
        joined_total=s.joined_total + 1,
    )


def apply_participant_updated(s: SessionState, ev: e.ParticipantUpdated) -> SessionState:
    person = evolve(
        s.participants[ev.participant_id],
        display_name=ev.display_name,
        category=ev.category,
        building=ev.building,
        unit=ev.unit,
    )
    return evolve(s, participants=s.participants.set(ev.participant_id, person))


def apply_checked_in(s: SessionState, ev: e.ParticipantCheckedIn) -> SessionState:
    person = evolve(s.participants[ev.participant_id], checked_in=True)
    return evolve(
        s,
        participants=s.participants.set(ev.participant_id, person),
        checked_in=s.checked_in + 1,
    )


def apply_checked_out(s: SessionState, ev: e.ParticipantCheckedOut) -> SessionState:
    person = evolve(s.participants[ev.participant_id], checked_in=False)
    return evolve(
        s,
        participants=s.participants.set(ev.participant_id, person),
        checked_in=s.checked_in - 1,
    )


def apply_walk_ins(s: SessionState, ev: e.WalkInCountSet) -> SessionState:
    return evolve(s, walk_ins=ev.count)


DECIDE: dict[type[c.Command], Any] = {
    c.JoinSession: decide_join,
    c.AddRosterEntry: decide_roster,
    c.UpdateParticipant: decide_update_participant,
    c.CheckIn: decide_check_in,
    c.CheckOut: decide_check_out,
    c.SetWalkInCount: decide_walk_ins,
}

APPLY: dict[type[e.Event], Any] = {
    e.ParticipantJoined: apply_joined,
    e.ParticipantUpdated: apply_participant_updated,
    e.ParticipantCheckedIn: apply_checked_in,
    e.ParticipantCheckedOut: apply_checked_out,
    e.WalkInCountSet: apply_walk_ins,
}


def by_category(state: SessionState, categories: Iterable[str]) -> list[tuple[str, int]]:
    """People counted by category: the place's declared categories first, in the place's order
    (even when nobody of one came), then any other category by count, then the unspecified."""
    counts = Counter(categories)
    declared = [(name, counts.pop(name, 0)) for name in state.categories]
    blank = counts.pop("", 0)
    rest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return declared + rest + ([("", blank)] if blank else [])
