"""``facilitator run`` for the load benchmark: the server and the moderator's console in one loop.

The console runs headless (Textual draws into a virtual terminal of 160x48), so its rendering
costs what it costs in a real terminal; the loop-lag sampler and the ready file are those of
``facilitator serve``. The driver compares the loop lag of this process with ``serve``'s.

Run by bench/load/servers.py as the server kind ``console``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import signal
from pathlib import Path

from facilitator.agenda import parse_agenda
from facilitator.cli._process import (
    start_loop_lag_sampler,
    tune_gc,
    write_ready_file,
)
from facilitator.hub import Hub
from facilitator.server import ServerSettings, start_server
from facilitator.services import create_session
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore
from facilitator.tui.app import ConsoleApp


async def serve_with_console(agenda: Path, db: Path, ready_file: Path) -> None:
    store = EventStore.open(db)
    hub = Hub(store)
    today = dt.date.today()
    session_id = create_session(hub, parse_agenda(agenda.read_text("utf-8")), today)
    await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
    server = await start_server(hub, session_id, ServerSettings(host="127.0.0.1", port=0))
    tune_gc(server)
    sampler = start_loop_lag_sampler()
    app = ConsoleApp(hub, session_id, server.join_url, "zh-Hant", phones=lambda: server.connections)
    console = asyncio.create_task(app.run_async(headless=True, size=(160, 48)))
    write_ready_file(ready_file, server.base_url, server.moderator_token, session_id)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        app.exit()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(console, timeout=2.0)
        if sampler is not None:
            sampler.cancel()
        await asyncio.wait_for(server.stop(), timeout=2.0)
        hub.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("agenda", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve_with_console(args.agenda, args.db, args.ready_file))


if __name__ == "__main__":
    main()
