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
phone can overtake anything sent to it earlier. Pings are one timer per phone (not a task):
``ping_interval`` after the last pong (as engine.io's ``schedule_ping``) the phone is pinged, and
if no pong comes within ``ping_timeout`` its connection is closed, as engine.io closes it.

A connection that began as long-polling and upgrades keeps engine.io's own handler (its packets
may be waiting in the queue while it upgrades). Everything reached inside python-engineio is
named in fanout.py's docstring and checked by ``tests/server/test_fanout_guard.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
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
_BARE = contextvars.Context()  # the timers' context: nothing to copy per phone


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


class _Pinger:
    """A phone's one timer: ping it an interval after its last pong; if no pong comes within
    ``ping_timeout`` of a ping, close its connection (its reader then ends the session)."""

    __slots__ = ("handle", "loop", "socket", "transport")

    def __init__(self, socket: Any, transport: asyncio.Transport) -> None:
        self.socket, self.transport = socket, transport
        self.loop = asyncio.get_running_loop()
        self.handle = self.loop.call_later(socket.server.ping_interval, self.ping, context=_BARE)

    def ping(self) -> None:
        socket = self.socket
        if socket.closing or socket.closed or self.transport.is_closing():
            return
        socket.last_ping = time.time()
        self.transport.write(_PING_TEXT)
        self.handle = self.loop.call_later(socket.server.ping_timeout, self.late, context=_BARE)

    def late(self) -> None:
        if self.socket.last_ping:  # no pong since the ping: gone (or too slow to be served)
            self.transport.abort()

    def pong(self) -> None:
        if self.socket.last_ping:  # the ping cycle is complete: the next one in an interval
            self.socket.last_ping = None
            self.handle.cancel()
            interval = self.socket.server.ping_interval
            self.handle = self.loop.call_later(interval, self.ping, context=_BARE)


# What is read of a connection's environ once it is set up: the aiohttp request (its address and
# headers, for whoever needs them) and the address (facilitator.server.packets.remote_address).
ENVIRON_KEPT = ("aiohttp.request", "REMOTE_ADDR", "REQUEST_METHOD", "PATH_INFO", "QUERY_STRING")


def keep_only_what_is_read(environ: dict[str, Any]) -> None:
    """Shrink a set-up connection's environ in place. engine.io copies every header into it and
    python-socketio keeps it for the connection's life (``get_environ``); a cleared dict gives
    its table back, so 15-25 entries become five. The headers stay on the aiohttp request."""
    kept = {key: environ[key] for key in ENVIRON_KEPT if key in environ}
    environ.clear()
    environ.update(kept)


async def serve(
    socket: Any, ws: web.WebSocketResponse, transport: asyncio.Transport, environ: dict[str, Any]
) -> None:
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
    keep_only_what_is_read(environ)
    # The first ping an interval from now (engine.io's ping task was not started for this
    # connection: see pinged_by_session); a phone that does not answer it is closed.
    pinger = _Pinger(socket, transport)
    try:
        while not socket.closed:
            message = await ws.receive()
            if message.type not in _DATA or message.data == "":
                break  # closed, an error, or an empty frame (engine.io has no empty packet)
            try:
                pkt = eio_packet.Packet(encoded_packet=message.data)
            except Exception:  # not engine.io at all: end this connection only
                break
            if pkt.packet_type == eio_packet.PONG:
                pinger.pong()
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
        pinger.handle.cancel()
        direct.detach()
        with contextlib.suppress(Exception):
            await socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
        await ws.close()
