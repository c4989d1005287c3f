"""The command line: ``facilitator <command> ...``; the composition root of the application.

Each module of this package that defines ``register(subparsers)`` adds one command; the modules
are found at start-up, so adding a command never means editing a central list.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from facilitator import __version__
from facilitator.cli._arguments import lang_option, speaking
from facilitator.cli._common import cli_lang


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitator",
        description="Run live community deliberation sessions: console, phones, minutes, ledger.",
    )
    parser.add_argument("--version", action="version", version=f"facilitator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        register = getattr(loaded, "register", None)
        if register is not None:
            register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``facilitator`` console script; returns the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    with speaking(cli_lang(lang_option(words))):
        args = build_parser().parse_args(words)
    try:
        status: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
