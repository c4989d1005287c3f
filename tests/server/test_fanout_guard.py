"""Guard for facilitator/server/fanout.py and leanws.py: the places that reach into python-engineio.

If one of these fails after upgrading python-socketio / python-engineio / aiohttp, the fast
fan-out's assumptions moved: read fanout.py's docstring, fix it there (or drop it and go back to
the stock ``AsyncManager``), and do not just loosen the test.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import inspect
import json
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import engineio
import pytest
import socketio
from aiohttp._websocket.writer import WebSocketWriter
from engineio.async_drivers import aiohttp as eio_aiohttp
from engineio.async_server import AsyncServer
from engineio.async_socket import AsyncSocket
from engineio.base_socket import BaseSocket
from socketio import packet as sio_packet

from facilitator.server.app import SIO
from facilitator.server.fanout import FanoutManager
from facilitator.server.frames import text_frame
from tests.server.server_kit import Client, Live, start_live

PAYLOAD = {"seq": 7, "title": '加裝電梯 "lift"\n', "poll": {"totals": [1, 2, 3]}, "x": None}

# The upstream methods fanout.py copies or relies on, and the hash of their source as it was read
# when the override was last checked against them (python-socketio 5.18.1, python-engineio
# 4.15.1, aiohttp 3.14.5, as constraints.txt pins them). A new hash means the method changed:
# re-read it against fanout.py, then record the new hash.
UPSTREAM: dict[str, tuple[Callable[..., Any], str]] = {
    # _Websocket.__call__ is this method with compress=False and the registry added
    "engineio WebSocket.__call__": (eio_aiohttp.WebSocket.__call__, "71f9a94476d737c3"),
    # builds the websocket through the driver table and hands it _websocket_handler
    "engineio AsyncSocket._upgrade_websocket": (
        AsyncSocket._upgrade_websocket,
        "820b83efe96adb98",
    ),
    # the stock writer: a direct write is only safe while its queue is empty
    "engineio AsyncSocket._websocket_handler": (
        AsyncSocket._websocket_handler,
        "27f120df4d717a24",
    ),
    # leanws.py: the "open" packet is queued, then the connect handler runs (where the
    # websocket-first connection's last_ping is cleared), then schedule_ping, then the websocket
    "engineio AsyncServer._handle_connect": (AsyncServer._handle_connect, "5bd7edc1d1ae115a"),
    # leanws.py hands it every packet but PONG (MESSAGE, UPGRADE, CLOSE; others raise)
    "engineio AsyncSocket.receive": (AsyncSocket.receive, "a91ae36ec2fb5340"),
    # ... and everything sent goes through queue.put (leanws.DirectQueue writes it)
    "engineio AsyncSocket.send": (AsyncSocket.send, "0437276ccba7ab09"),
    "engineio AsyncSocket.close": (AsyncSocket.close, "faa2e93902543244"),
    # starts a ping task only while last_ping is set; leanws.serve pings with a timer instead
    "engineio AsyncSocket.schedule_ping": (AsyncSocket.schedule_ping, "fe316639159cd70d"),
    # the service task closes a socket whose ping (last_ping, set by leanws too) went unanswered
    "engineio AsyncSocket.check_ping_timeout": (
        AsyncSocket.check_ping_timeout,
        "77616d5ca7809257",
    ),
    # the queue and last_ping that leanws.serve replaces and clears
    "engineio BaseSocket.__init__": (BaseSocket.__init__, "8532b631a4dc815f"),
    # FanoutManager.emit replaces it (rooms, skip_sid, callbacks, to=)
    "socketio AsyncManager.emit": (socketio.AsyncManager.emit, "01ccd5b82b4f955e"),
    # FanoutManager.encode writes the same text
    "socketio Packet.encode": (sio_packet.Packet.encode, "513c45be75181da2"),
    # the stock send for the sockets not written directly
    "socketio AsyncServer._send_eio_packet": (
        socketio.AsyncServer._send_eio_packet,
        "64cf72a2ab7d75b1",
    ),
}


def source_hash(method: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(method).encode()).hexdigest()[:16]


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    """These tests are about the fast path itself."""
    server = await start_live(tmp_path, fast_fanout=True)
    try:
        yield server
    finally:
        await server.close()


@pytest.mark.parametrize("name", list(UPSTREAM))
def test_the_upstream_methods_the_override_copies_are_unchanged(name: str) -> None:
    method, recorded = UPSTREAM[name]
    assert source_hash(method) == recorded, (
        f"{name} changed upstream: re-check server/fanout.py against it (or run with "
        "--stock-fanout), then record the new hash here"
    )


def test_the_stock_send_is_there_for_slow_sockets() -> None:
    send = getattr(socketio.AsyncServer, "_send_eio_packet", None)
    assert send is not None and inspect.iscoroutinefunction(send)
    assert list(inspect.signature(send).parameters) == ["self", "eio_sid", "eio_pkt"]


def test_aiohttp_writes_an_uncompressed_frame_with_no_await() -> None:
    """A direct write goes between two of aiohttp's frames only if aiohttp never yields while
    writing one: its uncompressed send calls a plain (not async) frame writer, not awaited."""
    write = WebSocketWriter._write_websocket_frame
    assert not inspect.iscoroutinefunction(write)
    assert "await" not in inspect.getsource(write)
    tree = ast.parse(textwrap.dedent(inspect.getsource(WebSocketWriter.send_frame)))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "_write_websocket_frame"
    ]
    awaited = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
    assert calls and not any(id(call) in awaited for call in calls)


def test_engineio_still_builds_websockets_through_its_driver_table() -> None:
    upgrade = inspect.getsource(AsyncSocket._upgrade_websocket)
    assert "_async['websocket'](" in upgrade.replace('"', "'"), upgrade
    assert "self._websocket_handler" in upgrade
    assert list(inspect.signature(eio_aiohttp.WebSocket.__init__).parameters) == [
        "self",
        "handler",
        "server",
    ]
    call = inspect.getsource(eio_aiohttp.WebSocket.__call__)
    assert "self._sock" in call and "self.handler(self)" in call
    assert isinstance(eio_aiohttp._async, dict) and "websocket" in eio_aiohttp._async


def test_engineio_sockets_keep_the_fields_fanout_reads() -> None:
    server = engineio.AsyncServer(async_mode="aiohttp")
    assert isinstance(server.sockets, dict)
    socket = AsyncSocket(server, "sid")
    for name in ("queue", "upgraded", "upgrading", "closing", "closed", "sid"):
        assert hasattr(socket, name), name
    assert isinstance(socket.queue, asyncio.Queue)
    writer = inspect.getsource(AsyncSocket._websocket_handler)
    assert "self.poll()" in writer and "ws.send(" in writer  # the stock path we fall back to


def test_our_encoding_is_the_stock_socketio_encoding() -> None:
    manager = FanoutManager()
    sio = socketio.AsyncServer(client_manager=manager, async_mode="aiohttp")
    for namespace in ("/participant", "/"):
        stock = sio_packet.Packet(sio_packet.EVENT, namespace=namespace, data=["state", PAYLOAD])
        assert manager.encode(namespace, ["state", PAYLOAD]) == "4" + stock.encode()
    assert sio.manager is manager
    assert manager.encode("/participant", ["state", {"b": b"\x00"}]) is None  # bytes: stock path


def test_text_frames_follow_rfc_6455() -> None:
    assert text_frame(b"hi") == b"\x81\x02hi"
    assert text_frame(b"x" * 200)[:4] == b"\x81\x7e\x00\xc8"
    assert text_frame(b"x" * 70_000)[:10] == b"\x81\x7f" + (70_000).to_bytes(8, "big")


async def test_snapshots_take_the_direct_path_and_deflate_is_refused(live: Live) -> None:
    manager = live.server.app[SIO].manager
    assert isinstance(manager, FanoutManager)
    phones = await asyncio.gather(*(live.resident(f"R{i}") for i in range(5)))
    item = phones[0].state["item"]
    await live.command("ExtendItem", item_id=item["id"], seconds=60)
    longer = item["time_box_s"] + 60
    for phone in phones:

        def extended(phone: Client = phone) -> bool:
            return bool(phone.state["item"]["time_box_s"] == longer)

        await phone.until(extended)
    assert manager.written >= 5, (manager.written, manager.queued)
    assert len(manager.direct) == 5  # one registered websocket per connected phone

    url = live.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(url, compress=15) as ws:
        opened = await ws.receive_str()
        assert opened.startswith("0") and json.loads(opened[1:])["sid"]
        assert not ws.compress  # a browser's deflate offer is declined


async def test_the_moderators_spliced_snapshot_is_the_moderator_view(live: Live) -> None:
    """The roster's JSON is kept and spliced into each moderator snapshot: what arrives must be
    exactly the moderator view, and a new participant must show up in it."""
    moderator = await live.moderator()
    await live.resident("甲")
    broadcaster = live.server.broadcaster
    await live.command("SetWalkInCount", count=3)

    def current() -> bool:
        return bool(moderator.state.get("seq") == broadcaster.state.version)

    await moderator.until(current)
    assert moderator.state == json.loads(json.dumps(broadcaster.view("moderator")))
    await live.resident("乙")
    await moderator.until(lambda: len(moderator.state.get("roster", [])) == 2)
    assert [p["name"] for p in moderator.state["roster"]] == ["甲", "乙"]


async def test_the_stock_manager_serves_when_the_fast_path_is_off(tmp_path: Path) -> None:
    stock = await start_live(tmp_path, fast_fanout=False)
    try:
        sio = stock.server.app[SIO]
        assert type(sio.manager) is socketio.AsyncManager
        # engine.io's own sockets, under packets.py's guard against empty frames only
        assert sio.eio._async["websocket"].__mro__[1] is eio_aiohttp.WebSocket
        phone = await stock.resident("甲")
        await stock.command("SetWalkInCount", count=4)
        await phone.until(lambda: phone.state["present"] == 5)  # 甲 and four walk-ins
    finally:
        await stock.close()
