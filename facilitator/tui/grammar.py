"""The command line's vocabulary: every verb with its usage, and the one error type.

Kept apart from the parser so the completion, the palette and the help text can name the verbs
without pulling in the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.i18n import t

USAGE: dict[str, str] = {
    "open": "open",
    "next": "next",
    "start": "start N",
    "skip": "skip N",
    "defer": "defer N",
    "extend": "extend MINUTES",
    "pause": "pause",
    "resume": "resume",
    "walkins": "walkins COUNT",
    "roster": "roster NAME [#CATEGORY]",
    "invite": "invite [NAME]",
    "link": "link NAME [ROSTER-NAME]",
    "revoke": "revoke NAME",
    "issue": "issue TEXT [@NAME]",
    "accept": "accept N",
    "reject": "reject N REASON",
    "merge": "merge N INTO",
    "promote": "promote N [MINUTES]",
    "resolve": "resolve N [NOTE]",
    "urgency": "urgency N low|normal|high|urgent",
    "category": "category N TEXT",
    "q+": "q+ NAME",
    "q-": "q- NAME",
    "grant": "grant [NAME]",
    "done": "done",
    "opinion": "opinion +|-|= TEXT [@NAME]",
    "vote": "vote QUESTION [| OPTION | OPTION ...] [--named] [--multi=N] [--2/3|--present|"
    "--fraction=N/D] [--quorum=N|N/D|present] [--hide-tally|--show-tally]",
    "hands": "hands yes=N no=N abstain=N | hands 1=N 2=N ...",
    "proxy": "proxy NAME CHOICE[,CHOICE] [by NAME]",
    "close": "close",
    "cancel": "cancel [REASON]",
    "action": "action TITLE [@OWNER] [due YYYY-MM-DD]",
    "assign": "assign N [@OWNER] [due YYYY-MM-DD]",
    "rating": "rating",
    "end": "end",
    "lobby": "lobby",
    "main": "main",
    "closing": "closing",
    "help": "help [COMMAND]",
}
VERBS: tuple[str, ...] = tuple(USAGE)


@dataclass
class CommandLineError(Exception):
    """A line the console cannot use; ``key`` names a message in the console catalog."""

    key: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return t(f"console.cmd.error.{self.key}", lang, **self.params)
