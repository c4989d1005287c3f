"""``facilitator serve --place P`` with no agenda: the standing server of a place between evenings —
its buildings' intake pages, its public page and the staff API — with no live session."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from facilitator.cli._common import cli_lang, fail_with, store_failure
from facilitator.cli._intake import open_hub, place_or_fail
from facilitator.cli._lifecycle import listen_refused
from facilitator.cli._process import write_ready_file
from facilitator.cli.sessions import pad, width
from facilitator.i18n import t
from facilitator.intake import PlaceState
from facilitator.server.intake_api import IntakeContext
from facilitator.server.intake_sheet import building_url
from facilitator.server.place_app import intake_context, photos_folder, start_place_server
from facilitator.store import StoreError, open_event_store


def serve_place(args: argparse.Namespace) -> int:
    """Serve the place ``args.place`` until Ctrl-C / SIGTERM."""
    with open_hub(args.db) as hub:
        if hub is None:
            return 2
        place = place_or_fail(hub, args.place)
        if place is None:
            return 2
        try:
            store = open_event_store(args.db)
        except StoreError as error:
            return store_failure(cli_lang(), args.db, error)
        try:
            ctx = intake_context(hub, store, photos_folder(args.db))
            return asyncio.run(_serve(ctx, args))
        except OSError as error:
            return fail_with(listen_refused(args.host, args.port, error).render(place.lang))
        finally:
            store.close()


async def _serve(ctx: IntakeContext, args: argparse.Namespace) -> int:
    server = await start_place_server(ctx, args.host, args.port)
    base = (args.public_url or server.base_url).rstrip("/")
    place = ctx.hub.state(args.place)
    lang = place.lang
    for line in banner(place, base, server.staff_token):
        print(line)
    print(t("cli.serve.stop", lang), flush=True)
    if args.ready_file is not None:
        write_ready_file(args.ready_file, base, server.staff_token, f"place:{place.place_id}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print(t("cli.serve.stopping", lang), file=sys.stderr, flush=True)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0


def banner(place: PlaceState, base: str, token: str) -> list[str]:
    """The place, its public page and buildings' links, the operator token and the staff's pages,
    labelled in the place's language and aligned as ``serve``'s banner is."""
    lang = place.lang
    token_hint = t("cli.place_server.token_hint", lang)
    rows = [
        ("cli.place_server.place", f"{place.name} ({place.place_id})"),
        ("cli.place_server.public_page", f"{base}/p/{place.place_id}"),
        ("cli.place_server.token", f"{token}  {token_hint}"),
        ("cli.place_server.staff_page", f"{base}/staff"),
        ("cli.place_server.staff_api", f"{base}/api/staff/{place.place_id}/requests"),
    ]
    labels = [t(key, lang) for key, _ in rows]
    size = max(width(label) for label in labels) + 1
    lines = [f"{pad(label, size)}{value}" for label, (_, value) in zip(labels, rows, strict=True)]
    links = [f"  {b.name}: {building_url(base, b)}" for b in place.buildings]
    return [*lines[:2], *links, *lines[2:]]
