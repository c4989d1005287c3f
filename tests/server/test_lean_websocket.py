"""The lean websocket session (facilitator/server/leanws.py): a phone whose first request is the
websocket is served by one coroutine, every send written at once, pinged by a timer; a phone
that starts with long-polling keeps engine.io's own handler. Real clients on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import aiohttp
import pytest
import socketio
from engineio import packet as eio_packet

from facilitator.server import PROTOCOL_VERSION
from facilitator.server.app import SIO
from facilitator.server.frames import binary_frame, text_frame
from facilitator.server.leanws import ENVIRON_KEPT, DirectQueue
from facilitator.server.packets import remote_address
from tests.server.server_kit import Client, Live, until

# engine.io's per-connection coroutines the lean session does without
STOCK_CORO = ("_websocket_handler.<locals>.writer", "websocket_wait", "AsyncSocket._send_ping")


# The lean session is part of the fast path: conftest's ``live`` with fast_fanout on only.
fast = pytest.mark.parametrize("live", [True], ids=["fast"], indirect=True)


def sockets(live: Live) -> list[Any]:
    return list(live.server.app[SIO].eio.sockets.values())


def stock_tasks() -> list[str]:
    names = [task.get_coro().__qualname__ for task in asyncio.all_tasks()]  # type: ignore[union-attr]
    return [name for name in names if any(part in name for part in STOCK_CORO)]


@fast
async def test_a_websocket_first_phone_has_no_writer_no_reader_task_and_no_ping_task(
    live: Live,
) -> None:
    phones = [await live.resident(f"居民{i}") for i in range(3)]
    assert len(sockets(live)) == 3
    assert all(isinstance(s.queue, DirectQueue) for s in sockets(live))
    assert stock_tasks() == []
    # acks, a broadcast and a personal message all arrive, in order
    item = phones[0].state["item"]
    ack = await phones[0].call("raise_issue", text="路燈壞了")
    assert ack["ok"], ack
    await live.command("ExtendItem", item_id=item["id"], seconds=60)
    for phone in phones:

        def extended(phone: Client = phone) -> bool:
            return bool(phone.state["item"]["time_box_s"] == item["time_box_s"] + 60)

        await phone.until(extended)
        seqs = [state["seq"] for state in phone.states]
        assert seqs == sorted(seqs)


@fast
async def test_a_set_up_connection_keeps_only_the_environ_that_is_read(live: Live) -> None:
    """engine.io copies every header into the environ python-socketio keeps for the whole
    connection: the lean session shrinks it to the request and the address (the headers stay
    on the request), and the address still reaches the bad-input log."""
    phone = await live.resident("甲")
    sio = live.server.app[SIO]
    environ = sio.get_environ(phone.sio.get_sid("/participant"), "/participant")
    assert set(environ) <= set(ENVIRON_KEPT) and "aiohttp.request" in environ
    assert not any(key.startswith("HTTP_") for key in environ)
    assert environ["aiohttp.request"].headers["Upgrade"].lower() == "websocket"
    assert remote_address(environ) == "127.0.0.1"


@fast
async def test_a_phone_that_starts_with_long_polling_keeps_engineios_handler(live: Live) -> None:
    sio = socketio.AsyncClient(reconnection=False)
    states: list[Any] = []
    sio.on("state", states.append, namespace="/participant")
    auth = {"v": PROTOCOL_VERSION, "token": secrets.token_hex(16), "lang": "en"}
    await sio.connect(
        live.url, namespaces=["/participant"], auth=auth, transports=["polling", "websocket"]
    )
    try:
        await until(lambda: sio.transport() == "websocket" and bool(states))
        [socket] = sockets(live)
        await until(lambda: socket.upgraded)
        assert isinstance(socket.queue, asyncio.Queue)  # engine.io's own queue and writer
        ack = await sio.call("join", {"rid": "r1", "name": "老李"}, namespace="/participant")
        assert ack["ok"], ack
    finally:
        await sio.disconnect()


async def _raw(live: Live, http: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(f"{live.url}/socket.io/?EIO=4&transport=websocket")
    await ws.receive_str(timeout=5)  # engine.io "open"
    auth = json.dumps({"v": PROTOCOL_VERSION, "token": secrets.token_hex(16)})
    await ws.send_str(f"40/participant,{auth}")
    return ws


@fast
async def test_pings_keep_a_phone_that_answers_and_close_one_that_does_not(live: Live) -> None:
    eio = live.server.app[SIO].eio
    eio.ping_interval, eio.ping_timeout = 0.3, 0.4  # read by each new connection
    async with aiohttp.ClientSession() as http:
        answering, silent = await _raw(live, http), await _raw(live, http)
        pings = 0
        async with asyncio.timeout(10):
            while pings < 3:  # three full ping cycles, each answered
                message = await answering.receive()
                assert message.type == aiohttp.WSMsgType.TEXT, message
                if message.data == "2":
                    pings += 1
                    await answering.send_str("3")
        assert not answering.closed
        # The one that never answers is closed by the server (its ping went unanswered).
        async with asyncio.timeout(10):
            while (message := await silent.receive()).type == aiohttp.WSMsgType.TEXT:
                pass
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await until(lambda: len(sockets(live)) == 1)
        await answering.close()
    await until(lambda: sockets(live) == [])
    assert live.server.app[SIO].manager.direct == {}  # nothing kept of either connection


@fast
async def test_an_empty_frame_or_a_frame_that_is_not_engineio_ends_only_that_connection(
    live: Live,
) -> None:
    async with aiohttp.ClientSession() as http:
        for junk in ("", "x-not-a-packet"):
            ws = await _raw_with_default_pings(live, http)
            await ws.send_str(junk)
            async with asyncio.timeout(5):
                while (await ws.receive()).type == aiohttp.WSMsgType.TEXT:
                    pass
            assert ws.closed
    phone = await live.resident("還在")
    assert (await phone.call("sync"))["ok"]


async def _raw_with_default_pings(
    live: Live, http: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(f"{live.url}/socket.io/?EIO=4&transport=websocket")
    await ws.receive_str(timeout=5)
    return ws


def test_a_direct_queue_writes_each_packet_framed_and_stops_when_detached() -> None:
    written: list[bytes] = []

    class Transport:
        closing = False

        def write(self, data: bytes) -> None:
            written.append(data)

        def is_closing(self) -> bool:
            return self.closing

    transport = Transport()
    queue = DirectQueue(transport)  # type: ignore[arg-type]
    queue.put_nowait(eio_packet.Packet(eio_packet.MESSAGE, data="2/participant,[1]"))
    queue.put_nowait(eio_packet.Packet(eio_packet.MESSAGE, data=b"\x00\x01"))
    queue.put_nowait(None)  # the stock writer's end marker: nothing to write
    assert written == [
        text_frame(b"42/participant,[1]"),
        binary_frame(b"\x00\x01"),
    ]
    assert queue.empty() and queue.qsize() == 0
    transport.closing = True
    queue.put_nowait(eio_packet.Packet(eio_packet.PING))
    queue.detach()
    queue.put_nowait(eio_packet.Packet(eio_packet.PING))
    assert len(written) == 2  # nothing after the transport closed or was dropped
