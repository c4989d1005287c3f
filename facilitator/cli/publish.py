"""``facilitator publish --place P -o DIR``: the public page (公示) of a place as static files for
any web host — ``DIR/index.html`` (read-only: ratings are given on the live page) and the minutes
of the place's past sessions in ``DIR/minutes/``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    fail,
    missing_database,
    os_reason,
    store_failure,
)
from facilitator.cli._intake import open_hub, place_or_fail
from facilitator.i18n import LANGS, t
from facilitator.minutes import minutes_html
from facilitator.server.intake_pages import public_page
from facilitator.server.intake_views import public_place
from facilitator.store import StoreError, exists, open_event_store


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "publish",
        help="write a place's public page (公示) and past minutes as static files",
        description="The public page of a place's promises, for any web host.",
    )
    parser.add_argument("--place", required=True, metavar="PLACE_ID")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument("--lang", choices=LANGS, help="default: the place's language")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not exists(args.db):
        return missing_database(cli_lang(), args.db)
    with open_hub(args.db) as hub:
        if hub is None:
            return 2
        place = place_or_fail(hub, args.place)
        if place is None:
            return 2
        lang, said = args.lang or place.lang, place.lang  # the page's, the messages'
        try:
            with open_event_store(args.db) as store:
                ledger = hub.ledger(store)
                data = public_place(place, ledger, args.today or dt.date.today(), None)
                minutes = {
                    s["session_id"]: minutes_html(
                        [x.event for x in store.load(s["session_id"])], lang
                    )
                    for s in data["sessions"]
                }
        except StoreError as error:
            return store_failure(said, args.db, error)
    try:
        (args.output / "minutes").mkdir(parents=True, exist_ok=True)
        page = public_page(data, lang, live=False, minutes_href="minutes/")
        (args.output / "index.html").write_text(page, encoding="utf-8")
        for session_id, html in minutes.items():
            (args.output / "minutes" / f"{session_id}.html").write_text(html, encoding="utf-8")
    except OSError as error:
        return fail(said, "cli.cannot_write", path=args.output, reason=os_reason(said, error))
    index, items = args.output / "index.html", len(data["items"])
    print(t("cli.publish.wrote", said, path=index, items=items, minutes=len(minutes)))
    return 0
