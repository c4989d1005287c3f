"""``facilitator demo``: a sample 廣場夜話 with simulated phones, run from the console.

Everything is real except the residents: the server listens on 127.0.0.1, the phones are
socket.io clients that join, raise and support issues, queue to speak, vote and rate, and the
moderator — you — drives the session from the console. ``--headless`` runs it without a console,
with a moderator on autopilot (for a quick look, and for the test that keeps the demo working).

What the demo makes is kept, as the console's quit dialog promises: the database and the minutes
go to a dated folder (``./facilitator-demo/<date>-<time>/``, or ``--folder``), and on exit the
terminal names it with the commands that read the minutes again or carry on.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import socket
from pathlib import Path
from typing import Any

from facilitator.agenda import SessionKind, agenda_template, parse_agenda, valid_langs
from facilitator.cli._common import (
    DB_HELP,
    cli_lang,
    command_line,
    database,
    fail_with,
    program,
    say,
    store_failure,
)
from facilitator.cli._lifecycle import check_port, write_minutes_on_close
from facilitator.cli._refusals import SessionRefused, live_elsewhere
from facilitator.demo.autopilot import Autopilot
from facilitator.demo.intake import seed_place
from facilitator.demo.residents import RESIDENTS
from facilitator.hub import Hub
from facilitator.i18n import t
from facilitator.place_hub import PlaceHub
from facilitator.services import new_session_command, take_scheduled
from facilitator.session.values import Phase
from facilitator.store import (
    Database,
    LiveClaim,
    LiveOwner,
    SessionLive,
    StoreError,
    open_event_store,
    shown,
)

PLACE = "和平里社區廣場"
DEMO_ROOT = Path("facilitator-demo")


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="a sample session with simulated phones",
        description="Run a sample 廣場夜話 with simulated phones over real socket.io.",
    )
    parser.add_argument(
        "--lang", choices=valid_langs(), help="language of the demo (default: zh-Hant)"
    )
    parser.add_argument(
        "--phones", type=int, default=len(RESIDENTS), help=f"1-{len(RESIDENTS)} simulated phones"
    )
    parser.add_argument("--port", type=int, default=0, help="port for phones (default: any free)")
    parser.add_argument(
        "--folder",
        type=Path,
        help="keep the database and minutes here (default: ./facilitator-demo/<date>-<time>/)",
    )
    parser.add_argument("--db", type=database, help=DB_HELP + " (default: demo.db in the folder)")
    parser.add_argument("--headless", action="store_true", help="no console: autopilot moderator")
    parser.add_argument(
        "--pace", type=float, default=1.0, help="slower (>1) or faster (<1) phones and autopilot"
    )
    parser.set_defaults(handler=run)


def demo_folder(root: Path, now: dt.datetime) -> Path:
    """A new dated folder under ``root`` (a second demo in the same second gets ``-2``)."""
    stem = f"{now:%Y%m%d-%H%M%S}"
    folder, n = root / stem, 1
    while folder.exists():
        n += 1
        folder = root / f"{stem}-{n}"
    return folder


def run(args: argparse.Namespace) -> int:
    lang = cli_lang(args.lang)
    args.lang = args.lang or "zh-Hant"
    if not 1 <= args.phones <= len(RESIDENTS):
        args.phones = max(1, min(args.phones, len(RESIDENTS)))
    try:
        check_port("127.0.0.1", args.port)
    except SessionRefused as refused:
        return fail_with(refused.render(lang))
    folder = args.folder or demo_folder(DEMO_ROOT, dt.datetime.now())
    db = args.db or folder / "demo.db"
    minutes = folder / "minutes"
    try:
        store = open_event_store(db)
    except StoreError as error:
        return store_failure(lang, db, error)
    hub = Hub(store)
    try:
        today = dt.date.today()
        text = agenda_template(SessionKind.SQUARE_TALK, args.lang, date=today, place=PLACE)
        agenda = dataclasses.replace(parse_agenda(text), moderator="小李", recorder="王姐")
        with PlaceHub.open(db) as places:  # a week of requests waits for tonight
            seed_place(places, dt.datetime.now().astimezone())
        command = new_session_command(store, agenda, today)
        session_id = command.session_id
        owner = LiveOwner(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone())
        written: list[Path] = []
        status = 0
        with store.claim_live(session_id, owner) as claim:  # claimed before its first event
            hub.create(command)
            take_scheduled(store, command)
            try:
                asyncio.run(
                    _demo(hub, session_id, args, minutes=minutes, claim=claim, written=written)
                )
            except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C: stopped, still kept
                status = 130
    except SessionLive as busy:  # only a --resume elsewhere can hold a session this young
        return fail_with(live_elsewhere(lang, store, busy))
    finally:
        hub.close()
        store.close()
    kept(
        lang, folder=folder, db=db, minutes=minutes, hub=hub, session_id=session_id, written=written
    )
    return status


def kept(
    lang: str,
    *,
    folder: Path,
    db: Database,
    minutes: Path,
    hub: Hub,
    session_id: str,
    written: list[Path],
) -> None:
    """Say where the demo is kept and how to look at it again."""
    state = hub.state(session_id)
    say(lang, "cli.demo.kept", folder=folder)
    for path in written:
        say(lang, "cli.demo.minutes", path=path)
    again = [*program(), "minutes", state.numeric_code, "--db", shown(db)]
    if state.phase is Phase.CLOSED:
        say(lang, "cli.demo.read_again", command=command_line(again))
        return
    say(lang, "cli.demo.so_far", command=command_line(again))
    resume = [*program(), "run", "--resume", session_id, "--db", shown(db), "--minutes", minutes]
    say(lang, "cli.demo.carry_on", command=command_line(resume))


async def _demo(
    hub: Hub,
    session_id: str,
    args: argparse.Namespace,
    *,
    minutes: Path,
    claim: LiveClaim,
    written: list[Path],
) -> None:
    # Imported here: socket.io's client and the server are heavy, and every other command
    # (which builds this command's parser) should not pay for them.
    from facilitator.demo.phones import run_phones
    from facilitator.server import ServerSettings, start_server

    logging.getLogger("aiohttp").setLevel(logging.ERROR)
    settings = ServerSettings(host="127.0.0.1", port=args.port)
    server = await start_server(hub, session_id, settings)
    port = int(server.runner.addresses[0][1])
    claim.announce(claim.owner.serving("127.0.0.1", port, server.base_url))
    phones = asyncio.create_task(
        run_phones(server.base_url, RESIDENTS[: args.phones], pace=args.pace)
    )
    writing: set[asyncio.Task[None]] = set()
    write_minutes_on_close(
        hub, session_id, minutes, lambda paths, _: written.extend(paths or ()), writing
    )
    try:
        if args.headless:
            print(t("cli.demo.phones", args.lang, url=server.join_url), flush=True)
            await Autopilot(hub, session_id, step_s=args.pace).run()
            if writing:
                await asyncio.wait(writing, timeout=30)
            for path in written:
                if path.suffix == ".md":
                    print(path.read_text(encoding="utf-8"))
        else:
            from facilitator.tui.app import ConsoleApp

            app = ConsoleApp(
                hub,
                session_id,
                server.join_url,
                args.lang,
                phones=lambda: server.connections,
                folder=minutes,
            )
            await app.run_async()
            if writing:
                await asyncio.wait(writing, timeout=30)
    finally:
        phones.cancel()
        # A Ctrl-C can land inside the simulated phones (python-socketio chains its own SIGINT
        # handler when a client is made): they are stopping anyway, so it is no error here.
        with contextlib.suppress(asyncio.CancelledError, TimeoutError, KeyboardInterrupt):
            await asyncio.wait_for(phones, timeout=2.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.stop(), timeout=2.0)
