"""``facilitator run``: which session it opens, and the server and console sharing one loop."""

from __future__ import annotations

import asyncio
import secrets
import time
from pathlib import Path

import socketio

from facilitator.cli._lifecycle import prepare
from facilitator.hub import Hub
from facilitator.server import PROTOCOL_VERSION, ServerSettings, start_server
from facilitator.store import EventStore
from facilitator.tui.app import ConsoleApp
from facilitator.tui.screens.dialogs import ConfirmScreen
from tests.tui.console_kit import AGENDA, screen_text, type_line, until


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
            await until(lambda: server.join_url in screen_text(app))  # the lobby shows it
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


async def _phone(base_url: str, name: str) -> socketio.AsyncClient:
    """A resident's phone: a real socket.io client that joins the session."""
    client = socketio.AsyncClient(reconnection=False)
    token = secrets.token_urlsafe(24)
    await client.connect(
        base_url,
        namespaces=["/participant"],
        auth={"v": PROTOCOL_VERSION, "token": token, "lang": "zh-Hant"},
        transports=["websocket"],
        wait_timeout=10,
    )
    answer = await client.call(
        "join", {"rid": secrets.token_hex(4), "name": name}, namespace="/participant", timeout=10
    )
    assert answer["ok"], answer
    return client


async def test_phones_vote_over_socketio_while_the_console_runs_the_poll(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.md"
    agenda.write_text(AGENDA, encoding="utf-8")
    store = EventStore.open(tmp_path / "log.db")
    hub = Hub(store)
    session_id = prepare(hub, store, agenda, None)
    server = await start_server(hub, session_id, ServerSettings(host="127.0.0.1", port=0))
    app = ConsoleApp(hub, session_id, server.join_url, "zh-Hant", phones=lambda: server.connections)
    phones: list[socketio.AsyncClient] = []
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await until(lambda: len(app.screen_stack) > 1)  # the lobby is up
            await type_line(pilot, "open")
            phones = [await _phone(server.base_url, f"居民{n}") for n in range(3)]
            await until(lambda: hub.state(session_id).checked_in == 3)
            await type_line(pilot, "walkins 10")
            await until(lambda: hub.state(session_id).walk_ins == 10)
            await type_line(pilot, "next")
            await until(lambda: hub.state(session_id).current_item_id is not None)
            await type_line(pilot, "vote 是否同意加裝電梯")
            await until(lambda: hub.state(session_id).open_poll_id is not None)
            poll_id = hub.state(session_id).open_poll_id
            for phone, choice in zip(phones, ("yes", "yes", "no"), strict=True):
                answer = await phone.call(
                    "vote",
                    {"rid": secrets.token_hex(4), "poll_id": poll_id, "choices": [choice]},
                    namespace="/participant",
                    timeout=10,
                )
                assert answer["ok"], answer
            await type_line(pilot, "hands yes=6 no=3 abstain=1")
            await until(lambda: hub.state(session_id).polls[poll_id or ""].hand_voters == 10)
            await until(lambda: "手機 2 · 舉手 6" in screen_text(app), timeout=10.0)
            await type_line(pilot, "close")
            await until(lambda: hub.state(session_id).open_poll_id is None)
            decision = hub.state(session_id).polls[poll_id or ""].decision
            assert decision is not None
            assert (decision.phone, decision.hands) == ((2, 1, 0), (6, 3, 1))
            assert decision.outcome.value == "passed"
    finally:
        for phone in phones:
            await phone.disconnect()
        await asyncio.wait_for(server.stop(), timeout=2.0)
        hub.close()
        store.close()
