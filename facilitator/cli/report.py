"""``facilitator report``: the figures a community office reports upward — sessions held, issues
raised and resolved, resolution, on-time and satisfaction rates, by category and building; with
``--district``, every place of the database side by side (Markdown, HTML, CSV or JSON)."""

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
    fail,
    missing_database,
    store_failure,
    write_output,
)
from facilitator.i18n import LANGS, translator
from facilitator.ledger import compute_report, render_report
from facilitator.ledger.district import PlaceName, compute_district
from facilitator.ledger.district_render import district_csv, district_json, render_district
from facilitator.minutes import escape_cell, markdown_page
from facilitator.store import StoreError, exists, open_event_store
from facilitator.store.ledger_log import read_ledger, read_places


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "report",
        help="figures across sessions: resolution, on-time and satisfaction rates",
        description="Sessions held, issues raised and resolved, and the rates, since a date.",
    )
    parser.add_argument(
        "--since", "--from", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: all)"
    )
    parser.add_argument("--to", dest="until", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument(
        "--district", action="store_true", help="every place of the database, side by side"
    )
    parser.add_argument("--format", choices=("md", "html", "csv", "json"), default="md",
                        help="csv and json: with --district")  # fmt: skip
    parser.add_argument("--json", dest="format", action="store_const", const="json")
    parser.add_argument(
        "--lang", choices=LANGS, help="language of the report (default: zh-Hant) and messages"
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    says = cli_lang(args.lang)
    lang = args.lang or LANGS[0]
    if args.format in ("csv", "json") and not args.district:
        return fail(says, "cli.report.district_only", format=args.format)
    if args.since and args.until and args.until < args.since:
        return fail(says, "cli.report.backwards", since=args.since, until=args.until)
    if not exists(args.db):
        return missing_database(says, args.db)
    try:
        with open_event_store(args.db) as store:
            places = read_places(store.location)
            ledger = read_ledger(store, places=places)
    except StoreError as error:
        return store_failure(says, args.db, error)
    today = args.today or dt.date.today()
    if args.district:
        names = [PlaceName(p.place_id, p.name) for p in places]
        district = compute_district(ledger, names, today, args.since, args.until)
        if args.format == "json":
            return _emit(says, args.output, district_json(district))
        if args.format == "csv":
            return _emit(says, args.output, district_csv(district, lang))
        text = render_district(district, lang, escape_cell)
        title = translator(lang)("minutes.district.title")
    else:
        report = compute_report(ledger, today, args.since, args.until)
        text = render_report(report, lang, escape_cell)
        title = translator(lang)("minutes.report.title")
    if args.format == "html":
        text = markdown_page(text, title=title, lang=lang)
    return _emit(says, args.output, text)


def _emit(says: str, output: Path | None, text: str) -> int:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    return write_output(says, output, text.encode("utf-8"))
