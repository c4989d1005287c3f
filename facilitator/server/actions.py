"""Every phone action, declared once: its event, its fields, its command, its allowance, its ids.

A phone sends named events (``vote``, ``raise_issue``, ...). Each is one :class:`PhoneAction` in
:data:`ACTIONS`: the event name, the payload fields it reads (besides ``rid``), how the payload
becomes an engine command, which rate-limit allowance it is charged to, and the id of the thing
it creates. The namespace dispatches through the table; the event list, the allowances and the
created ids are derived from it, so adding an action is one entry here.

Who may send which command is the engine's rule (:data:`facilitator.session.access.PHONE_COMMANDS`,
enforced by the hub for every door); each action's command must be one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.hub import local_now
from facilitator.server import wire
from facilitator.services import invitation_key, new_id
from facilitator.session import commands as c
from facilitator.session.state import SessionState
from facilitator.session.values import IssueSource, QueueStatus


@dataclass(frozen=True, slots=True)
class Request:
    """What an action's builder reads: the payload, who sends it, the state, the time, and the
    fresh id of the thing the action creates (``""`` for actions that create nothing)."""

    payload: Mapping[str, Any]
    pid: str
    state: SessionState
    now: dt.datetime
    new: str = ""
    device_key: str = ""

    def text(
        self, name: str, *, required: bool = True, label: tuple[str, int] | None = None
    ) -> str:
        return wire.string(self.payload, name, required=required, label=label)


Build = Callable[[Request], c.Command]


@dataclass(frozen=True, slots=True)
class PhoneAction:
    """One named phone event."""

    event: str
    command: type[c.Command]
    build: Build
    fields: frozenset[str] = frozenset()  # the payload fields it reads (and allows) besides rid
    rate: str | None = None  # the ``RateLimits`` allowance it is charged to
    creates: tuple[str, str] | None = None  # (command field, id prefix) of what it creates

    def command_of(
        self, payload: Mapping[str, Any], pid: str, state: SessionState, *, device_key: str = ""
    ) -> c.Command:
        """The engine command for ``payload``, stamped now, with a fresh id if it creates one."""
        wire.only(payload, self.fields)
        fresh = new_id(self.creates[1]) if self.creates else ""
        request = Request(payload, pid, state, local_now(), fresh, device_key)
        return self.build(request)


def _join(r: Request) -> c.JoinSession:
    """``join``: a new phone gives its name (and, optionally, its building and unit); a phone
    with an invitation card gives the card's token instead, and becomes that roster entry."""
    token = wire.invite(r.payload)
    if token:
        return c.JoinSession(
            at=r.now,
            participant_id=r.new,
            device_key=r.device_key,
            display_name="",
            invite_key=invitation_key(token),
        )
    return c.JoinSession(
        at=r.now,
        participant_id=r.new,
        device_key=r.device_key,
        display_name=r.text("name"),
        building=r.text("building", required=False),
        unit=r.text("unit", required=False),
        category=r.text("category", required=False),
    )


def _raise_issue(r: Request) -> c.RaiseIssue:
    person = r.state.participants.get(r.pid)
    return c.RaiseIssue(
        at=r.now,
        issue_id=r.new,
        text=r.text("text", label=wire.ISSUE_TEXT),
        source=IssueSource.PHONE,
        participant_id=r.pid,
        building=person.building if person else "",
    )


def _own_entry(r: Request) -> str:
    for entry in r.state.queue:
        if entry.participant_id == r.pid and entry.status is QueueStatus.WAITING:
            return entry.entry_id
    raise wire.WireError("not_in_queue")


def _vote(r: Request) -> c.CastBallot:
    choices = wire.strings(r.payload, "choices")
    return c.CastBallot(at=r.now, poll_id=r.text("poll_id"), participant_id=r.pid, choices=choices)


def _rate_session(r: Request) -> c.RateSession:
    stars = wire.integer(r.payload, "stars")
    comment = r.text("comment", required=False)
    return c.RateSession(at=r.now, participant_id=r.pid, stars=stars, comment=comment)


def _rate_delivery(r: Request) -> c.RateDelivery:
    ref, stars = r.text("ref"), wire.integer(r.payload, "stars")
    return c.RateDelivery(at=r.now, ref=ref, participant_id=r.pid, stars=stars)


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


JOIN = PhoneAction(
    "join",
    c.JoinSession,
    _join,
    _fields("name", "building", "unit", "category", "invite"),
    creates=("participant_id", "p-"),
)
"""Joining is the way in: a phone that is no participant yet (the namespace binds it after)."""

ACTIONS: dict[str, PhoneAction] = {
    a.event: a
    for a in (
        PhoneAction("check_in", c.CheckIn, lambda r: c.CheckIn(at=r.now, participant_id=r.pid)),
        PhoneAction("check_out", c.CheckOut, lambda r: c.CheckOut(at=r.now, participant_id=r.pid)),
        PhoneAction(
            "raise_issue",
            c.RaiseIssue,
            _raise_issue,
            _fields("text"),
            rate="issue",
            creates=("issue_id", "i-"),
        ),
        PhoneAction(
            "support",
            c.SupportIssue,
            lambda r: c.SupportIssue(at=r.now, issue_id=r.text("issue_id"), participant_id=r.pid),
            _fields("issue_id"),
            rate="support",
        ),
        PhoneAction(
            "withdraw",
            c.WithdrawSupport,
            lambda r: c.WithdrawSupport(
                at=r.now, issue_id=r.text("issue_id"), participant_id=r.pid
            ),
            _fields("issue_id"),
            rate="support",
        ),
        PhoneAction(
            "raise_hand",
            c.RaiseHand,
            lambda r: c.RaiseHand(at=r.now, entry_id=r.new, participant_id=r.pid),
            rate="hand",
            creates=("entry_id", "q-"),
        ),
        PhoneAction(
            "lower_hand",
            c.LowerHand,
            lambda r: c.LowerHand(at=r.now, entry_id=_own_entry(r)),
            rate="hand",
        ),
        PhoneAction("vote", c.CastBallot, _vote, _fields("poll_id", "choices")),
        PhoneAction(
            "claim",
            c.ClaimActionItem,
            lambda r: c.ClaimActionItem(
                at=r.now, action_id=r.text("action_id"), participant_id=r.pid
            ),
            _fields("action_id"),
        ),
        PhoneAction("rate_session", c.RateSession, _rate_session, _fields("stars", "comment")),
        PhoneAction("rate_delivery", c.RateDelivery, _rate_delivery, _fields("ref", "stars")),
    )
}
"""The named events of a joined phone, by event name."""

PHONE_EVENTS: tuple[str, ...] = tuple(ACTIONS)

RATE_KINDS: dict[type[c.Command], str] = {
    a.command: a.rate for a in ACTIONS.values() if a.rate is not None
}
"""Which allowance (``RateLimits`` field) each rate-limited command is charged to, whichever
door (named event or generic ``command``) it comes through."""

PHONE_NEW_IDS: dict[type[c.Command], tuple[str, str]] = {
    a.command: a.creates for a in (JOIN, *ACTIONS.values()) if a.creates is not None
}
