"""The command line: an input with completion of verbs and names, and a history.

Completion is inline (press → or End to take it): the verb first, then, for verbs that name a
person (``q+``, ``q-``, ``grant``, ``proxy``), a display name from the latest snapshot. Up and
Down recall earlier lines. A line stays in the input until it was carried out: a refused line is
still there, selected, to be corrected (or typed over), an accepted one is cleared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from facilitator.tui.grammar import VERBS

_NAMED = ("q+", "q-", "grant", "proxy")
HISTORY = 200  # lines remembered


class CommandSuggester(Suggester):
    """Suggests a verb, then a name for the verbs that take one."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # names change during a session
        self._names = names

    async def get_suggestion(self, value: str) -> str | None:
        return suggest(value, self._names())


def suggest(value: str, names: Iterable[str]) -> str | None:
    """The completed line for ``value``, or None (a pure function, tested on its own)."""
    if not value.strip():
        return None
    verb, space, rest = value.partition(" ")
    if not space:
        lowered = verb.lower()
        return next((v for v in VERBS if v.startswith(lowered) and v != lowered), None)
    if verb.lower() in _NAMED and rest and " " not in rest:
        found = sorted(n for n in names if n.startswith(rest) and n != rest)
        return f"{verb} {found[0]}" if found else None
    return None


class History:
    """Lines typed earlier, newest last; Up walks back, Down forward to what was being typed."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._at = 0  # position while walking; len(lines) means "the line being typed"
        self._draft = ""

    def remember(self, line: str) -> None:
        if not self.lines or self.lines[-1] != line:
            self.lines = [*self.lines, line][-HISTORY:]
        self._at = len(self.lines)

    def back(self, current: str) -> str | None:
        if self._at == len(self.lines):
            self._draft = current
        if self._at == 0:
            return None
        self._at -= 1
        return self.lines[self._at]

    def forward(self) -> str | None:
        if self._at >= len(self.lines):
            return None
        self._at += 1
        return self._draft if self._at == len(self.lines) else self.lines[self._at]


class CommandLine(Input):
    """Where the moderator types commands; posts :class:`CommandLine.Entered` on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_back", show=False),
        Binding("down", "history_forward", show=False),
    ]

    @dataclass
    class Entered(Message):
        line: str

    def __init__(
        self,
        names: Callable[[], Iterable[str]],
        history: History,
        *,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(placeholder=placeholder, suggester=CommandSuggester(names), id=id)
        self.history = history  # shared by every screen's command line

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        if line:
            self.history.remember(line)
            self.post_message(self.Entered(line))

    def carried_out(self, line: str) -> None:
        """``line`` was accepted: clear it, unless the moderator already typed something else."""
        if self.value.strip() == line:
            self.value = ""

    def refused(self, line: str) -> None:
        """``line`` was refused: it stays, selected — End or → to correct it, or simply type the
        next command over it."""
        if self.value.strip() == line:
            self.select_all()

    def prefill(self, text: str) -> None:
        """Start a command for the moderator to finish (from a key or the palette)."""
        self.value = text
        self.cursor_position = len(text)
        self.focus()

    def _show(self, line: str | None) -> None:
        if line is not None:
            self.value = line
            self.cursor_position = len(line)

    def action_history_back(self) -> None:
        self._show(self.history.back(self.value))

    def action_history_forward(self) -> None:
        self._show(self.history.forward())
