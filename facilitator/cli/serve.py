"""``facilitator serve``: run a session headless — phones, displays and a remote moderator client.

No console: the moderator drives the session through the ``/moderator`` namespace with the token
printed at start (a script, a test or a benchmark can do the same).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator.cli._common import cli_lang, fail
from facilitator.cli._lifecycle import (
    DEFAULT_MINUTES,
    Live,
    SessionRefused,
    add_session_arguments,
    listen_refused,
    with_session,
    write_minutes_on_close,
)
from facilitator.cli._process import start_loop_lag_sampler, tune_gc, write_ready_file
from facilitator.cli.sessions import pad, width
from facilitator.hub import Hub
from facilitator.i18n import t
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.values import Phase

if TYPE_CHECKING:
    from facilitator.server import RunningServer, ServerSettings


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
        help="phones and displays at once (default: 10000, or what open files allow)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        help="once listening, write {url, moderator_token, session_id, pid} there (JSON)",
    )
    parser.add_argument(
        "--session",
        metavar="CODE",
        action="append",
        default=[],
        help="serve this session of the database (id, join code or numeric code); repeat it to "
        "serve several in one process, each with its own socket (docs/scale.md)",
    )
    parser.add_argument(
        "--district",
        action="store_true",
        help="own no session: serve every place's pages and send phones to the process serving "
        "their session (docs/scale.md)",
    )
    parser.add_argument(
        "--takeover",
        action="store_true",
        help="when another process serves the session, stand by and take it over the moment "
        "that process ends (docs/scale.md)",
    )
    parser.add_argument(
        "--fallback-url",
        metavar="URL",
        default="",
        help="where phones look for the session if this process stops answering: the reverse "
        "proxy, or another process on the same database (docs/scale.md)",
    )
    parser.add_argument(
        "--place",
        metavar="PLACE_ID",
        help="without an agenda: serve this place's intake and public pages, no live session",
    )
    parser.set_defaults(handler=run)


def banner(
    lang: str, title: str, session_id: str, numeric: str, server: RunningServer
) -> list[str]:
    """How to reach the session, one labelled line each, labels padded to one column."""
    token = server.moderator_token
    rows = [
        ("cli.serve.session", f"{title} ({session_id})"),
        ("cli.serve.join_url", server.join_url),
        (
            "cli.serve.numeric",
            f"{numeric}  {t('cli.serve.numeric_hint', lang, url=server.base_url + '/')}",
        ),
        ("cli.serve.token", token),
        ("cli.serve.sheet", f"{server.base_url}/sheet?token={token}"),
        ("", t("cli.serve.cards", lang)),
    ]
    labels = [t(key, lang) if key else "" for key, _ in rows]
    size = max(width(label) for label in labels) + 1
    return [f"{pad(label, size)}{value}" for label, (_, value) in zip(labels, rows, strict=True)]


def run(args: argparse.Namespace) -> int:
    if args.place and args.agenda is None and args.resume is None:
        from facilitator.cli.serve_place import serve_place

        return serve_place(args)
    # Imported here: the server is heavy, and every other command (which builds this command's
    # parser) should not pay for it.
    from facilitator.server import ServerSettings

    cap = {} if args.max_connections is None else {"max_connections": args.max_connections}
    lang = cli_lang(args.lang)

    settings = ServerSettings(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        fast_fanout=not args.stock_fanout,
        fallback_url=args.fallback_url,
        **cap,
    )

    def listening() -> ServerSettings:  # a standby takes the port it listened on while waiting
        return dataclasses.replace(settings, port=args.port)

    if args.district and not args.session:
        if args.agenda is not None or args.resume is not None:
            return fail(lang, "cli.serve.several")
        from facilitator.cli.serve_district import serve_district

        return serve_district(args)
    if args.session:
        if args.agenda is not None or args.resume is not None:
            return fail(lang, "cli.serve.several")
        from facilitator.cli.serve_sessions import serve_sessions

        return serve_sessions(args, settings)
    return with_session(
        args,
        lambda hub, session_id, live: asyncio.run(
            _serve(
                hub,
                session_id,
                listening(),
                live=live,
                lang=lang,
                ready_file=args.ready_file,
                minutes=args.minutes,
            )
        ),
    )


async def _serve(
    hub: Hub,
    session_id: str,
    settings: ServerSettings,
    *,
    live: Live,
    lang: str,
    ready_file: Path | None = None,
    minutes: Path = DEFAULT_MINUTES,
) -> int:
    from facilitator.server import start_server

    try:
        server = await start_server(hub, session_id, settings)
    except OSError as error:
        raise listen_refused(settings.host, settings.port, error) from None
    if hub.state(session_id).phase is Phase.DRAFT:  # once listening: a refused port opens nothing
        try:
            await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        except SessionError as error:
            await server.stop()
            raise SessionRefused("cli.cannot_open_session", reason=error.message) from None
    live.serving(settings.host, int(server.runner.addresses[0][1]), server.base_url)
    tune_gc(server)
    state = hub.state(session_id)
    for line in banner(lang, state.title, session_id, state.numeric_code, server):
        print(line)
    print(t("cli.serve.stop", lang), flush=True)
    sampler = start_loop_lag_sampler()

    def minutes_written(paths: tuple[Path, Path] | None, error: str) -> None:
        if paths is not None:
            print(t("cli.run.minutes", lang, md=paths[0], html=paths[1]), flush=True)
        else:
            print(f"facilitator: {t('cli.minutes_failed', lang, error=error)}", file=sys.stderr)

    write_minutes_on_close(hub, session_id, minutes, minutes_written)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    if ready_file is not None:  # after the handlers: a script may stop us as soon as it reads it
        write_ready_file(ready_file, server.base_url, server.moderator_token, session_id)
    try:
        await stop.wait()
    finally:
        print(t("cli.serve.stopping", lang), file=sys.stderr, flush=True)
        if sampler is not None:
            sampler.cancel()
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0
