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
