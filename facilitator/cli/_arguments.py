"""argparse's own messages (a missing argument, a wrong choice, "usage:") in the command's
language: argparse looks each template up through its module's ``_`` (gettext), so while the
command line is parsed that lookup answers from the ``cli.args.*`` keys of the catalogs."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator, Sequence

from facilitator.i18n import lookup

# argparse's English templates (Python 3.11+) -> catalog keys holding the same %-placeholders.
TEMPLATES = {
    "usage: ": "cli.args.usage",
    "%(prog)s: error: %(message)s\n": "cli.args.error",
    "the following arguments are required: %s": "cli.args.required",
    "unrecognized arguments: %s": "cli.args.unrecognized",
    "argument %(argument_name)s: %(message)s": "cli.args.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.args.choice",
    "invalid %(type)s value: %(value)r": "cli.args.type",
    "expected one argument": "cli.args.one",
    "expected at least one argument": "cli.args.at_least_one",
    "expected at most one argument": "cli.args.at_most_one",
    "one of the arguments %s is required": "cli.args.one_of",
    "not allowed with argument %s": "cli.args.not_with",
    "ambiguous option: %(option)s could match %(matches)s": "cli.args.ambiguous",
    "ignored explicit argument %r": "cli.args.ignored",
    "positional arguments": "cli.args.positional",
    "options": "cli.args.options",
    "show this help message and exit": "cli.args.help",
}
_ENDINGS = {"cli.args.usage": " ", "cli.args.error": "\n"}  # catalog messages are trimmed


def lang_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (before parsing, which may fail), if any."""
    for n, word in enumerate(argv):
        if word == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return None


def translator_for(lang: str) -> Callable[[str], str]:
    """argparse's ``_`` for ``lang``: a known template's translation, else the template."""

    def translate(template: str) -> str:
        key = TEMPLATES.get(template)
        message = lookup(key, lang) if key else None
        if message is None:
            return template
        ending = _ENDINGS.get(key or "", "")
        return message if ending == " " and message.endswith("：") else message + ending

    return translate


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """argparse speaks ``lang`` inside the block."""
    module: object = argparse
    original = module._  # type: ignore[attr-defined]
    module._ = translator_for(lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        module._ = original  # type: ignore[attr-defined]
