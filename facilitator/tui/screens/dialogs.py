"""Small modal dialogs: ask for one line of text, or confirm a step that cannot be undone."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from facilitator.i18n import Translate


class AskScreen(ModalScreen[str | None]):
    """One line of text (a reason, an issue number, a category); Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, tr: Translate, prompt: str, *, value: str = "") -> None:
        super().__init__(classes="dialog")
        self.tr = tr
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Content(self.prompt))
            yield Input(value=self.value, id="answer")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.tr("console.button.ok"), variant="primary", id="ok")
                yield Button(self.tr("console.button.cancel"), id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        answer = self.query_one("#answer", Input).value.strip()
        self.dismiss(answer or None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no; Escape (and the default button) is no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", show=False),
        Binding("y", "answer(True)", show=False),
        Binding("n", "answer(False)", show=False),
    ]

    def __init__(self, tr: Translate, question: str) -> None:
        super().__init__(classes="dialog")
        self.tr = tr
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Content(self.question))
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.tr("console.button.yes"), variant="error", id="yes")
                yield Button(self.tr("console.button.no"), variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
