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
from facilitator.cli._process import write_ready_file
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
            return fail_with(f"cannot listen on {args.host}:{args.port}: {error.strerror}")
        finally:
            store.close()


async def _serve(ctx: IntakeContext, args: argparse.Namespace) -> int:
    server = await start_place_server(ctx, args.host, args.port)
    base = (args.public_url or server.base_url).rstrip("/")
    place = ctx.hub.state(args.place)
    print(f"place:        {place.name} ({place.place_id})")
    print(f"public page:  {base}/p/{place.place_id}")
    for building in place.buildings:
        print(f"  {building.name}: {building_url(base, building)}")
    print(f"operator token: {server.staff_token}  (every place; staff accounts sign in instead)")
    print(f"staff page:     {base}/staff")
    print(f"staff API:      {base}/api/staff/{place.place_id}/requests")
    print("press Ctrl-C to stop", flush=True)
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
        print("stopping…", file=sys.stderr, flush=True)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0
