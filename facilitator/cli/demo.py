"""``facilitator demo``: a sample 廣場夜話 with simulated phones, run from the console.

Everything is real except the residents: the server listens on 127.0.0.1, the phones are
socket.io clients that join, raise and support issues, queue to speak, vote and rate, and the
moderator — you — drives the session from the console. ``--headless`` runs it without a console,
with a moderator on autopilot (for a quick look, and for the test that keeps the demo working).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any

from facilitator.agenda import SessionKind, agenda_template, parse_agenda, valid_langs
from facilitator.cli._lifecycle import create_session, write_minutes_on_close
from facilitator.demo.autopilot import Autopilot
from facilitator.demo.phones import run_phones
from facilitator.demo.residents import RESIDENTS
from facilitator.hub import Hub
from facilitator.store import EventStore

PLACE = "和平里社區廣場"


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="a sample session with simulated phones",
        description="Run a sample 廣場夜話 with simulated phones over real socket.io.",
    )
    parser.add_argument("--lang", choices=valid_langs(), default="zh-Hant")
    parser.add_argument(
        "--phones", type=int, default=len(RESIDENTS), help=f"1-{len(RESIDENTS)} simulated phones"
    )
    parser.add_argument("--port", type=int, default=0, help="port for phones (default: any free)")
    parser.add_argument("--db", type=Path, help="keep the event log here (default: a temp file)")
    parser.add_argument("--headless", action="store_true", help="no console: autopilot moderator")
    parser.add_argument(
        "--pace", type=float, default=1.0, help="slower (>1) or faster (<1) phones and autopilot"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.phones <= len(RESIDENTS):
        args.phones = max(1, min(args.phones, len(RESIDENTS)))
    with tempfile.TemporaryDirectory(prefix="facilitator-demo-") as tmp:
        folder = Path(tmp)
        db = args.db or folder / "demo.db"
        store = EventStore.open(db)
        hub = Hub(store)
        try:
            today = dt.date.today()
            text = agenda_template(SessionKind.SQUARE_TALK, args.lang, date=today, place=PLACE)
            agenda = dataclasses.replace(parse_agenda(text), moderator="小李", recorder="王姐")
            session_id = create_session(hub, store, agenda, today)
            asyncio.run(_demo(hub, session_id, args, folder / "minutes"))
        finally:
            hub.close()
            store.close()
    return 0


async def _demo(hub: Hub, session_id: str, args: argparse.Namespace, minutes: Path) -> None:
    from facilitator.server import ServerSettings, start_server

    logging.getLogger("aiohttp").setLevel(logging.ERROR)
    settings = ServerSettings(host="127.0.0.1", port=args.port)
    server = await start_server(hub, session_id, settings)
    phones = asyncio.create_task(
        run_phones(server.base_url, RESIDENTS[: args.phones], pace=args.pace)
    )
    written: list[Path] = []
    write_minutes_on_close(hub, session_id, minutes, lambda paths, _: written.extend(paths or ()))
    try:
        if args.headless:
            print(f"phones join at {server.join_url}")
            await Autopilot(hub, session_id, step_s=args.pace).run()
            await asyncio.sleep(0.5)  # the minutes are written as the session closes
            for path in written:
                if path.suffix == ".md":
                    print(path.read_text(encoding="utf-8"))
        else:
            from facilitator.tui.app import ConsoleApp

            app = ConsoleApp(
                hub, session_id, server.join_url, args.lang, phones=lambda: server.connections
            )
            await app.run_async()
    finally:
        phones.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(phones, timeout=2.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.stop(), timeout=2.0)
