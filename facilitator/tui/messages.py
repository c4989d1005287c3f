"""Messages the console's screens and dialogs send up to the app (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from facilitator.tui.intents import Intent


@dataclass
class RunIntent(Message):
    """Carry out ``intent`` for the moderator (from a dialog, a board key or a button)."""

    intent: Intent


@dataclass
class RunLine(Message):
    """Carry out a typed command line."""

    line: str
