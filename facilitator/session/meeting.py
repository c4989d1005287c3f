"""The session itself and the people in it: create, open, close; join, roster, check-in."""

from __future__ import annotations

from typing import Any

from facilitator.agenda.model import SessionKind
from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import Participant, SessionState, evolve
from facilitator.session.values import Phase

Events = tuple[e.Event, ...]


def decide_create(state: SessionState | None, cmd: c.CreateSession) -> Events:
    if state is not None:
        raise SessionError(ErrorCode.SESSION_EXISTS)
    checks.new_id(cmd.session_id, (), "session_id")
    if not isinstance(cmd.kind, SessionKind):
        raise SessionError(ErrorCode.INVALID_VALUE, field="kind", reason=str(cmd.kind))
    if len(cmd.join_code) != 6 or not cmd.join_code.isalnum():
        raise SessionError(ErrorCode.INVALID_VALUE, field="join_code", reason="6 letters/digits")
    if not (4 <= len(cmd.numeric_code) <= 8 and cmd.numeric_code.isdigit()):
        raise SessionError(ErrorCode.INVALID_VALUE, field="numeric_code", reason="4-8 digits")
    if len(cmd.item_ids) != len(cmd.items) or len(set(cmd.item_ids)) != len(cmd.item_ids):
        raise SessionError(ErrorCode.INVALID_VALUE, field="item_ids", reason="one id per item")
    if cmd.speaking_time_s <= 0 or cmd.max_turns_per_item < 0:
        raise SessionError(ErrorCode.INVALID_VALUE, field="speaking_time", reason="positive")
    for spec in cmd.items:
        checks.text(spec.title, "item title", checks.TITLE_MAX)
        checks.time_box(spec.time_box_s)
    refs = [f.ref for f in cmd.follow_ups]
    if len(set(refs)) != len(refs):
        raise SessionError(ErrorCode.INVALID_VALUE, field="follow_ups", reason="duplicate ref")
    return (
        e.SessionCreated(
            at=cmd.at,
            session_id=cmd.session_id,
            kind=cmd.kind,
            title=checks.text(cmd.title, "title", checks.TITLE_MAX),
            join_code=cmd.join_code.upper(),
            numeric_code=cmd.numeric_code,
            place=checks.text(cmd.place, "place", checks.TITLE_MAX, required=False),
            moderator=checks.text(cmd.moderator, "moderator", checks.NAME_MAX, required=False),
            recorder=checks.text(cmd.recorder, "recorder", checks.NAME_MAX, required=False),
            date=cmd.date,
            lang=cmd.lang,
            anonymous=cmd.anonymous,
            speaking_time_s=cmd.speaking_time_s,
            max_turns_per_item=cmd.max_turns_per_item,
            items=cmd.items,
            item_ids=cmd.item_ids,
            follow_ups=cmd.follow_ups,
        ),
    )


def decide_update(state: SessionState, cmd: c.UpdateSession) -> Events:
    checks.changeable(state)

    def pick(value: str | None, current: str, field: str, limit: int, required: bool) -> str:
        return current if value is None else checks.text(value, field, limit, required=required)

    return (
        e.SessionUpdated(
            at=cmd.at,
            title=pick(cmd.title, state.title, "title", checks.TITLE_MAX, True),
            place=pick(cmd.place, state.place, "place", checks.TITLE_MAX, False),
            moderator=pick(cmd.moderator, state.moderator, "moderator", checks.NAME_MAX, False),
            recorder=pick(cmd.recorder, state.recorder, "recorder", checks.NAME_MAX, False),
        ),
    )


def decide_open(state: SessionState, cmd: c.OpenSession) -> Events:
    checks.changeable(state)
    if state.phase is Phase.OPEN:
        raise SessionError(ErrorCode.ALREADY_OPEN)
    return (e.SessionOpened(at=cmd.at),)


def decide_open_rating(state: SessionState, cmd: c.OpenRating) -> Events:
    checks.in_progress(state)
    return () if state.rating_open else (e.RatingOpened(at=cmd.at),)


def decide_join(state: SessionState, cmd: c.JoinSession) -> Events:
    checks.changeable(state)
    if not cmd.device_key or len(cmd.device_key) > 128:
        raise SessionError(ErrorCode.INVALID_VALUE, field="device", reason="missing")
    known = state.devices.get(cmd.device_key)
    if known is not None:
        # A returning phone is the same participant: nothing new, except checking in again.
        person = state.participants[known]
        wanted = cmd.check_in and not person.checked_in
        return (e.ParticipantCheckedIn(at=cmd.at, participant_id=known),) if wanted else ()
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


# --- folding -----------------------------------------------------------------------------------


def apply_updated(s: SessionState, ev: e.SessionUpdated) -> SessionState:
    return evolve(s, title=ev.title, place=ev.place, moderator=ev.moderator, recorder=ev.recorder)


def apply_opened(s: SessionState, ev: e.SessionOpened) -> SessionState:
    return evolve(s, phase=Phase.OPEN, opened_at=s.opened_at or ev.at)


def apply_rating_opened(s: SessionState, ev: e.RatingOpened) -> SessionState:
    return evolve(s, rating_open=True)


def apply_closed(s: SessionState, ev: e.SessionClosed) -> SessionState:
    return evolve(s, phase=Phase.CLOSED, closed_at=ev.at, rating_open=False)


def apply_joined(s: SessionState, ev: e.ParticipantJoined) -> SessionState:
    person = Participant(
        participant_id=ev.participant_id,
        number=len(s.participants) + 1,
        display_name=ev.display_name,
        category=ev.category,
        building=ev.building,
        unit=ev.unit,
        has_device=bool(ev.device_key),
        checked_in=False,
        joined_at=ev.at,
    )
    devices = s.devices.set(ev.device_key, ev.participant_id) if ev.device_key else s.devices
    return evolve(s, participants=s.participants.set(ev.participant_id, person), devices=devices)


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
    c.UpdateSession: decide_update,
    c.OpenSession: decide_open,
    c.OpenRating: decide_open_rating,
    c.JoinSession: decide_join,
    c.AddRosterEntry: decide_roster,
    c.UpdateParticipant: decide_update_participant,
    c.CheckIn: decide_check_in,
    c.CheckOut: decide_check_out,
    c.SetWalkInCount: decide_walk_ins,
}

APPLY: dict[type[e.Event], Any] = {
    e.SessionUpdated: apply_updated,
    e.SessionOpened: apply_opened,
    e.RatingOpened: apply_rating_opened,
    e.SessionClosed: apply_closed,
    e.ParticipantJoined: apply_joined,
    e.ParticipantUpdated: apply_participant_updated,
    e.ParticipantCheckedIn: apply_checked_in,
    e.ParticipantCheckedOut: apply_checked_out,
    e.WalkInCountSet: apply_walk_ins,
}
