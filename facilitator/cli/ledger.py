"""``facilitator ledger``: the action ledger across sessions — list, show, update, feedback, rate,
export. Updates made here (between sessions) are kept in the database's ledger table."""

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
from facilitator.ledger import Entry, Ledger, LedgerUpdate, Status, to_csv, to_ics, to_json
from facilitator.store import EventLog, StoreError, exists, open_event_store, open_ledger_log, shown
from facilitator.store.ledger_log import read_ledger

MAX_TEXT = 1000


def _today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "ledger",
        help="the action ledger (整改臺賬) across sessions",
        description="Action items of every session: status, feedback, ratings, export.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    common.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    common.add_argument("--lang", choices=LANGS, help="default: the locale, else zh-Hant")
    sub = parser.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[common], help="list the items")
    listing.add_argument("--overdue", action="store_true", help="only overdue items")
    listing.add_argument("--owner", help="only items whose owner contains this")
    listing.add_argument("--building", help="only items of this building")
    listing.add_argument("--place", help="only items of this place")
    show = sub.add_parser("show", parents=[common], help="one item with its history")
    show.add_argument("ref", metavar="REF")
    update = sub.add_parser("update", parents=[common], help="change an item's status/deadline")
    update.add_argument("ref", metavar="REF")
    update.add_argument("--status", choices=[s.value for s in (Status.IN_PROGRESS, Status.DONE)])
    update.add_argument("--deadline", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    update.add_argument("--by", default="", help="who reports it")
    update.add_argument("--note", default="", help="what was done")
    feedback = sub.add_parser("feedback", parents=[common], help="record progress feedback")
    feedback.add_argument("ref", metavar="REF")
    feedback.add_argument("text", metavar="TEXT")
    feedback.add_argument("--by", default="")
    rate = sub.add_parser("rate", parents=[common], help="record a resident's rating (1-5)")
    rate.add_argument("ref", metavar="REF")
    rate.add_argument("stars", metavar="STARS", type=int)
    rate.add_argument("--by", default="")
    export = sub.add_parser("export", parents=[common], help="export as CSV, JSON or ICS")
    formats = export.add_mutually_exclusive_group(required=True)
    for name in ("csv", "json", "ics"):
        formats.add_argument(f"--{name}", dest="format", action="store_const", const=name)
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    args.lang = cli_lang(args.lang)
    if not exists(args.db):
        return missing_database(args.lang, args.db)
    try:
        with open_event_store(args.db) as store:
            ledger = read_ledger(store)
            if args.ledger_command in ("update", "feedback", "rate"):
                return _record(args, store, ledger)
    except StoreError as error:
        return store_failure(args.lang, args.db, error)
    if args.ledger_command == "list":
        return _list(args, ledger)
    if args.ledger_command == "show":
        return _show(args, ledger)
    return _export(args, ledger)


def _line(entry: Entry, args: argparse.Namespace) -> str:
    tr = translator(args.lang)
    status = tr(f"term.action_status.{entry.shown_status(_today(args)).value}")
    deadline = entry.deadline.isoformat() if entry.deadline else "-"
    return f"{entry.ref}  [{status}]  {deadline}  {entry.owner or '-'}  {entry.title}"


def _list(args: argparse.Namespace, ledger: Ledger) -> int:
    today = _today(args)
    listed = 0
    for entry in ledger.entries:
        if args.overdue and not entry.is_overdue(today):
            continue
        if args.owner and args.owner.casefold() not in entry.owner.casefold():
            continue
        if args.building and args.building.strip() != entry.building:
            continue
        if args.place and args.place.strip().casefold() not in entry.place.casefold():
            continue
        print(_line(entry, args))
        listed += 1
    if not listed:  # an empty screen would look like a failure
        key = "cli.ledger.none_match" if ledger.entries else "cli.ledger.none"
        print(translator(args.lang)(key, db=shown(args.db)), file=sys.stderr)
    return 0


def _show(args: argparse.Namespace, ledger: Ledger) -> int:
    entry = ledger.get(args.ref)
    if entry is None:
        return fail(args.lang, "cli.ledger.no_item", ref=args.ref)
    tr = translator(args.lang)
    print(_line(entry, args))
    for label, value in (
        ("term.measures", entry.measures),
        ("minutes.meta.place", entry.place),
        ("term.building", entry.building),
        ("term.category", entry.category),
        ("minutes.col.origin", f"{entry.session_date.isoformat()} {entry.session_title}"),
    ):
        if value:
            print(f"  {tr(label)}: {value}")
    for note in entry.feedback:
        status = f" [{tr(f'term.action_status.{note.status}')}]" if note.status else ""
        when = f"{note.at:%Y-%m-%d %H:%M}"
        print(f"  {tr('term.feedback')} {when} {note.by or '-'}{status}: {note.text}")
    if entry.ratings:
        stars = " ".join(str(r.stars) for r in entry.ratings)
        average = "-" if entry.average is None else f"{entry.average:.1f}"
        ratings = tr(
            "cli.ledger.ratings",
            label=tr("term.rating"),
            stars=stars,
            average=average,
            reopened=entry.reopened,
        )
        print(f"  {ratings}")
    return 0


def _record(args: argparse.Namespace, store: EventLog, ledger: Ledger) -> int:
    entry = ledger.get(args.ref)
    if entry is None:
        return fail(args.lang, "cli.ledger.no_item", ref=args.ref)
    by = " ".join(args.by.split())[:60]
    if args.ledger_command == "update":
        if args.status is None and args.deadline is None:
            return fail(args.lang, "cli.ledger.nothing_to_change")
        update = LedgerUpdate(
            args.ref, _now(), "status", args.status, args.deadline, args.note.strip(), by
        )
    elif args.ledger_command == "feedback":
        text = args.text.strip()
        if not text or len(text) > MAX_TEXT:
            return fail(args.lang, "cli.ledger.feedback_length", limit=MAX_TEXT)
        update = LedgerUpdate(args.ref, _now(), "feedback", text=text, by=by)
    else:
        if not 1 <= args.stars <= 5:
            return fail(args.lang, "cli.ledger.rating_range")
        if entry.status is not Status.DONE:
            return fail(args.lang, "cli.ledger.not_done", ref=args.ref)
        update = LedgerUpdate(args.ref, _now(), "rating", by=by, stars=args.stars)
    with open_ledger_log(store.location) as log:
        log.append(update)
        refreshed = read_ledger(store).get(args.ref)
    assert refreshed is not None
    print(_line(refreshed, args))
    return 0


def _export(args: argparse.Namespace, ledger: Ledger) -> int:
    today = _today(args)
    if args.format == "ics":
        data = to_ics(ledger, today)
    else:
        text = to_csv(ledger, today, args.lang) if args.format == "csv" else to_json(ledger, today)
        data = text.encode("utf-8")
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    return write_output(args.lang, args.output, data)
