"""``facilitator report``: the figures a community office reports upward — sessions held, issues
raised and resolved, resolution, on-time and satisfaction rates, by category and building."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    missing_database,
    store_failure,
    write_output,
)
from facilitator.i18n import LANGS, translator
from facilitator.ledger import compute_report, render_report
from facilitator.minutes import escape_cell, markdown_page
from facilitator.store import StoreError, exists, open_event_store
from facilitator.store.ledger_log import read_ledger


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "report",
        help="figures across sessions: resolution, on-time and satisfaction rates",
        description="Sessions held, issues raised and resolved, and the rates, since a date.",
    )
    parser.add_argument("--since", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: all)")
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument("--format", choices=("md", "html"), default="md")
    parser.add_argument(
        "--lang", choices=LANGS, help="language of the report (default: zh-Hant) and messages"
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    says = cli_lang(args.lang)
    lang = args.lang or LANGS[0]
    if not exists(args.db):
        return missing_database(says, args.db)
    try:
        with open_event_store(args.db) as store:
            ledger = read_ledger(store)
    except StoreError as error:
        return store_failure(says, args.db, error)
    report = compute_report(ledger, args.today or dt.date.today(), args.since)
    text = render_report(report, lang, escape_cell)
    if args.format == "html":
        title = translator(lang)("minutes.report.title")
        text = markdown_page(text, title=title, lang=lang)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    return write_output(says, args.output, text.encode("utf-8"))
