"""The grammar of the console's command line: text in, an :class:`Intent` or a typed error out.

A line is a verb and its arguments, separated by spaces (a full-width space counts as one)::

    next · q+ 王阿姨 · vote 是否建設充電車棚 · hands yes=12 no=3 abstain=1
    action 維修路燈 @物業公司 due 2026-12-31 · merge 3 1 · reject 4 不屬本社區 · walkins 37

Numbers are the numbers the console shows (``#3`` works too). ``@NAME`` names an owner or a
speaker. Flags start with ``--``. The whole grammar is in docs/console.md and :data:`USAGE`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

from facilitator.session.values import (
    PollKind,
    Quorum,
    Stance,
    Threshold,
    ThresholdRule,
    Urgency,
)
from facilitator.tui import intents as i
from facilitator.tui.grammar import USAGE, VERBS, CommandLineError

__all__ = ["USAGE", "VERBS", "CommandLineError", "parse"]

_STANCES = {
    "+": Stance.FOR, "for": Stance.FOR, "支持": Stance.FOR,
    "-": Stance.AGAINST, "against": Stance.AGAINST, "反對": Stance.AGAINST, "反对": Stance.AGAINST,
    "=": Stance.NEUTRAL, "0": Stance.NEUTRAL, "neutral": Stance.NEUTRAL, "中立": Stance.NEUTRAL,
}  # fmt: skip
_URGENCIES = {u.value: u for u in Urgency}


def _usage(verb: str) -> CommandLineError:
    return CommandLineError("usage", {"usage": USAGE[verb]})


def _number(token: str, verb: str) -> int:
    digits = token.removeprefix("#")
    if not digits.isdecimal():
        raise CommandLineError("number", {"value": token, "usage": USAGE[verb]})
    return int(digits)


def _date(token: str) -> dt.date:
    try:
        return dt.date.fromisoformat(token)
    except ValueError:
        raise CommandLineError("date", {"value": token}) from None


def _owner_due(words: list[str]) -> tuple[list[str], str, dt.date | None]:
    """Take ``@OWNER`` and ``due DATE`` out of ``words``; what is left is the text."""
    due: dt.date | None = None
    if len(words) >= 2 and words[-2].lower() == "due":
        due, words = _date(words[-1]), words[:-2]
    owners = [w for w in words if w.startswith("@") and len(w) > 1]
    rest = [w for w in words if not (w.startswith("@") and len(w) > 1)]
    return rest, " ".join(o[1:] for o in owners), due


def _fraction(text: str, verb: str) -> tuple[int, int]:
    num, sep, den = text.partition("/")
    if not sep or not num.isdecimal() or not den.isdecimal() or int(den) == 0:
        raise CommandLineError("fraction", {"value": text, "usage": USAGE[verb]})
    return int(num), int(den)


def _vote(words: list[str]) -> i.Vote:
    flags = [w for w in words if w.startswith("--")]
    text = " ".join(w for w in words if not w.startswith("--")).replace("｜", "|")
    question, *options = [part.strip() for part in text.split("|")]
    if not question or any(not o for o in options):
        raise _usage("vote")
    kind = PollKind.SINGLE if options else PollKind.YES_NO_ABSTAIN
    secret, max_choices, hide_tally = True, 1, None
    quorum: Quorum | None = None  # the session's, unless a flag names one
    threshold = Threshold()
    for flag in flags:
        name, _, value = flag[2:].partition("=")
        if name == "named":
            secret = False
        elif name == "multi" and options:
            kind, max_choices = PollKind.MULTI, _number(value or str(len(options)), "vote")
        elif name == "2/3":
            threshold = Threshold(ThresholdRule.TWO_THIRDS)
        elif name == "present":
            threshold = Threshold(ThresholdRule.MAJORITY_OF_PRESENT)
        elif name == "fraction":
            num, den = _fraction(value, "vote")
            threshold = Threshold(ThresholdRule.FRACTION, num, den)
        elif name == "quorum":
            quorum = i.parse_quorum(value)
            if quorum is None and "/" in value:
                _fraction(value, "vote")  # says what is wrong with the fraction
            if quorum is None:
                raise CommandLineError("flag", {"flag": flag, "usage": USAGE["vote"]})
        elif name in ("hide-tally", "show-tally"):
            hide_tally = name == "hide-tally"
        else:
            raise CommandLineError("flag", {"flag": flag, "usage": USAGE["vote"]})
    return i.Vote(
        question, kind, tuple(options), max_choices, secret, quorum, threshold, hide_tally
    )


def _hands(words: list[str]) -> i.Hands:
    counts: list[tuple[str, int]] = []
    for word in words:
        key, sep, value = word.replace("＝", "=").partition("=")
        if not sep or not key:
            raise _usage("hands")
        counts.append((key, _number(value, "hands")))
    if not counts:
        raise _usage("hands")
    return i.Hands(tuple(counts))


def _issue(verb: str, words: list[str]) -> i.Intent:
    if not words:
        raise _usage(verb)
    number, rest = _number(words[0], verb), words[1:]
    text = " ".join(rest)
    if verb == "reject" and not text:
        raise _usage(verb)
    if verb == "promote":
        minutes = _number(rest[0], verb) if rest else None
        return i.IssueAction(verb, number, minutes=minutes)
    return i.IssueAction(verb, number, text)


def _tail(words: list[str]) -> tuple[list[str], str]:
    """Split a trailing ``@NAME`` (who said or asked it) from the text."""
    if words and words[-1].startswith("@") and len(words[-1]) > 1:
        return words[:-1], words[-1][1:]
    return words, ""


def _one_number(verb: str, words: list[str]) -> int:
    if len(words) != 1:
        raise _usage(verb)
    return _number(words[0], verb)


def _opinion(words: list[str]) -> i.Opinion:
    if not words or words[0].lower() not in _STANCES:
        raise CommandLineError("stance", {"usage": USAGE["opinion"]})
    text, speaker = _tail(words[1:])
    if not text:
        raise _usage("opinion")
    return i.Opinion(_STANCES[words[0].lower()], " ".join(text), speaker)


def _classify(verb: str, words: list[str]) -> i.Classify:
    if len(words) < 2:
        raise _usage(verb)
    number = _number(words[0], verb)
    if verb == "category":
        return i.Classify(number, category=" ".join(words[1:]))
    level = _URGENCIES.get(words[1].lower())
    if level is None or len(words) != 2:
        raise _usage(verb)
    return i.Classify(number, urgency=level)


def _proxy(words: list[str]) -> i.Proxy:
    by = ""
    if len(words) >= 4 and words[-2].lower() == "by":
        by, words = words[-1], words[:-2]
    if len(words) != 2:
        raise _usage("proxy")
    return i.Proxy(words[0], tuple(c for c in words[1].replace("，", ",").split(",") if c), by)


def _with_text(verb: str, words: list[str]) -> list[str]:
    if not words:
        raise _usage(verb)
    return words


def _assign(words: list[str]) -> i.Assign:
    if not words:
        raise _usage("assign")
    rest, owner, due = _owner_due(words[1:])
    if rest or (not owner and due is None):
        raise _usage("assign")
    return i.Assign(_number(words[0], "assign"), owner, due)


def _roster(words: list[str]) -> i.Roster:
    categories = [w[1:] for w in words if w.startswith("#") and len(w) > 1]
    name = " ".join(w for w in words if not (w.startswith("#") and len(w) > 1))
    if not name:
        raise _usage("roster")
    return i.Roster(name, " ".join(categories))


def _raise(words: list[str]) -> i.RaiseIssue:
    text, who = _tail(words)
    return i.RaiseIssue(" ".join(_with_text("issue", text)), who)


def _action(words: list[str]) -> i.Action:
    rest, owner, due = _owner_due(words)
    if not rest:
        raise _usage("action")
    return i.Action(" ".join(rest), owner, due)


_SIMPLE = ("open", "next", "pause", "resume", "done", "close", "rating", "end")
_PARSERS: dict[str, Callable[[str, list[str]], i.Intent]] = {
    **{v: (lambda v, w: i.ItemAction(v, _one_number(v, w))) for v in ("start", "skip", "defer")},
    **dict.fromkeys(("accept", "reject", "promote", "resolve"), _issue),
    **dict.fromkeys(("urgency", "category"), _classify),
    **{v: (lambda v, w: i.Show(v)) for v in ("lobby", "main", "closing")},
    "help": lambda v, w: _help(w),
    "extend": lambda v, w: i.Extend(_one_number(v, w)),
    "walkins": lambda v, w: i.WalkIns(_one_number(v, w)),
    "roster": lambda v, w: _roster(w),
    "invite": lambda v, w: i.Invite(" ".join(w)),
    "link": lambda v, w: i.Link(w[0], w[-1]) if 1 <= len(w) <= 2 else _bad(v),
    "revoke": lambda v, w: i.Revoke(" ".join(_with_text(v, w))),
    "issue": lambda v, w: _raise(w),
    "merge": lambda v, w: i.Merge(_number(w[0], v), _number(w[1], v)) if len(w) == 2 else _bad(v),
    "q+": lambda v, w: i.Queue(" ".join(_with_text(v, w))),
    "q-": lambda v, w: i.Queue(" ".join(_with_text(v, w)), leave=True),
    "grant": lambda v, w: i.Grant(" ".join(w)),
    "opinion": lambda v, w: _opinion(w),
    "vote": lambda v, w: _vote(w),
    "hands": lambda v, w: _hands(w),
    "proxy": lambda v, w: _proxy(w),
    "cancel": lambda v, w: i.Cancel(" ".join(w)),
    "action": lambda v, w: _action(w),
    "assign": lambda v, w: _assign(w),
}


def _help(words: list[str]) -> i.Help:
    if not words:
        return i.Help()
    if len(words) > 1:
        raise _usage("help")
    verb = words[0].lower()
    if verb not in USAGE:
        raise _unknown(words[0])
    return i.Help(verb)


def _unknown(verb: str) -> CommandLineError:
    """An unknown verb, with the nearest real one when a typo is likely (``nxet`` → ``next``)."""
    near = difflib.get_close_matches(verb.lower(), VERBS, n=1, cutoff=0.7)
    if near:
        return CommandLineError("unknown_near", {"verb": verb, "near": near[0]})
    return CommandLineError("unknown", {"verb": verb})


def _bad(verb: str) -> i.Intent:
    raise _usage(verb)


def parse(line: str) -> i.Intent:
    """Parse one command line; raises :class:`CommandLineError` with a catalog key."""
    words = line.replace("\u3000", " ").split()
    if not words:
        raise CommandLineError("empty")
    verb, args = words[0].lower(), words[1:]
    if verb in _SIMPLE:
        if args:
            raise _usage(verb)
        return i.Simple(verb)
    parser = _PARSERS.get(verb)
    if parser is None:
        raise _unknown(words[0])
    return parser(verb, args)
