"""``facilitator serve --session CODE --session CODE …``: several live sessions in one process.

Each session is claimed as ``serve`` claims one (refused at once, naming its owner, when another
process serves it; waited for with ``--takeover``), loaded, and served under its own prefix with
its own socket (server/app.py); every place of the database has its intake and public pages here,
and ``/j/CODE`` of any other session leads to its owner (docs/scale.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.cli._common import cli_lang, fail_with, missing_database, store_failure
from facilitator.cli._lifecycle import (
    Live,
    SessionRefused,
    check_port,
    listen_refused,
    write_minutes_on_close,
)
from facilitator.cli._process import tune_gc, write_ready_file
from facilitator.cli._refusals import exit_status
from facilitator.cli.minutes import resolve_session
from facilitator.cli.sessions import pad, width
from facilitator.hub import Hub
from facilitator.i18n import t
from facilitator.session import SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.values import Phase
from facilitator.store import (
    EventLog,
    LiveOwner,
    SessionLive,
    StoreError,
    UnknownSession,
    exists,
    open_event_store,
    shown,
)

if TYPE_CHECKING:
    from facilitator.server import RunningServer, ServerSettings


def serve_sessions(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Serve every session named by ``--session`` until Ctrl-C / SIGTERM."""
    lang = cli_lang(args.lang)
    if not exists(args.db):
        return missing_database(lang, args.db)
    try:
        check_port(args.host, args.port)
    except SessionRefused as refused:
        return fail_with(refused.render(lang))
    try:
        store = open_event_store(args.db)
    except StoreError as error:
        return store_failure(lang, args.db, error)
    hub = Hub(store)

    def serve() -> int:
        with contextlib.ExitStack() as stack:
            ids = []
            for code in args.session:
                try:
                    found = resolve_session(store, code)
                except UnknownSession:
                    raise SessionRefused(
                        "cli.unknown_session", code=code, db=shown(args.db)
                    ) from None
                if found not in ids:
                    ids.append(found)
            lives = _claim(stack, store, ids, args, lang)
            for session_id in ids:
                hub.load(session_id)
            return asyncio.run(_serve(hub, ids, settings, lives, lang=lang, args=args))

    try:
        return exit_status(lang, store, args.db, serve)
    finally:
        hub.close()
        store.close()


def _claim(
    stack: contextlib.ExitStack,
    store: EventLog,
    ids: list[str],
    args: argparse.Namespace,
    lang: str,
) -> list[Live]:
    """Claim every session before any is read or written: all, or none and a refusal."""
    owner = LiveOwner(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone())
    lives: dict[str, Live] = {}
    busy: list[SessionLive] = []
    for session_id in ids:
        try:
            lives[session_id] = Live(stack.enter_context(store.claim_live(session_id, owner)))
        except SessionLive as live_elsewhere:
            if not args.takeover:
                raise
            busy.append(live_elsewhere)
    if busy:
        from facilitator.cli._standby import stand_by

        held, args.port = stand_by(
            store,
            busy,
            owner,
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            lang=lang,
        )
        for one, (waited, claim) in zip(busy, held, strict=True):
            stack.push(waited)
            lives[one.session_id] = Live(claim)
    return [lives[session_id] for session_id in ids]


async def _serve(
    hub: Hub,
    ids: list[str],
    settings: ServerSettings,
    lives: list[Live],
    *,
    lang: str,
    args: argparse.Namespace,
) -> int:
    from facilitator.server import start_server

    settings = dataclasses.replace(settings, port=args.port)  # a standby's, once it took over
    try:
        server = await start_server(hub, ids, settings)
    except OSError as error:
        raise listen_refused(settings.host, settings.port, error) from None
    for session_id in ids:
        if hub.state(session_id).phase is Phase.DRAFT:
            try:
                await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
            except SessionError as error:
                await server.stop()
                raise SessionRefused("cli.cannot_open_session", reason=error.message) from None
    port = int(server.runner.addresses[0][1])
    for live in lives:
        live.serving(settings.host, port, server.base_url)
    tune_gc(server)
    for line in banner(lang, hub, server):
        print(line)
    print(t("cli.serve.stop", lang), flush=True)

    def minutes_written(paths: tuple[Path, Path] | None, error: str) -> None:
        if paths is not None:
            print(t("cli.run.minutes", lang, md=paths[0], html=paths[1]), flush=True)
        else:
            print(f"facilitator: {t('cli.minutes_failed', lang, error=error)}", file=sys.stderr)

    for session_id in ids:
        write_minutes_on_close(hub, session_id, args.minutes, minutes_written)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    if args.ready_file is not None:
        sessions = [
            {
                "session_id": mount.ctx.session_id,
                "join_code": hub.state(mount.ctx.session_id).join_code,
                "moderator_token": mount.ctx.moderator_token,
                "prefix": mount.prefix,
            }
            for mount in server.sessions
        ]
        first = sessions[0]
        write_ready_file(
            args.ready_file,
            server.base_url,
            first["moderator_token"],
            first["session_id"],
            sessions,
        )
    try:
        await stop.wait()
    finally:
        print(t("cli.serve.stopping", lang), file=sys.stderr, flush=True)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0


def banner(lang: str, hub: Hub, server: RunningServer) -> list[str]:
    """Each session: its name, join URL, numeric code, moderator token, sheet and projector."""
    lines: list[str] = []
    base = server.base_url
    for mount in server.sessions:
        state = hub.state(mount.ctx.session_id)
        token = mount.ctx.moderator_token
        rows = [
            ("cli.serve.session", f"{state.title} ({state.session_id})"),
            ("cli.serve.join_url", f"{base}/j/{state.join_code}"),
            (
                "cli.serve.numeric",
                f"{state.numeric_code}  {t('cli.serve.numeric_hint', lang, url=base + '/')}",
            ),
            ("cli.serve.token", token),
            ("cli.serve.sheet", f"{base}{mount.prefix}/sheet?token={token}"),
            ("cli.serve.display", f"{base}{mount.prefix}/display"),
        ]
        labels = [t(key, lang) for key, _ in rows]
        size = max(width(label) for label in labels) + 1
        lines += [
            f"{pad(label, size)}{value}" for label, (_, value) in zip(labels, rows, strict=True)
        ]
        lines.append("")
    return lines
