"""``facilitator sessions``: the sessions in a database — join code, numeric code, date, phase,
title and place — newest first, fitted to the terminal (80 columns when it cannot tell)."""

from __future__ import annotations

import argparse
import shutil
import unicodedata
from typing import Any

from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    fail,
    missing_database,
    say,
    store_failure,
)
from facilitator.i18n import LANGS, translator
from facilitator.store import SessionInfo, StoreError, exists, open_event_store, shown

GAP = "  "
MIN_WIDTH = 60


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "sessions",
        help="list the sessions in a database",
        description="Every session in the database, newest first: codes, date, phase, title.",
    )
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument("--lang", choices=LANGS, help="default: the locale, else zh-Hant")
    parser.set_defaults(handler=run)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` terminal columns, with "…" when something was cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        if used + width(ch) > columns - 1:
            break
        out.append(ch)
        used += width(ch)
    return "".join(out) + "…"


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(lang: str, sessions: list[SessionInfo], columns: int) -> list[str]:
    """The listing: a header and one line per session, none wider than ``columns``."""
    tr = translator(lang)
    rows = [
        (
            s.join_code or "-",
            s.numeric_code,
            (s.date or s.created_at.date()).isoformat(),
            tr(f"term.phase.{s.phase.value}"),
            f"{s.title} · {s.place}" if s.place else s.title,
        )
        for s in sessions
    ]
    header = tuple(tr(f"cli.sessions.{k}") for k in ("code", "numeric", "date", "phase", "title"))
    sizes = [max(width(row[i]) for row in [header, *rows]) for i in range(4)]
    rest = max(columns - sum(sizes) - len(GAP) * 4, 10)
    return [
        GAP.join([*(pad(row[i], sizes[i]) for i in range(4)), fit(row[4], rest)]).rstrip()
        for row in [header, *rows]
    ]


def run(args: argparse.Namespace) -> int:
    lang = cli_lang(args.lang)
    if not exists(args.db):
        return missing_database(lang, args.db)
    try:
        with open_event_store(args.db) as store:
            sessions = store.sessions()
    except StoreError as error:
        return store_failure(lang, args.db, error)
    if not sessions:
        return fail(lang, "cli.sessions.none", status=0, db=shown(args.db))
    columns = max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)
    for line in table(lang, sessions, columns):
        print(line)
    say(lang, "cli.sessions.hint", db=shown(args.db))
    return 0
