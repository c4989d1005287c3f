"""``facilitator sync LAPTOP.db --to DB``: send an offline evening (its sessions' whole event
streams, the places' intake events, the ledger updates) to the district database, idempotently.

One line per session, place and the ledger, with counts; exit status 1 when anything was refused
(the rest was still sent), 2 when a database cannot be used at all (nothing was sent).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
from pathlib import Path
from typing import Any

from facilitator.cli._common import cli_lang, database, fail, say, store_failure
from facilitator.i18n import LANGS, t
from facilitator.intake.events import RequestRaised
from facilitator.store import SessionLive, StoreError, StoreErrorCode
from facilitator.store.backend import Database, beside, exists, is_postgres, shown
from facilitator.store.owner import LiveOwner
from facilitator.store.sync import (
    LedgerResult,
    PlaceResult,
    SessionResult,
    SyncResult,
    laptop_snapshot,
    opened,
    sync,
)


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "sync",
        help="send an offline evening's sessions, intake and ledger updates to the district",
        description="Upload a laptop's sessions, places' intake and ledger updates to the "
        "district database; running it again sends nothing twice.",
    )
    parser.add_argument("laptop", type=Path, metavar="LAPTOP.db", help="the laptop's database")
    parser.add_argument(
        "--to", required=True, type=database, metavar="DB",
        help="the district database: a postgresql:// URL, or a SQLite file",
    )  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="say what would be sent, send none")
    parser.add_argument("--create", action="store_true", help="create the district database")
    parser.add_argument("--lang", choices=LANGS, help="default: the locale, else zh-Hant")
    parser.set_defaults(handler=run)


def _reason(lang: str, error: StoreError) -> str:
    if isinstance(error, SessionLive):
        owner = error.owner
        where = f"{owner.pid}@{owner.hostname}" if owner else "?"
        return t("cli.sync.reason.live", lang, owner=where)
    if error.code is StoreErrorCode.DUPLICATE_SESSION:
        field = str(error.params.get("field", "")).replace(" ", "_")
        return t("cli.sync.reason.duplicate", lang, field=t(f"cli.sync.field.{field}", lang))
    if error.code is StoreErrorCode.CONCURRENCY_CONFLICT:
        return t("cli.sync.reason.moved", lang)
    return error.message


def _event(name: str, at: dt.datetime | None) -> str:
    return f"{name} {at:%Y-%m-%d %H:%M}" if at is not None else name or "—"


def _session_line(lang: str, result: SessionResult, dry: bool) -> str:
    info, plan = result.info, result.plan
    name = t("cli.sync.session", lang, title=info.title, date=info.date or "—", id=info.session_id)
    if plan.divergence is not None:
        d = plan.divergence
        return t(
            "cli.sync.session_diverged",
            lang,
            session=name,
            seq=d.seq,
            seq_before=d.seq - 1,
            laptop=_event(d.laptop, d.laptop_at),
            district=_event(d.district, d.district_at),
            laptop_count=d.laptop_count,
            district_count=d.district_count,
        )
    if result.error is not None:
        return t("cli.sync.refused", lang, what=name, reason=_reason(lang, result.error))
    if not plan.send:
        return t("cli.sync.nothing", lang, what=name, present=plan.present)
    key = "cli.sync.session_new" if plan.present == 0 else "cli.sync.session_extended"
    return t(key + ("_dry" if dry else ""), lang, session=name, sent=len(plan.send),
             present=plan.present)  # fmt: skip


def _place_line(lang: str, result: PlaceResult, dry: bool) -> str:
    plan = result.plan
    name = t("cli.sync.place", lang, name=plan.name, id=plan.place_id)
    if plan.conflict is not None:
        c = plan.conflict
        reason = t(f"cli.sync.conflict.{c.kind}", lang, number=c.number, item=c.item,
                   laptop=c.laptop, district=c.district)  # fmt: skip
        return t("cli.sync.refused", lang, what=name, reason=reason)
    if result.error is not None:
        return t("cli.sync.refused", lang, what=name, reason=_reason(lang, result.error))
    if not plan.send:
        return t("cli.sync.nothing", lang, what=name, present=plan.present)
    key = "cli.sync.place_sent" + ("_dry" if dry else "")
    return t(key, lang, place=name, sent=len(plan.send), present=plan.present)


def _ledger_line(lang: str, result: LedgerResult, dry: bool) -> str:
    name = t("cli.sync.ledger", lang)
    if result.error is not None:
        return t("cli.sync.refused", lang, what=name, reason=_reason(lang, result.error))
    if not result.send:
        return t("cli.sync.nothing", lang, what=name, present=result.present)
    key = "cli.sync.ledger_sent" + ("_dry" if dry else "")
    return t(key, lang, sent=len(result.send), present=result.present)


def _copy_photos(laptop: Path, district: Database, result: SyncResult) -> None:
    """Residents' photos are files beside the database (``<db>.photos``; for PostgreSQL in the
    folder the server on this machine uses): those of the requests sent go along."""
    source, target = beside(laptop, ".photos"), beside(district, ".photos")
    for place in result.places:
        for stored in place.plan.send if place.error is None else ():
            photo = stored.event.photo if isinstance(stored.event, RequestRaised) else ""
            if photo and (source / photo).is_file() and not (target / photo).exists():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / photo, target / photo)


def run(args: argparse.Namespace) -> int:
    says = cli_lang(args.lang)
    laptop: Path = args.laptop
    district: Database = args.to
    if not laptop.is_file():
        return fail(says, "cli.sync.no_laptop", db=laptop)
    if not exists(district) and not (args.create or args.dry_run):
        return fail(says, "cli.sync.no_district", db=shown(district))
    if not is_postgres(district) and Path(district).resolve() == laptop.resolve():
        return fail(says, "cli.sync.same", db=laptop)
    owner = LiveOwner(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone())
    try:
        with laptop_snapshot(laptop) as copy, opened(copy) as mine:
            # a dry run against a database still to be created compares with an empty one
            target = district
            if args.dry_run and not exists(district):
                target = copy.with_name("new.db")
            try:
                with opened(target) as theirs:
                    result = sync(mine, theirs, owner, dry_run=args.dry_run)
            except StoreError as error:
                return store_failure(says, district, error)
    except StoreError as error:
        return store_failure(says, laptop, error)
    for line in (
        *(_session_line(says, s, args.dry_run) for s in result.sessions),
        *(_place_line(says, p, args.dry_run) for p in result.places),
        _ledger_line(says, result.ledger, args.dry_run),
    ):
        print(line, flush=True)
    if args.dry_run:
        say(says, "cli.sync.dry_run")
    else:
        _copy_photos(laptop, district, result)
    if result.refused:
        say(says, "cli.sync.some_refused")
        return 1
    return 0
