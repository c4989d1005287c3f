"""Which participant a phone is: a phone coming back, a personal invitation card, a phone
linked to its roster entry by the moderator, and phones the moderator takes away.

A roster entry (someone listed before the meeting) who scans the room's code would otherwise be a
second participant, counted twice. A card or the moderator's link makes the phone that entry, as
long as the phone has not taken part yet (``took_part``): its ballot, supports or hand would
otherwise stand beside the entry's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from immutables import Map

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import Participant, SessionState, evolve

Events = tuple[e.Event, ...]


def returning(state: SessionState, pid: str, cmd: c.JoinSession) -> Events:
    """A returning phone is the same participant: nothing new, except checking in again."""
    wanted = cmd.check_in and not state.participants[pid].checked_in
    return (e.ParticipantCheckedIn(at=cmd.at, participant_id=pid),) if wanted else ()


def join_invited(state: SessionState, cmd: c.JoinSession) -> Events:
    """A phone with a personal invitation becomes that roster entry (once; then it is known)."""
    pid = state.invites.get(cmd.invite_key)
    holder = state.devices.get(cmd.device_key)
    if holder is not None and pid in (None, holder):
        # A known phone is back (the page keeps the card's link): the same participant.
        return returning(state, holder, cmd)
    if pid is None:
        raise SessionError(ErrorCode.INVITE_UNKNOWN)
    entry = state.participants[pid]
    if entry.has_device:
        raise SessionError(ErrorCode.HAS_PHONE, name=entry.display_name)
    return _link(state, cmd.at, entry, cmd.device_key, holder or "", check_in=cmd.check_in)


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


def decide_revoke(state: SessionState, cmd: c.RevokeDevices) -> Events:
    checks.changeable(state)
    entry = checks.participant(state, cmd.participant_id)
    keys = tuple(sorted(key for key, pid in state.devices.items() if pid == entry.participant_id))
    if not keys:
        raise SessionError(ErrorCode.NO_PHONE, name=entry.display_name)
    return (e.DevicesRevoked(at=cmd.at, participant_id=entry.participant_id, device_keys=keys),)


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


def _without_cards(s: SessionState, pid: str) -> Map[str, str]:
    """The invitation cards, less those of ``pid`` (there is at most one)."""
    invites = s.invites
    for key, holder in s.invites.items():
        if holder == pid:
            invites = invites.delete(key)
    return invites


def apply_invited(s: SessionState, ev: e.RosterInvited) -> SessionState:
    # A newer card replaces the entry's older one.
    invites = _without_cards(s, ev.participant_id)
    return evolve(s, invites=invites.set(ev.invite_key, ev.participant_id))


def apply_linked(s: SessionState, ev: e.DeviceLinked) -> SessionState:
    participants, checked_in = s.participants, s.checked_in
    if ev.from_participant_id:
        gone = participants[ev.from_participant_id]
        participants = participants.delete(ev.from_participant_id)
        checked_in -= gone.checked_in
    entry = evolve(participants[ev.participant_id], has_device=True)
    return evolve(
        s,
        participants=participants.set(ev.participant_id, entry),
        devices=s.devices.set(ev.device_key, ev.participant_id),
        invites=_without_cards(s, ev.participant_id),  # done its work: no second phone
        checked_in=checked_in,
    )


def apply_revoked(s: SessionState, ev: e.DevicesRevoked) -> SessionState:
    devices = s.devices
    for key in ev.device_keys:
        devices = devices.delete(key)
    entry = evolve(s.participants[ev.participant_id], has_device=False)
    return evolve(s, participants=s.participants.set(ev.participant_id, entry), devices=devices)


DECIDE: dict[type[c.Command], Any] = {
    c.InviteRosterEntry: decide_invite,
    c.LinkDevice: decide_link,
    c.RevokeDevices: decide_revoke,
}

APPLY: dict[type[e.Event], Any] = {
    e.RosterInvited: apply_invited,
    e.DeviceLinked: apply_linked,
    e.DevicesRevoked: apply_revoked,
}
