"""``facilitator new``: write a ready-to-edit agenda for a kind of session."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from facilitator.agenda import SessionKind, agenda_template, valid_langs
from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    fail,
    store_failure,
    write_output,
)
from facilitator.ledger import follow_up_titles, follow_ups_for
from facilitator.store import StoreError, exists, open_event_store, shown
from facilitator.store.ledger_log import read_ledger


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "new",
        help="write a ready-to-edit agenda template",
        description="Write a Markdown agenda for a kind of session, ready to edit.",
    )
    parser.add_argument(
        "--kind",
        choices=[k.value for k in SessionKind],
        default=SessionKind.SQUARE_TALK.value,
        help="square_talk (廣場夜話), pavilion (議事亭), seven_plus_x (7+X 議事會) or custom",
    )
    parser.add_argument(
        "--lang",
        choices=valid_langs(),
        help="language of the template (default: zh-Hant) and of the messages (the locale)",
    )
    parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--place", default="")
    parser.add_argument(
        "-o", "--output", help="file to write (default: <date>-<kind>.md; '-' for stdout)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--follow-up",
        action="store_true",
        help="put the place's open ledger items first ('what we promised last time')",
    )
    parser.add_argument(
        "--intake",
        action="store_true",
        help="add the requests the place scheduled between sessions (碼上議), after the promises",
    )
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    says = cli_lang(args.lang)
    template_lang = args.lang or "zh-Hant"
    date = args.date or dt.date.today()
    promises: tuple[str, ...] = ()
    if args.follow_up:
        if not exists(args.db):
            return fail(says, "cli.new.follow_up_db", db=shown(args.db))
        try:
            with open_event_store(args.db) as store:
                ledger = read_ledger(store)
        except StoreError as error:
            return store_failure(says, args.db, error)
        promises = follow_up_titles(follow_ups_for(ledger, args.place, date), template_lang)
    text = agenda_template(
        SessionKind(args.kind), template_lang, date=date, place=args.place, follow_up=promises
    )
    if args.intake:
        from facilitator.cli._intake_agenda import with_intake

        added = with_intake(text, args.db, args.place, template_lang, says)
        if added is None:
            return 2
        text = added
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.output or f"{date.isoformat()}-{args.kind}.md")
    if path.exists() and not args.force:
        return fail(says, "cli.new.exists", path=path)
    return write_output(says, path, text.encode("utf-8"))
