"""``facilitator serve --district``: a process that owns no live session, in front of a district.

It serves every place of the database (intake pages, public pages, the staff API with the token
it prints) and answers ``/j/CODE`` and ``/live/CODE`` for every session: a redirect to the process
serving it, or "not live right now" (docs/scale.md). Several of these can stand behind one name.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from facilitator.cli._common import cli_lang, fail_with, missing_database
from facilitator.cli._lifecycle import SessionRefused, check_port
from facilitator.cli._process import write_ready_file
from facilitator.i18n import t
from facilitator.store import exists, open_place_log


def serve_district(args: argparse.Namespace) -> int:
    """Serve the district's pages and routing until Ctrl-C / SIGTERM."""
    lang = cli_lang(args.lang)
    if not exists(args.db):
        return missing_database(lang, args.db)
    try:
        check_port(args.host, args.port)
    except SessionRefused as refused:
        return fail_with(refused.render(lang))
    return asyncio.run(_serve(args, lang))


async def _serve(args: argparse.Namespace, lang: str) -> int:
    from facilitator.server.standby_app import start_standby_server

    server = await start_standby_server(args.db, args.host, args.port, args.public_url)
    base = server.base_url
    with open_place_log(args.db) as places:
        place_ids = places.places()
    print(f"{t('cli.district.url', lang)} {base}")
    print(t("cli.district.phones", lang, url=base))
    if place_ids:
        print(t("cli.district.places", lang))
    for place_id in place_ids:
        print(f"  {base}/p/{place_id}")
    print(f"{t('cli.district.staff', lang, url=base)} {server.staff_token}")
    print(t("cli.serve.stop", lang), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    if args.ready_file is not None:
        write_ready_file(args.ready_file, base, server.staff_token, "district")
    try:
        await stop.wait()
    finally:
        print(t("cli.serve.stopping", lang), file=sys.stderr, flush=True)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    return 0
