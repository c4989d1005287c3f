"""The session and the people in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session.commands._base import Command
from facilitator.session.values import Quorum


@dataclass(frozen=True, slots=True)
class FollowUpSpec:
    """An action item of an earlier session brought back for review ("what we promised")."""

    ref: str
    title: str
    owner: str = ""
    deadline: dt.date | None = None
    status: str = "claimed"
    overdue: bool = False
    origin: str = ""
    home_ratings: tuple[int, ...] = ()  # stars given between sessions (public page, ledger rate)


@dataclass(frozen=True, slots=True)
class IntakeIssueSpec:
    """A request raised between evenings (碼上議 #n) and scheduled for this session: it comes in as
    an issue with its text, building and category, and the residents who support it — their
    phones' device keys, so that one of them joining tonight is counted once."""

    issue_id: str
    ref: str  # "<place id>#<request number>"
    text: str
    building: str = ""
    category: str = ""
    signature: str = ""
    supporters: tuple[str, ...] = ()
    raised_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateSession(Command):
    session_id: str
    kind: SessionKind
    title: str
    join_code: str
    numeric_code: str
    place: str = ""
    moderator: str = ""
    recorder: str = ""
    date: dt.date | None = None
    lang: str = "zh-Hant"
    anonymous: bool = False
    speaking_time_s: int = 120
    max_turns_per_item: int = 0  # 0: no limit
    items: tuple[AgendaItemSpec, ...] = ()
    item_ids: tuple[str, ...] = ()
    follow_ups: tuple[FollowUpSpec, ...] = ()
    quorum: Quorum = Quorum()  # the agenda's quorum, used by polls that name none
    categories: tuple[str, ...] = ()  # the place's categories of people, in its order
    intake_issues: tuple[IntakeIssueSpec, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateSession(Command):
    title: str | None = None
    place: str | None = None
    moderator: str | None = None
    recorder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenSession(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenRating(Command):
    """Invite everyone present to rate the session (the phones show the rating form)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseSession(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinSession(Command):
    """A phone joins. ``device_key`` is an opaque (hashed) key of the phone's device token."""

    participant_id: str
    device_key: str
    display_name: str
    category: str = ""
    building: str = ""
    unit: str = ""
    check_in: bool = True
    # The (hashed) token of a personal invitation: the phone becomes that roster entry, and the
    # name and other fields above are not used.
    invite_key: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRosterEntry(Command):
    """The moderator adds a person without a phone (or before they arrive)."""

    participant_id: str
    display_name: str
    category: str = ""
    building: str = ""
    unit: str = ""
    check_in: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class InviteRosterEntry(Command):
    """A personal invitation for a roster entry: ``invite_key`` is the hash of the token on the
    printed card. A phone that joins with it becomes that entry; a newer invitation for the same
    entry replaces the older one (so a lost card can be replaced)."""

    participant_id: str
    invite_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkDevice(Command):
    """The phone that joined as ``from_participant_id`` belongs to the roster entry
    ``participant_id``: the entry gets the phone, the phone's own entry goes. Only for a phone
    that has not taken part yet, so nobody is ever counted twice."""

    participant_id: str
    from_participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeDevices(Command):
    """The participant's phone (a lost, stolen or shared token) no longer is that participant:
    its next connection is a phone nobody knows. Everything they did stays theirs; a new card or
    ``LinkDevice`` gives them a phone again."""

    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateParticipant(Command):
    participant_id: str
    display_name: str | None = None
    category: str | None = None
    building: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckIn(Command):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOut(Command):
    participant_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetWalkInCount(Command):
    """People present without a device or roster entry, counted by a volunteer."""

    count: int
