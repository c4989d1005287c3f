"""``facilitator run AGENDA.md``: the phones' server and the moderator's console in one loop.

The session is created from the agenda, or resumed: with ``--resume SESSION``, or — after a crash
or a closed laptop lid — simply by running the same command again, which finds the session of that
agenda that is still open in the log and carries on with every acknowledged vote in place. On quit
the terminal says where the minutes are, or, for a session not yet closed, the exact command that
carries on.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.cli._common import DEFAULT_DB, cli_lang, command_line, program
from facilitator.cli._lifecycle import (
    DEFAULT_HOST,
    DEFAULT_MINUTES,
    DEFAULT_PORT,
    Live,
    add_session_arguments,
    listen_refused,
    with_session,
    write_minutes_on_close,
)
from facilitator.cli._process import start_loop_lag_sampler, tune_gc
from facilitator.cli.minutes import minutes_stem
from facilitator.hub import Hub
from facilitator.i18n import t
from facilitator.session.values import Phase
from facilitator.store import shown

STOP_TIMEOUT_S = 2.0  # quitting with phones connected must not keep the moderator waiting
MINUTES_TIMEOUT_S = 30.0


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "run",
        help="run a session: the console, and the server for phones",
        description="Open (or resume) a session from an agenda; serve phones; run the console.",
    )
    add_session_arguments(parser)
    parser.set_defaults(handler=run)


@dataclass
class Outcome:
    """What the console left behind: the minutes written, or why they were not."""

    minutes: tuple[Path, Path] | None = None
    errors: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    lang = cli_lang(args.lang)

    def console(hub: Hub, session_id: str, live: Live) -> int:
        outcome = Outcome()
        console_lang = args.lang or hub.state(session_id).lang
        asyncio.run(_run(hub, session_id, args, lang=console_lang, live=live, outcome=outcome))
        for line in farewell(hub, session_id, args, outcome, lang):
            print(line, flush=True)
        return 0

    return with_session(args, console)


def carry_on_command(args: argparse.Namespace, session_id: str) -> str:
    """The command that was run, as typed (defaults left out), shell-quoted: running it again
    carries on. ``--resume`` names the session when the command named it."""
    words: list[object] = [*program(), "run"]
    words += [args.agenda] if args.resume is None else ["--resume", session_id]
    for flag, value, default in (
        ("--db", shown(args.db), shown(DEFAULT_DB)),  # a password is never printed
        ("--host", args.host, DEFAULT_HOST),
        ("--port", args.port, DEFAULT_PORT),
        ("--public-url", args.public_url, None),
        ("--minutes", args.minutes, DEFAULT_MINUTES),
        ("--lang", args.lang, None),
    ):
        if value != default:
            words += [flag, value]
    return command_line(words)


def farewell(
    hub: Hub, session_id: str, args: argparse.Namespace, outcome: Outcome, lang: str
) -> list[str]:
    """What the terminal says after the console: where the session is kept, and either where its
    minutes are (a closed session) or the exact command that carries on (an unfinished one)."""
    state = hub.state(session_id)
    name = t("cli.session_name", lang, title=state.title, code=state.numeric_code)
    lines = [t("cli.run.saved", lang, session=name, db=shown(args.db))]
    if state.phase is not Phase.CLOSED:
        return [*lines, t("cli.run.carry_on", lang, command=carry_on_command(args, session_id))]
    paths = outcome.minutes
    if paths is None:
        stem = args.minutes / minutes_stem(hub.store, session_id)
        found = (stem.with_suffix(".md"), stem.with_suffix(".html"))
        paths = found if all(p.exists() for p in found) else None
    if paths is not None:
        return [*lines, t("cli.run.minutes", lang, md=paths[0], html=paths[1])]
    again = command_line(
        [*program(), "minutes", state.numeric_code, "--db", shown(args.db), "-o", "minutes.md"]
    )
    error = "; ".join(outcome.errors) or "?"
    return [*lines, t("cli.run.no_minutes", lang, error=error, command=again)]


async def _run(
    hub: Hub, session_id: str, args: argparse.Namespace, *, lang: str, live: Live, outcome: Outcome
) -> None:
    # Imported here: the server and the console are the heavy parts, and other commands
    # (new, minutes, report) should not pay for them.
    from facilitator.server import ServerSettings, start_server
    from facilitator.tui.app import ConsoleApp

    settings = ServerSettings(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        fast_fanout=not args.stock_fanout,
    )
    try:
        server = await start_server(hub, session_id, settings)
    except OSError as error:
        raise listen_refused(args.host, args.port, error) from None
    live.serving(args.host, int(server.runner.addresses[0][1]), server.base_url)
    # Textual owns the terminal: server logs would tear the screen, so only errors go to stderr
    # after the console is gone.
    logging.getLogger("aiohttp").setLevel(logging.ERROR)
    tune_gc(server)
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
            outcome.minutes = paths
            app.notify(t("console.minutes.written", lang, path=str(paths[0])))
        else:
            outcome.errors.append(error)
            app.notify(t("console.minutes.failed", lang, error=error), severity="error")

    writing: set[asyncio.Task[None]] = set()
    write_minutes_on_close(hub, session_id, args.minutes, minutes_written, writing)
    try:
        await app.run_async()
    finally:
        if sampler is not None:
            sampler.cancel()
        if writing:  # quit right after the end: the minutes are still being written
            await asyncio.wait(writing, timeout=MINUTES_TIMEOUT_S)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.stop(), timeout=STOP_TIMEOUT_S)
