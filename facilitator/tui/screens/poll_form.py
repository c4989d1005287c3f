"""The form that opens a poll: question, type, options (and how many may be chosen), secret or
named, whether phones and the projector see the running counts, quorum, threshold."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from facilitator.i18n import Translate
from facilitator.session.values import PollKind, Quorum, Threshold, ThresholdRule
from facilitator.tui import intents
from facilitator.tui.intents import Vote

_THRESHOLDS = (
    ThresholdRule.SIMPLE_MAJORITY,
    ThresholdRule.TWO_THIRDS,
    ThresholdRule.MAJORITY_OF_PRESENT,
)


def parse_quorum(text: str) -> Quorum | bool | None:
    """``""`` the session's quorum (None); else as :func:`intents.parse_quorum` reads it
    (``8``, ``2/3``, ``過半數在場``, ``none``...); False when it cannot be read."""
    if not text.strip():
        return None
    found = intents.parse_quorum(text)
    return False if found is None else found


_TALLY = {"auto": None, "show": False, "hide": True}


class PollForm(ModalScreen[Vote | None]):
    """Returns the :class:`Vote` to open, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    AUTO_FOCUS = "#question"  # the moderator types the question first
    # On a short terminal (80×24) the fields scroll and the buttons stay in sight.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012

    def __init__(self, tr: Translate, question: str = "", options: tuple[str, ...] = ()) -> None:
        super().__init__(classes="dialog")
        self.tr = tr
        self._question = question
        self._options = options

    def compose(self) -> ComposeResult:
        tr = self.tr
        kinds = [(tr(f"term.poll_kind.{k.value}"), k) for k in PollKind]
        rules = [(tr(f"term.threshold.{r.value}"), r) for r in _THRESHOLDS]
        start = PollKind.SINGLE if self._options else PollKind.YES_NO_ABSTAIN
        with Vertical(classes="dialog-box", id="poll-form"):
            with VerticalScroll(id="form-fields", can_focus=False):
                yield Label(tr("console.form.question"))
                yield Input(self._question, id="question")
                with Horizontal(classes="dialog-row"):
                    yield Select(kinds, value=start, allow_blank=False, id="kind")
                    yield Input(
                        id="max", type="integer", placeholder=tr("console.form.max_choices")
                    )
                yield Label(tr("console.form.options"))
                yield Input(" | ".join(self._options), id="options")
                yield Checkbox(tr("term.named_ballot"), id="named")
                tally = [(tr(f"console.form.tally.{k}"), k) for k in _TALLY]
                yield Select(tally, value="auto", allow_blank=False, id="tally")
                yield Label(tr("console.form.quorum"))
                yield Input(id="quorum", placeholder="8  /  2/3  /  過半數在場")
                yield Select(
                    rules, value=ThresholdRule.SIMPLE_MAJORITY, allow_blank=False, id="rule"
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr("console.form.open"), variant="primary", id="ok")
                yield Button(tr("console.button.cancel"), id="cancel")

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted)
    def _ok(self) -> None:
        vote = self.vote()
        if vote is not None:
            self.dismiss(vote)

    def vote(self) -> Vote | None:
        """The vote as filled in, or None (with a notification) when something is missing."""
        question = self.query_one("#question", Input).value.strip()
        kind = self.query_one("#kind", Select).value
        raw = self.query_one("#options", Input).value.replace("｜", "|")
        options = tuple(o.strip() for o in raw.split("|") if o.strip())
        quorum = parse_quorum(self.query_one("#quorum", Input).value)
        rule = self.query_one("#rule", Select).value
        if not question:
            self.notify(self.tr("console.form.need_question"), severity="error")
            return None
        if not isinstance(kind, PollKind) or not isinstance(rule, ThresholdRule):
            return None
        if kind is not PollKind.YES_NO_ABSTAIN and len(options) < 2:
            self.notify(self.tr("console.form.need_options"), severity="error")
            return None
        if quorum is False:
            self.notify(self.tr("console.form.bad_quorum"), severity="error")
            return None
        most = 1
        if kind is PollKind.MULTI:
            typed = self.query_one("#max", Input).value.strip()
            most = int(typed) if typed.isdecimal() else len(options) if not typed else 0
            if not 1 <= most <= len(options):
                self.notify(self.tr("console.form.bad_max", count=len(options)), severity="error")
                return None
        return Vote(
            question=question,
            kind=kind,
            options=options if kind is not PollKind.YES_NO_ABSTAIN else (),
            max_choices=most,
            secret=not self.query_one("#named", Checkbox).value,
            quorum=quorum if isinstance(quorum, Quorum) else None,
            threshold=Threshold(rule),
            hide_tally=_TALLY.get(str(self.query_one("#tally", Select).value)),
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
