"""The session itself and the people in it: create, open, close; join, roster, check-in."""

from __future__ import annotations

import datetime as dt
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
    if cmd.invite_key:
        return _join_invited(state, cmd)
    known = state.devices.get(cmd.device_key)
    if known is not None:
        return _returning(state, known, cmd)
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


def _join_invited(state: SessionState, cmd: c.JoinSession) -> Events:
    """A phone with a personal invitation becomes that roster entry (once; then it is known)."""
    pid = state.invites.get(cmd.invite_key)
    holder = state.devices.get(cmd.device_key)
    if holder is not None and pid in (None, holder):
        # A known phone is back (the page keeps the card's link): the same participant.
        return _returning(state, holder, cmd)
    if pid is None:
        raise SessionError(ErrorCode.INVITE_UNKNOWN)
    entry = state.participants[pid]
    if entry.has_device:
        raise SessionError(ErrorCode.HAS_PHONE, name=entry.display_name)
    return _link(state, cmd.at, entry, cmd.device_key, holder or "", check_in=cmd.check_in)


def _returning(state: SessionState, pid: str, cmd: c.JoinSession) -> Events:
    """A returning phone is the same participant: nothing new, except checking in again."""
    wanted = cmd.check_in and not state.participants[pid].checked_in
    return (e.ParticipantCheckedIn(at=cmd.at, participant_id=pid),) if wanted else ()


def decide_invite(state: SessionState, cmd: c.InviteRosterEntry) -> Events:
    checks.changeable(state)
    entry = checks.participant(state, cmd.participant_id)
    if entry.has_device:
        raise SessionError(ErrorCode.HAS_PHONE, name=entry.display_name)
    if not cmd.invite_key or len(cmd.invite_key) > 128 or cmd.invite_key in state.invites:
        raise SessionError(ErrorCode.INVALID_VALUE, field="invite", reason="missing or used")
    return (
        e.RosterInvited(at=cmd.at, participant_id=entry.participant_id, invite_key=cmd.invite_key),
    )


def decide_link(state: SessionState, cmd: c.LinkDevice) -> Events:
    checks.changeable(state)
    entry = checks.participant(state, cmd.participant_id)
    phone = checks.participant(state, cmd.from_participant_id)
    if entry.has_device:
        raise SessionError(ErrorCode.HAS_PHONE, name=entry.display_name)
    if not phone.has_device:
        raise SessionError(ErrorCode.NO_PHONE, name=phone.display_name)
    device = next(key for key, pid in state.devices.items() if pid == phone.participant_id)
    return _link(state, cmd.at, entry, device, phone.participant_id, check_in=phone.checked_in)


def _link(
    state: SessionState,
    at: dt.datetime,
    entry: Participant,
    device_key: str,
    from_pid: str,
    *,
    check_in: bool,
) -> Events:
    """The events that give ``entry`` the phone ``device_key`` (which had joined as ``from_pid``).

    The phone's own entry goes, so it must not have taken part: its ballot, supports or hand
    would otherwise stand beside the roster entry's, one person counted twice. If both were in
    the room, one fewer person is present, which an open poll's count must still fit."""
    if from_pid:
        phone = state.participants[from_pid]
        if took_part(state, from_pid):
            raise SessionError(ErrorCode.TOOK_PART, name=phone.display_name)
        poll = state.open_poll
        present = state.present - (phone.checked_in and entry.checked_in)
        if poll is not None and poll.voters > present:
            raise SessionError(ErrorCode.OVER_CAPACITY, total=poll.voters, present=present)
    linked = e.DeviceLinked(
        at=at,
        participant_id=entry.participant_id,
        device_key=device_key,
        from_participant_id=from_pid,
    )
    if check_in and not entry.checked_in:
        return linked, e.ParticipantCheckedIn(at=at, participant_id=entry.participant_id)
    return (linked,)


def took_part(state: SessionState, pid: str) -> bool:
    """Whether anything in the session is counted for ``pid``: a ballot, an issue raised or
    supported, a place in the queue, an opinion, a claim or a rating."""
    return (
        any(pid in poll.ballots for poll in state.polls.values())
        or any(
            issue.participant_id == pid or pid in issue.supporters
            for issue in state.issues.values()
        )
        or any(entry.participant_id == pid for entry in state.queue)
        or any(opinion.participant_id == pid for opinion in state.opinions)
        or any(
            pid in (item.claimed_by, item.owner_participant_id) for item in state.actions.values()
        )
        or any(pid in follow_up.ratings for follow_up in state.follow_ups.values())
        or pid in state.ratings
    )


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


def apply_invited(s: SessionState, ev: e.RosterInvited) -> SessionState:
    # A newer card replaces the entry's older ones.
    invites = s.invites
    for key, pid in s.invites.items():
        if pid == ev.participant_id:
            invites = invites.delete(key)
    return evolve(s, invites=invites.set(ev.invite_key, ev.participant_id))


def apply_linked(s: SessionState, ev: e.DeviceLinked) -> SessionState:
    participants, checked_in = s.participants, s.checked_in
    if ev.from_participant_id:
        gone = participants[ev.from_participant_id]
        participants = participants.delete(ev.from_participant_id)
        checked_in -= gone.checked_in
    entry = evolve(participants[ev.participant_id], has_device=True)
    invites = s.invites
    for key, pid in s.invites.items():
        if pid == ev.participant_id:  # the card has done its work: it cannot bind a second phone
            invites = invites.delete(key)
    return evolve(
        s,
        participants=participants.set(ev.participant_id, entry),
        devices=s.devices.set(ev.device_key, ev.participant_id),
        invites=invites,
        checked_in=checked_in,
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
    c.UpdateSession: decide_update,
    c.OpenSession: decide_open,
    c.OpenRating: decide_open_rating,
    c.JoinSession: decide_join,
    c.AddRosterEntry: decide_roster,
    c.InviteRosterEntry: decide_invite,
    c.LinkDevice: decide_link,
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
    e.RosterInvited: apply_invited,
    e.DeviceLinked: apply_linked,
    e.ParticipantUpdated: apply_participant_updated,
    e.ParticipantCheckedIn: apply_checked_in,
    e.ParticipantCheckedOut: apply_checked_out,
    e.WalkInCountSet: apply_walk_ins,
}
