"""``facilitator run AGENDA.md``: the phones' server and the moderator's console in one loop.

The session is created from the agenda, or resumed: with ``--resume SESSION_ID``, or — after a
crash or a closed laptop lid — simply by running the same command again, which finds the session of
that agenda that is still open in the log and carries on with every acknowledged vote in place.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from facilitator.agenda import valid_langs
from facilitator.cli._lifecycle import (
    SessionRefused,
    add_session_arguments,
    start_loop_lag_sampler,
    tune_gc,
    with_session,
    write_minutes_on_close,
)
from facilitator.hub import Hub
from facilitator.i18n import t

STOP_TIMEOUT_S = 2.0  # quitting with phones connected must not keep the moderator waiting


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "run",
        help="run a session: the console, and the server for phones",
        description="Open (or resume) a session from an agenda; serve phones; run the console.",
    )
    add_session_arguments(parser)
    parser.add_argument("--lang", choices=valid_langs(), help="console language (default: agenda)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    def console(hub: Hub, session_id: str) -> int:
        asyncio.run(_run(hub, session_id, args, args.lang or hub.state(session_id).lang))
        print(f"session {session_id} saved in {args.db}")
        print(f"to carry on: facilitator run --resume {session_id} --db {args.db}")
        return 0

    return with_session(args, console)


async def _run(hub: Hub, session_id: str, args: argparse.Namespace, lang: str) -> None:
    # Imported here: the server and the console are the heavy parts, and other commands
    # (new, minutes, report) should not pay for them.
    from facilitator.server import ServerSettings, start_server
    from facilitator.tui.app import ConsoleApp

    settings = ServerSettings(host=args.host, port=args.port, public_url=args.public_url)
    try:
        server = await start_server(hub, session_id, settings)
    except OSError as error:
        raise SessionRefused(
            f"cannot listen on {args.host}:{args.port}: {error.strerror}"
        ) from None
    # Textual owns the terminal: server logs would tear the screen, so only errors go to stderr
    # after the console is gone.
    logging.getLogger("aiohttp").setLevel(logging.ERROR)
    tune_gc()
    sampler = start_loop_lag_sampler()
    app = ConsoleApp(
        hub,
        session_id,
        server.join_url,
        lang,
        phones=lambda: server.connections,
        folder=args.minutes,
    )

    def minutes_written(paths: tuple[Path, Path] | None, error: str) -> None:
        if paths is not None:
            app.notify(t("console.minutes.written", lang, path=str(paths[0])))
        else:
            app.notify(t("console.minutes.failed", lang, error=error), severity="error")

    write_minutes_on_close(hub, session_id, args.minutes, minutes_written)
    try:
        await app.run_async()
    finally:
        if sampler is not None:
            sampler.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.stop(), timeout=STOP_TIMEOUT_S)
