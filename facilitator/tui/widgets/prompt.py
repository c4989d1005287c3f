"""The command line: an input with completion of verbs and participants' names.

Completion is inline (press → or End to take it): the verb first, then, for verbs that name a
person (``q+``, ``q-``, ``grant``, ``proxy``, ``roster``), a display name from the latest snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from facilitator.tui.grammar import VERBS

_NAMED = ("q+", "q-", "grant", "proxy")
_WORDS = {"hands": ("yes=", "no=", "abstain="), "urgency": ()}


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


class CommandLine(Input):
    """Where the moderator types commands; posts :class:`CommandLine.Entered` on Enter."""

    @dataclass
    class Entered(Message):
        line: str

    def __init__(
        self, names: Callable[[], Iterable[str]], *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, suggester=CommandSuggester(names), id=id)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        self.value = ""
        if line:
            self.post_message(self.Entered(line))

    def prefill(self, text: str) -> None:
        """Start a command for the moderator to finish (from a key or the palette)."""
        self.value = text
        self.cursor_position = len(text)
        self.focus()
