"""``facilitator run``: which session it opens, and the server and console sharing one loop."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from facilitator.cli.run import prepare
from facilitator.hub import Hub
from facilitator.server import ServerSettings, start_server
from facilitator.store import EventStore
from facilitator.tui.app import ConsoleApp
from facilitator.tui.screens.dialogs import ConfirmScreen
from tests.tui.console_kit import AGENDA, until


def test_the_same_command_again_resumes_the_unfinished_session(tmp_path: Path) -> None:
    agenda = tmp_path / "加裝電梯.md"
    agenda.write_text(AGENDA, encoding="utf-8")
    with EventStore.open(tmp_path / "log.db") as store:
        hubs = [Hub(store) for _ in range(3)]  # three runs of the command, one after another
        first = prepare(hubs[0], store, agenda, None)
        again = prepare(hubs[1], store, agenda, None)  # a new process after a crash
        named = prepare(hubs[2], store, None, first)
        for hub in hubs:
            hub.close()
    assert first == again == named


async def test_server_and_console_in_one_loop_quit_quickly(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.md"
    agenda.write_text(AGENDA, encoding="utf-8")
    store = EventStore.open(tmp_path / "log.db")
    hub = Hub(store)
    session_id = prepare(hub, store, agenda, None)
    server = await start_server(hub, session_id, ServerSettings(host="127.0.0.1", port=0))
    app = ConsoleApp(hub, session_id, server.join_url, "en", phones=lambda: server.connections)
    try:
        async with app.run_test(size=(130, 40)) as pilot:
            await pilot.pause(0.3)
            assert server.join_url.startswith("http://127.0.0.1:")
            await pilot.press("ctrl+q")
            await until(lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(lambda: not app.is_running, timeout=2.0)
    finally:
        started = time.monotonic()
        await asyncio.wait_for(server.stop(), timeout=2.0)
        assert time.monotonic() - started < 2.0
        hub.close()
        store.close()
