"""The command reference: every verb with its grammar, what it does and one example.

``help`` opens it with every command; ``help vote`` with that one only. Built from
:data:`facilitator.tui.grammar.USAGE` and the ``help.*`` catalog entries, as plain text (the
grammar is full of square brackets, which must never be read as markup).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from facilitator.i18n import Translate
from facilitator.tui.grammar import USAGE

HELP_KEYS = {"q+": "q_add", "q-": "q_remove"}  # catalog keys are identifiers


def help_text(tr: Translate, verbs: tuple[str, ...] = ()) -> Text:
    """The reference for ``verbs`` (all of them when empty), as plain text."""
    text = Text()
    if not verbs:
        text.append(tr("help.intro") + "\n\n", "dim")
    for verb in verbs or tuple(USAGE):
        text.append(USAGE[verb], "bold")
        key = HELP_KEYS.get(verb, verb)
        text.append("  " + tr(f"help.verb.{key}") + "\n")
        example = tr(f"help.example.{key}")
        if example != USAGE[verb]:  # ``open``'s example would only repeat it
            text.append(f"    {tr('help.example')} ", "dim")
            text.append(example + "\n", "green")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    """The reference, scrollable; Escape, Enter or the button closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss_help", show=False),
    ]

    def __init__(self, tr: Translate, verb: str = "") -> None:
        super().__init__(classes="dialog")
        self.tr = tr
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -one" if self.verb else "dialog-box", id="help"):
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.tr, (self.verb,) if self.verb else ()), id="help-text")
            yield Button(self.tr("help.close"), variant="primary", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help", Vertical).border_title = self.tr("help.title")
        self.query_one("#help-scroll").focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
