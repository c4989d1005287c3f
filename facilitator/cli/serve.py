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

from facilitator.cli._lifecycle import (
    DEFAULT_MINUTES,
    SessionRefused,
    add_session_arguments,
    start_loop_lag_sampler,
    tune_gc,
    with_session,
    write_minutes_on_close,
    write_ready_file,
)
from facilitator.hub import Hub
from facilitator.server import ServerSettings, start_server
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.values import Phase


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="run a session for phones without the console (headless)",
        description="Create (or resume) a session from an agenda and serve it to phones.",
    )
    add_session_arguments(parser)
    parser.add_argument(
        "--max-connections",
        type=int,
        default=ServerSettings.max_connections,
        help="phones and displays at once (default: %(default)s, or what open files allow)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        help="once listening, write {url, moderator_token, session_id, pid} there (JSON)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        max_connections=args.max_connections,
        public_url=args.public_url,
    )
    return with_session(
        args,
        lambda hub, session_id: asyncio.run(
            _serve(hub, session_id, settings, args.ready_file, args.minutes)
        ),
    )


async def _serve(
    hub: Hub,
    session_id: str,
    settings: ServerSettings,
    ready_file: Path | None = None,
    minutes: Path = DEFAULT_MINUTES,
) -> int:
    if hub.state(session_id).phase is Phase.DRAFT:
        try:
            await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        except SessionError as error:
            raise SessionRefused(error.message) from None
    try:
        server = await start_server(hub, session_id, settings)
    except OSError as error:
        where = f"{settings.host}:{settings.port}"
        raise SessionRefused(f"cannot listen on {where}: {error.strerror}") from None
    tune_gc()
    state = hub.state(session_id)
    print(f"session:         {state.title} ({session_id})")
    print(f"join URL:        {server.join_url}")
    print(f"numeric code:    {state.numeric_code}  (type it at {server.base_url}/)")
    print(f"moderator token: {server.moderator_token}")
    print(f"join sheet:      {server.base_url}/sheet?token={server.moderator_token}")
    print("                 (and the roster's personal invitation cards, from its button)")
    print("press Ctrl-C to stop", flush=True)
    sampler = start_loop_lag_sampler()

    def minutes_written(paths: tuple[Path, Path] | None, error: str) -> None:
        if paths is not None:
            print(f"minutes written: {paths[0]} and {paths[1]}", flush=True)
        else:
            print(f"facilitator: the minutes could not be written: {error}", file=sys.stderr)

    write_minutes_on_close(hub, session_id, minutes, minutes_written)
    if ready_file is not None:
        write_ready_file(ready_file, server.base_url, server.moderator_token, session_id)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("stopping…", file=sys.stderr, flush=True)
        if sampler is not None:
            sampler.cancel()
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0
