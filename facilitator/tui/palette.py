"""The command palette (``ctrl+p``): every key's action under the same name as its key hint."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import SystemCommand

from facilitator.i18n import Translate
from facilitator.tui.grammar import USAGE

# Palette entries: (label id, action); prefills start a line for the moderator to finish.
PALETTE = (
    ("open", "run_line('open')"),
    ("next", "run_line('next')"),
    ("grant", "run_line('grant')"),
    ("done", "run_line('done')"),
    ("poll", "poll_form"),
    ("close", "run_line('close')"),
    ("hands", "prefill('hands ')"),
    ("proxy", "prefill('proxy ')"),
    ("cancel", "prefill('cancel ')"),
    ("queue", "prefill('q+ ')"),
    ("issue", "prefill('issue ')"),
    ("opinion", "prefill('opinion + ')"),
    ("action", "prefill('action ')"),
    ("assign", "prefill('assign ')"),
    ("walkins", "prefill('walkins ')"),
    ("roster", "prefill('roster ')"),
    ("extend", "prefill('extend ')"),
    ("pause", "run_line('pause')"),
    ("resume", "run_line('resume')"),
    ("rating", "run_line('rating')"),
    ("end", "run_line('end')"),
    ("lobby", "run_line('lobby')"),
    ("main", "run_line('main')"),
    ("closing", "run_line('closing')"),
    ("help", "run_line('help')"),
    ("intake", "intake_screen"),
)
_VERB = {"poll": "vote", "queue": "q+"}


def literal(text: str) -> str:
    """``text`` written so the palette, which reads its entries as markup, shows it as it is
    (the usage texts are full of square brackets: ``action TITLE [@OWNER] [due YYYY-MM-DD]``)."""
    return text.replace("[", "\\[")


def system_commands(
    tr: Translate, run: Callable[[str], object], quit: Callable[[], object]
) -> Iterable[SystemCommand]:
    """The palette's entries: ``run(action)`` carries one out."""
    for name, action in PALETTE:
        yield SystemCommand(
            literal(tr(f"console.key.{name}")),
            literal(USAGE.get(_VERB.get(name, name), "")),
            lambda action=action: run(action),
        )
    yield SystemCommand(literal(tr("console.key.quit")), "ctrl+q", quit)
