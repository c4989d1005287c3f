"""The agenda a moderator prepares before a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class SessionKind(StrEnum):
    """The kinds of deliberation meeting the tool knows."""

    SQUARE_TALK = "square_talk"  # 廣場夜話
    PAVILION = "pavilion"  # 議事亭 / 議事廳
    SEVEN_PLUS_X = "seven_plus_x"  # 7+X 議事會
    CUSTOM = "custom"


class QuorumKind(StrEnum):
    """How the agenda's quorum is counted (the engine's ``QuorumRule`` has the same values)."""

    NONE = "none"
    COUNT = "count"  # at least N people present
    ROSTER_FRACTION = "roster_fraction"  # at least num/den of the roster present
    PRESENT_MAJORITY = "present_majority"  # more than half of those present take part in a vote
    PRESENT_FRACTION = "present_fraction"  # at least num/den of those present take part


@dataclass(frozen=True, slots=True)
class QuorumSpec:
    """The quorum the agenda sets for every vote of the session (a vote may name its own)."""

    rule: QuorumKind = QuorumKind.NONE
    count: int = 0
    num: int = 0
    den: int = 1


@dataclass(frozen=True, slots=True)
class AgendaItemSpec:
    """One ``##`` section of an agenda file.

    ``options`` are the list items under the heading: when present they become the options of a
    proposal put to a vote during that item.
    """

    title: str
    time_box_s: int | None = None
    description: str = ""
    options: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Agenda:
    """A prepared session: its front matter and its items, in order."""

    title: str
    kind: SessionKind = SessionKind.CUSTOM
    date: dt.date | None = None
    start_time: dt.time | None = None
    place: str = ""
    moderator: str = ""
    recorder: str = ""
    lang: str = "zh-Hant"
    items: tuple[AgendaItemSpec, ...] = ()
    quorum: QuorumSpec = QuorumSpec()
    # The place's categories of people in the place's order, as written (居民, 黨員, 網格員...);
    # a documented role key (residents_committee, subdistrict, ...) shows its default name.
    categories: tuple[str, ...] = ()
