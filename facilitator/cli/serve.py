"""``facilitator serve``: run a session headless — phones, displays and a remote moderator client.

No console: the moderator drives the session through the ``/moderator`` namespace with the token
printed at start (a script, a test or a benchmark can do the same).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Any

from facilitator.agenda import AgendaError, parse_agenda
from facilitator.cli._common import DEFAULT_DB, fail
from facilitator.hub import Hub, session_command
from facilitator.server import ServerSettings, start_server
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.values import Phase
from facilitator.store import EventStore, StoreError, UnknownSession


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="run a session for phones without the console (headless)",
        description="Create (or resume) a session from an agenda and serve it to phones.",
    )
    parser.add_argument("agenda", type=Path, nargs="?", help="the Markdown agenda (AGENDA.md)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="event log (SQLite file)")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--max-connections", type=int, default=3000)
    parser.add_argument("--public-url", help="the URL phones use, when behind a proxy")
    parser.add_argument("--resume", metavar="SESSION_ID", help="continue an existing session")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.resume is None and args.agenda is None:
        return fail("give the agenda file (or --resume SESSION_ID)")
    try:
        store = EventStore.open(args.db)
    except StoreError as error:
        return fail(f"cannot open {args.db}: {error.message}")
    hub = Hub(store)
    try:
        session_id = _prepare(hub, store, args)
        settings = ServerSettings(
            host=args.host,
            port=args.port,
            max_connections=args.max_connections,
            public_url=args.public_url,
        )
        return asyncio.run(_serve(hub, session_id, settings))
    except _Refused as refused:
        return fail(str(refused))
    finally:
        hub.close()
        store.close()


class _Refused(Exception):
    pass


def _prepare(hub: Hub, store: EventStore, args: argparse.Namespace) -> str:
    if args.resume:
        try:
            hub.load(args.resume)
        except UnknownSession:
            raise _Refused(f"no session {args.resume!r} in {args.db}") from None
        return str(args.resume)
    path: Path = args.agenda
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _Refused(f"cannot read {path}: {error.strerror}") from None
    try:
        agenda = parse_agenda(text, source=str(path))
    except AgendaError as error:
        raise _Refused(str(error)) from None
    command = session_command(agenda, store)
    hub.create(command)
    return command.session_id


async def _serve(hub: Hub, session_id: str, settings: ServerSettings) -> int:
    if hub.state(session_id).phase is Phase.DRAFT:
        try:
            await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        except SessionError as error:
            raise _Refused(error.message) from None
    try:
        server = await start_server(hub, session_id, settings)
    except OSError as error:
        where = f"{settings.host}:{settings.port}"
        raise _Refused(f"cannot listen on {where}: {error.strerror}") from None
    state = hub.state(session_id)
    print(f"session:         {state.title} ({session_id})")
    print(f"join URL:        {server.join_url}")
    print(f"numeric code:    {state.numeric_code}  (type it at {server.base_url}/)")
    print(f"moderator token: {server.moderator_token}")
    print(f"join sheet:      {server.base_url}/sheet?token={server.moderator_token}")
    print("press Ctrl-C to stop", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("stopping…", file=sys.stderr, flush=True)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0
