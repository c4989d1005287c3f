"""The status line above the command line: what the last command did, or why it was refused.

One line (two or three when a usage text needs them), always in the same place, never over the
command line: the moderator's eyes go from
what she typed to its answer without looking for a notification. Text is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

_MARKS = {"ok": "✓ ", "refused": "✗ "}


class StatusLine(Static):
    """Says ``ok``, ``refused`` or a hint in one line; the newest answer replaces the last."""

    said: tuple[str, str] = ("", "")  # what it was last asked to say: (kind, text)

    def say(self, kind: str, text: str) -> None:
        """``kind`` is ``ok`` (a command did something), ``refused`` or ``hint``."""
        self.said = (kind, text)
        self._say(_MARKS.get(kind, ""), text, f"-{kind}")

    @property
    def text(self) -> str:
        """What the line says now (for tests and the screen reader)."""
        return self._said

    def _say(self, mark: str, text: str, kind: str) -> None:
        self._said = mark + " ".join(text.split()) if text else ""
        self.set_class(kind == "-ok", "-ok")
        self.set_class(kind == "-refused", "-refused")
        self.set_class(kind == "-hint", "-hint")
        self.update(Text(self._said))

    def on_mount(self) -> None:
        self._said = ""
