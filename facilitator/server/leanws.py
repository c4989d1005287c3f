"""A lean engine.io websocket session: one coroutine per phone, every send written at once.

engine.io's own websocket handler (``AsyncSocket._websocket_handler``) gives each connection a
writer task waiting on an ``asyncio.Queue``, a new task and a ``wait_for`` for every frame it
reads, and a task sleeping until the next ping: six tasks, two dozen coroutines, a queue of three
deques and five timers per phone, ~10 KB of the ~33 KB of Python heap a connected phone cost
(bench/README.md). And each answer took two trips through the event loop (queue, writer) before
it was written.

For a phone whose first request is the websocket (``transport=websocket``, what the phone page
and the socket.io clients use), this module serves the connection instead, with the same
protocol: the reading coroutine aiohttp already runs for the request reads each frame and hands
it to the engine.io socket's own ``receive``; whatever the socket sends (the ``open`` packet, an
ack, a ``me``, a ping, the closing packet) is framed and written to the transport there and
then by :class:`DirectQueue`, which stands in for the socket's queue, so nothing sent to one
phone can overtake anything sent to it earlier. Pings are a timer per phone (not a task), armed
when its pong arrives, ``ping_interval`` later, as engine.io's ``schedule_ping`` would. A phone
that is silent for ``ping_interval + ping_timeout`` is closed, as engine.io closes it; engine.io's
service task still closes one whose pong is late.

A connection that began as long-polling and upgrades keeps engine.io's own handler (its packets
may be waiting in the queue while it upgrades). Everything reached inside python-engineio is
named in fanout.py's docstring and checked by ``tests/server/test_fanout_guard.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSMsgType, web
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet

from facilitator.server.frames import binary_frame, text_frame

log = logging.getLogger(__name__)

_DATA = (WSMsgType.TEXT, WSMsgType.BINARY)
_PING_TEXT = text_frame(b"2")  # engine.io PING, the same bytes for every phone


class DirectQueue:
    """Stands in for an engine.io socket's outgoing queue: ``put`` writes the packet's frame to
    the transport at once. Only what engine.io calls on a websocket socket's queue is here."""

    __slots__ = ("transport",)

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport: asyncio.Transport | None = transport

    def put_nowait(self, pkt: eio_packet.Packet | None) -> None:
        transport = self.transport
        if pkt is None or transport is None or transport.is_closing():
            return  # the end-of-stream marker of the stock writer; or nobody left to read
        encoded = pkt.encode()
        if isinstance(encoded, bytes):
            transport.write(binary_frame(encoded))
        else:
            transport.write(text_frame(encoded.encode("utf-8")))

    def detach(self) -> None:
        """The connection has ended: drop the transport (a ping task engine.io started before
        the websocket opened may hold the socket, and so this queue, a few seconds more)."""
        self.transport = None

    async def put(self, pkt: eio_packet.Packet | None) -> None:
        self.put_nowait(pkt)

    def empty(self) -> bool:
        return True  # written already: nothing waits behind a direct write

    def qsize(self) -> int:
        return 0

    def task_done(self) -> None:
        """Nothing to account for: every packet was written when it was put."""

    async def join(self) -> None:
        """Every packet put has been written."""


def pinged_by_session(eio: Any, connect: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
    """engine.io's ``connect`` handler ``connect``, wrapped: for a connection whose first request
    is the websocket, engine.io's ping task is not started (``schedule_ping`` starts one only
    while ``last_ping`` is set), as :func:`serve` pings that phone with a timer instead."""

    async def connected(eio_sid: str, environ: dict[str, Any]) -> Any:
        answer = await connect(eio_sid, environ)
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        socket = eio.sockets.get(eio_sid)
        if socket is not None and query.get("transport", ["polling"])[0] == "websocket":
            socket.last_ping = None
        return answer

    return connected


async def serve(socket: Any, ws: web.WebSocketResponse, transport: asyncio.Transport) -> None:
    """Run engine.io ``socket`` over the prepared websocket ``ws`` until either side ends it."""
    server = socket.server
    queued: asyncio.Queue[Any] = socket.queue
    direct = DirectQueue(transport)
    socket.queue = direct
    while not queued.empty():  # the "open" packet, sent before the websocket was ready
        direct.put_nowait(queued.get_nowait())
    del queued  # three deques and an event: not kept for the evening
    socket.connected = True
    socket.upgraded = True
    loop = asyncio.get_running_loop()
    silence = server.ping_interval + server.ping_timeout

    def ping() -> None:
        if socket.closing or socket.closed or transport.is_closing():
            return
        socket.last_ping = time.time()
        transport.write(_PING_TEXT)

    # The first ping, an interval from now (engine.io's ping task was not started for this
    # connection: see pinged_by_session).
    pinger = loop.call_later(server.ping_interval, ping)
    try:
        while not socket.closed:
            try:
                message = await ws.receive(timeout=silence)
            except TimeoutError:
                break  # silent for a whole ping cycle: gone
            if message.type not in _DATA or message.data == "":
                break  # closed, an error, or an empty frame (engine.io has no empty packet)
            try:
                pkt = eio_packet.Packet(encoded_packet=message.data)
            except Exception:  # not engine.io at all: end this connection only
                break
            if pkt.packet_type == eio_packet.PONG:
                if socket.last_ping:  # the ping cycle is complete: the next one in an interval
                    socket.last_ping = None
                    pinger = loop.call_later(server.ping_interval, ping)
                continue
            try:
                await socket.receive(pkt)
            except eio_exceptions.UnknownPacketError:
                pass  # as engine.io: a packet type a server never takes is ignored
            except eio_exceptions.SocketIsClosedError:
                break
            except Exception:  # as engine.io: logged, and the connection goes on
                log.exception("engine.io could not take a packet from %s", socket.sid)
    finally:
        pinger.cancel()
        direct.detach()
        with contextlib.suppress(Exception):
            await socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
        await ws.close()
