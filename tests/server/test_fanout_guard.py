"""Guard for facilitator/server/fanout.py: the one place that reaches into python-engineio.

If one of these fails after upgrading python-socketio / python-engineio / aiohttp, the fast
fan-out's assumptions moved: read fanout.py's docstring, fix it there (or drop it and go back to
the stock ``AsyncManager``), and do not just loosen the test.
"""

from __future__ import annotations

import asyncio
import inspect
import json

import aiohttp
import engineio
import socketio
from engineio.async_drivers import aiohttp as eio_aiohttp
from engineio.async_socket import AsyncSocket
from socketio import packet as sio_packet

from facilitator.server.app import SIO
from facilitator.server.fanout import FanoutManager, text_frame
from tests.server.server_kit import Client, Live

PAYLOAD = {"seq": 7, "title": '加裝電梯 "lift"\n', "poll": {"totals": [1, 2, 3]}, "x": None}


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
