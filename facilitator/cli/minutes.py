"""``facilitator minutes SESSION``: a session's minutes, and :func:`write_session_minutes`, which
the console and ``facilitator serve`` call when a session closes."""

from __future__ import annotations

import argparse
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
from facilitator.i18n import LANGS
from facilitator.minutes import minutes_html, render_minutes, slugify
from facilitator.session.events import Event
from facilitator.store import (
    EventLog,
    StoreError,
    UnknownSession,
    exists,
    open_event_store,
    shown,
)


def resolve_session(store: EventLog, code: str) -> str:
    """The session id for ``code``: an id, a join code or a numeric code — a closed session's
    too (numeric codes are reused once a session closes: the newest session with it wins).
    Raises :class:`UnknownSession` when nothing matches."""
    code = code.strip()
    try:
        return store.get_session(code).session_id
    except UnknownSession:
        found = store.find_session(code)
        if found is not None:
            return found.session_id
        numbered = [info for info in store.sessions() if info.numeric_code == code]
        if not numbered:
            raise
        return numbered[0].session_id  # sessions() is newest first


def session_events(store: EventLog, session_id: str) -> list[Event]:
    """The session's whole log, in order."""
    return [stored.event for stored in store.load(session_id)]


def minutes_stem(store: EventLog, session_id: str) -> str:
    """``<date>-<slug>``: the session's date and a file-name-safe slug of its title."""
    info = store.get_session(session_id)
    day = info.date or info.created_at.date()
    return f"{day.isoformat()}-{slugify(info.title)}"


def write_session_minutes(
    store: EventLog, session_id: str, folder: Path, lang: str | None = None
) -> tuple[Path, Path]:
    """Write ``<folder>/<date>-<slug>.md`` and ``.html`` for the session (in its own language
    unless ``lang`` is given), creating the folder; returns both paths. Rewriting is harmless:
    the same log gives the same files."""
    events = session_events(store, session_id)
    first = events[0] if events else None
    language = lang or getattr(first, "lang", None) or LANGS[0]
    folder.mkdir(parents=True, exist_ok=True)
    stem = minutes_stem(store, session_id)
    md_path, html_path = folder / f"{stem}.md", folder / f"{stem}.html"
    md_path.write_text(render_minutes(events, language), encoding="utf-8")
    html_path.write_text(minutes_html(events, language), encoding="utf-8")
    return md_path, html_path


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "minutes",
        help="print or write a session's minutes",
        description="The minutes of a session, as Markdown or as a standalone HTML page.",
    )
    parser.add_argument("session", metavar="SESSION", help="session id, join code or numeric code")
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument("--format", choices=("md", "html"), default="md")
    parser.add_argument(
        "--lang", choices=LANGS, help="default: the session's language (messages: the locale)"
    )
    parser.add_argument("--large-print", action="store_true", help="HTML for large print")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    says = cli_lang(args.lang)
    if not exists(args.db):
        return missing_database(says, args.db)
    try:
        with open_event_store(args.db) as store:
            session_id = resolve_session(store, args.session)
            events = session_events(store, session_id)
    except UnknownSession:
        return fail(says, "cli.unknown_session", code=args.session, db=shown(args.db))
    except StoreError as error:
        return store_failure(says, args.db, error)
    lang = args.lang or getattr(events[0], "lang", LANGS[0])
    if args.format == "html":
        text = minutes_html(events, lang, large_print=args.large_print)
    else:
        text = render_minutes(events, lang)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    return write_output(says, args.output, text.encode("utf-8"))
