"""Agenda items, the speaker queue and opinions."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.session.commands._base import Command
from facilitator.session.values import (
    Stance,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAgendaItem(Command):
    item_id: str
    title: str
    time_box_s: int | None = None
    description: str = ""
    options: tuple[str, ...] = ()
    after_item_id: str | None = None  # None: at the end


@dataclass(frozen=True, slots=True, kw_only=True)
class StartItem(Command):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseItem(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeItem(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvanceAgenda(Command):
    """Finish the current item (if any) and start the next pending one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SkipItem(Command):
    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeferItem(Command):
    """Carry an item over to the next session."""

    item_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendItem(Command):
    item_id: str
    seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseHand(Command):
    """Join the current item's speaker queue: a participant, or a name the moderator types."""

    entry_id: str
    participant_id: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LowerHand(Command):
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GrantFloor(Command):
    """Give the floor to ``entry_id``, or to the first in the queue when None."""

    entry_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSpeaking(Command):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordOpinion(Command):
    opinion_id: str
    stance: Stance
    text: str
    speaker: str = ""
    participant_id: str | None = None
    item_id: str | None = None  # None: the current item
