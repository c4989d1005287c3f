"""Events of the session itself and the people in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session.commands import FollowUpSpec, IntakeIssueSpec
from facilitator.session.events._base import Event
from facilitator.session.values import Quorum


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCreated(Event):
    session_id: str
    kind: SessionKind
    title: str
    join_code: str
    numeric_code: str
    place: str
    moderator: str
    recorder: str
    date: dt.date | None
    lang: str
    anonymous: bool
    speaking_time_s: int
    max_turns_per_item: int
    items: tuple[AgendaItemSpec, ...]
    item_ids: tuple[str, ...]
    follow_ups: tuple[FollowUpSpec, ...]
    quorum: Quorum = Quorum()
    categories: tuple[str, ...] = ()
    intake_issues: tuple[IntakeIssueSpec, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionUpdated(Event):
    title: str
    place: str
    moderator: str
    recorder: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionOpened(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingOpened(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantJoined(Event):
    participant_id: str
    display_name: str
    category: str
    building: str
    unit: str
    device_key: str  # "" for roster entries without a phone


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterInvited(Event):
    participant_id: str
    invite_key: str  # a hash: the token itself is only on the printed card


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceLinked(Event):
    """A phone became a roster entry. ``from_participant_id``, when given, is the entry the phone
    had joined as, which goes (it had not taken part)."""

    participant_id: str
    device_key: str
    from_participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DevicesRevoked(Event):
    """The moderator took the participant's phones away: these device keys are nobody now."""

    participant_id: str
    device_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantUpdated(Event):
    participant_id: str
    display_name: str
    category: str
    building: str
    unit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantCheckedIn(Event):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantCheckedOut(Event):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WalkInCountSet(Event):
    count: int
