"""Who may send which command. The hub asks this before the engine sees a command.

The moderator may do everything. A phone acts only as its own participant, and only through the
commands a resident has: join and check in, raise and support issues, raise and lower a hand,
vote, claim an action item, rate. A display (projector) sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from facilitator.session import commands as c
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import SessionState
from facilitator.session.values import IssueSource


class Role(StrEnum):
    MODERATOR = "moderator"
    PARTICIPANT = "participant"
    DISPLAY = "display"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends a command: the moderator, one participant's phone, or a display."""

    role: Role
    participant_id: str | None = None

    @property
    def key(self) -> str:
        """A stable name for logs and request ids (never a device token)."""
        if self.role is Role.PARTICIPANT:
            return f"p:{self.participant_id or '-'}"
        return self.role.value


MODERATOR = Actor(Role.MODERATOR)

# Commands a phone may send, with the field that must name the phone's own participant.
PHONE_COMMANDS: dict[type[c.Command], str | None] = {
    c.JoinSession: None,
    c.CheckIn: "participant_id",
    c.CheckOut: "participant_id",
    c.RaiseIssue: "participant_id",
    c.SupportIssue: "participant_id",
    c.WithdrawSupport: "participant_id",
    c.RaiseHand: "participant_id",
    c.LowerHand: None,
    c.CastBallot: "participant_id",
    c.ClaimActionItem: "participant_id",
    c.RateDelivery: "participant_id",
    c.RateSession: "participant_id",
}


def authorize(state: SessionState | None, command: c.Command, actor: Actor) -> None:
    """Raise ``SessionError(FORBIDDEN)`` unless ``actor`` may send ``command``."""
    if actor.role is Role.MODERATOR:
        return
    if actor.role is not Role.PARTICIPANT or type(command) not in PHONE_COMMANDS:
        raise SessionError(ErrorCode.FORBIDDEN)
    own_field = PHONE_COMMANDS[type(command)]
    if own_field is not None and (
        actor.participant_id is None or getattr(command, own_field) != actor.participant_id
    ):
        raise SessionError(ErrorCode.FORBIDDEN)
    if isinstance(command, c.RaiseIssue) and command.source is not IssueSource.PHONE:
        raise SessionError(ErrorCode.FORBIDDEN)
    if isinstance(command, c.LowerHand):
        entry = (
            next((q for q in state.queue if q.entry_id == command.entry_id), None)
            if state
            else None
        )
        if entry is not None and entry.participant_id != actor.participant_id:
            raise SessionError(ErrorCode.FORBIDDEN)
