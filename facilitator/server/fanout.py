"""Fast fan-out: one encoded frame written straight to each phone's websocket (a setting).

python-socketio encodes a room emit once, but then gives every recipient its own task, which
queues the packet on the engine.io socket, whose writer task wakes to send it: ~45-80 µs of CPU
per recipient, ~0.3 s of a busy loop for one snapshot to 5,000 phones. Here the snapshot is
encoded once into one websocket frame (RFC 6455 text frame, no mask, no deflate) and those bytes
are written to each phone's transport: one ``transport.write`` per phone, a few µs, less than even
aiohttp's own ``send_str`` (which frames the message again for every socket). The loop gets a
turn every ``CHUNK`` phones, so acks and ballots are not held up by a long fan-out. The
moderator's snapshot may be a :class:`RawJSON` whose roster is spliced in already encoded.

Second, python-engineio's aiohttp driver accepts permessage-deflate whenever a browser offers it
(every browser does): ~97 KB more memory per connection and twice the CPU per send, for snapshots
of a few hundred bytes. Here deflate is declined.

Third, a phone whose first request is the websocket is served by the lean session of
``leanws.py`` (one coroutine, each send written at once, pings by a timer) instead of engine.io's
own handler (a writer task and queue, a task per frame read, a ping task): ~12 KB less per phone,
and an ack is written in the turn that made it.

All three need what python-engineio and python-socketio do not expose, so they sit behind a setting
(``ServerSettings.fast_fanout``, on by default; ``--stock-fanout`` on the command line turns it
off): off, the server runs python-socketio's stock ``AsyncManager`` and engine.io's own
websockets, and every server test runs under both. **Every reach into the libraries' internals
is in this module and leanws.py**, and ``tests/server/test_fanout_guard.py`` fails loudly when a
new release moves them: it compares the source of each upstream method the override copies or
relies on with a recorded hash, checks that ``AsyncServer._send_eio_packet`` is there, that
aiohttp still writes an uncompressed frame with no await in between, and that our encoding is
``Packet.encode``'s. What is reached:

* ``AsyncSocket._upgrade_websocket`` — relied on to build the websocket through the driver table
  and hand it the socket's ``_websocket_handler``;
* ``AsyncServer.eio._async["websocket"]`` — the driver's websocket factory, replaced (on this
  server only) by :class:`_Websocket`, which turns deflate off and remembers each engine.io
  socket's websocket and transport;
* ``engineio.async_drivers.aiohttp.WebSocket`` — subclassed; its ``handler`` is the engine.io
  socket's bound ``_websocket_handler`` (so ``handler.__self__.sid`` is the engine.io sid) and it
  keeps the ``aiohttp`` response in ``_sock``;
* ``eio.sockets`` and an engine.io socket's ``queue``, ``upgraded``, ``upgrading``, ``closing``,
  ``closed`` — read only, to decide when a direct write is safe; and each socket's
  ``close(wait=False)`` when the server stops (:func:`close_sockets`, used with either manager);
* ``AsyncServer._send_eio_packet`` — the stock send, for the sockets not written directly;
* for the lean session (leanws.py): engine.io's ``connect`` handler, wrapped through the public
  ``on`` so that ``schedule_ping`` starts no ping task for a websocket-first connection; the
  socket's ``queue`` (replaced by ``leanws.DirectQueue``), ``connected``, ``upgraded`` and
  ``last_ping``; its ``receive`` and ``close``; and the server's ``ping_interval``,
  ``ping_timeout`` and ``reason``. The order ``_handle_connect`` does things in (queue the
  ``open`` packet, run the connect handler, ``schedule_ping``, then the websocket) is hashed too.

The client manager itself is a public extension point (``AsyncServer(client_manager=...)``), and
the transport is aiohttp's public ``request.transport``. A frame is written directly only when
nothing sent earlier to that socket can still be waiting (its engine.io queue is empty and its
transport's write buffer is drained: aiohttp writes each frame with no await in between, so a
frame it is sending is never split); otherwise — a phone still connecting or upgrading, a slow
phone with a full buffer, an emit with a callback, bytes in the payload — the stock path is used,
so the order of messages to a client never changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Iterable
from typing import Any

import socketio
from aiohttp import web
from engineio import packet as eio_packet
from engineio.async_drivers import aiohttp as eio_aiohttp
from socketio import packet as sio_packet

from facilitator.server import leanws
from facilitator.server.frames import text_frame

log = logging.getLogger(__name__)

CHUNK = 128  # recipients written between two yields to the loop (~1 ms of work at 5,000 phones)


class RawJSON(str):
    """A payload already encoded as JSON text, written into the frame as it is.

    The moderator's snapshot carries the roster (thousands of rows) that changes far less often
    than the snapshot: the broadcaster keeps its JSON text and splices it in, instead of encoding
    ~130 KB again for every snapshot of a 1,000-person meeting. Only :class:`FanoutManager` knows
    this type (``accepts_raw``); any other manager is given the plain dict.
    """


class _Direct:
    """One websocket that may be written to directly: the aiohttp response and its transport."""

    __slots__ = ("transport", "ws")

    def __init__(self, ws: web.WebSocketResponse, transport: asyncio.Transport | None) -> None:
        self.ws = ws
        self.transport = transport


class _Websocket(eio_aiohttp.WebSocket):  # type: ignore[misc]
    """engine.io's aiohttp websocket, without deflate, registered for direct writes while open."""

    registry: dict[str, _Direct]  # set per server by FanoutManager.install

    async def __call__(self, environ: dict[str, Any]) -> web.WebSocketResponse:
        request: web.Request = environ["aiohttp.request"]
        self._sock = web.WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=False
        )
        await self._sock.prepare(request)
        self.environ = environ
        socket = self.handler.__self__
        sid: str = socket.sid
        self.registry[sid] = _Direct(self._sock, request.transport)
        try:
            if socket.connected or request.transport is None:
                await self.handler(self)  # an upgrade from long-polling: engine.io's own handler
            else:
                await leanws.serve(socket, self._sock, request.transport, environ)
        finally:
            found = self.registry.get(sid)
            if found is not None and found.ws is self._sock:
                del self.registry[sid]
        return self._sock


class FanoutManager(socketio.AsyncManager):  # type: ignore[misc]
    """A client manager whose broadcasts write one pre-encoded frame to each websocket."""

    def __init__(self) -> None:
        super().__init__()
        self.direct: dict[str, _Direct] = {}
        self.written = 0  # frames written directly (tests and benchmarks read it)
        self.queued = 0  # frames that took the stock path

    def install(self, sio: socketio.AsyncServer) -> None:
        """Put the deflate-free, registering websocket factory on ``sio``'s engine.io server,
        and leave the pings of a websocket-first connection to the lean session."""
        registry = self.direct
        factory = type("Websocket", (_Websocket,), {"registry": registry})
        # A copy: the driver's table is module-wide and shared by every server in the process.
        sio.eio._async = {**sio.eio._async, "websocket": factory}
        sio.eio.on("connect", leanws.pinged_by_session(sio.eio, sio.eio.handlers["connect"]))

    accepts_raw = True  # emit() takes a RawJSON payload (the Broadcaster checks this)
    # emit() takes ``first=``: connections written to before the rest of the room (the
    # Broadcaster puts those of the people who just acted there)
    writes_first = True

    def has_clients(self, namespace: str) -> bool:
        """Whether any client is connected to ``namespace`` (so a snapshot is worth building)."""
        return any(True for _ in self.get_participants(namespace, None))

    def _in_order(
        self, namespace: str, room: Any, first: Iterable[str] | None
    ) -> Iterable[tuple[str, str]]:
        """The room's members as (sid, engine.io sid): the connections in ``first`` (that are
        members) before all others, each once."""
        members: Iterable[tuple[str, str]] = self.get_participants(namespace, room)
        if not first:
            return members
        rest = dict(members)
        ahead = [(sid, rest.pop(sid)) for sid in dict.fromkeys(first) if sid in rest]
        return itertools.chain(ahead, rest.items())

    def encode(self, namespace: str, data: list[Any]) -> str | None:
        """The engine.io text frame of a socket.io EVENT packet; None if it needs attachments.

        The Socket.IO 5 wire format (``4`` message, ``2`` event, ``/ns,``, JSON array), written
        here because python-socketio's ``Packet`` walks the whole payload looking for bytes
        first, which for a moderator snapshot with a roster of thousands costs more than the
        encoding itself. The guard test checks it against ``Packet.encode``.
        """
        try:
            body = self.server.packet_class.json.dumps(data, separators=(",", ":"))
        except TypeError:  # bytes somewhere: only the stock path can send attachments
            return None
        prefix = "" if namespace in (None, "/") else f"{namespace},"
        return f"4{sio_packet.EVENT}{prefix}{body}"

    async def emit(  # noqa: PLR0917 (python-socketio's signature)
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        raw = isinstance(data, RawJSON)
        if raw and (callback is not None or namespace not in self.rooms):
            return  # nobody to send to (a raw payload is never sent with an ack)
        if callback is not None or namespace not in self.rooms:
            await super().emit(event, data, namespace, room, skip_sid, callback, to, **kwargs)
            return
        room = to or room
        if raw:
            prefix = "" if namespace in (None, "/") else f"{namespace},"
            name = self.server.packet_class.json.dumps(event)
            text: str | None = f"4{sio_packet.EVENT}{prefix}[{name},{data}]"
        else:
            args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
            text = self.encode(namespace, [event, *args])
        if text is None:  # binary attachments: not a single text frame
            await super().emit(event, data, namespace, room, skip_sid, callback, to, **kwargs)
            return
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        eio = self.server.eio
        wire = text_frame(text.encode("utf-8"))
        slow: list[str] = []
        written = 0
        for sid, eio_sid in self._in_order(namespace, room, kwargs.get("first")):
            if sid in skip:
                continue
            direct = self.direct.get(eio_sid)
            socket = eio.sockets.get(eio_sid)
            transport = direct.transport if direct is not None else None
            if (
                transport is None
                or socket is None
                or not socket.upgraded
                or socket.upgrading
                or socket.closing
                or socket.closed
                or not socket.queue.empty()
                or direct.ws.closed  # type: ignore[union-attr]
                or transport.is_closing()
                or transport.get_write_buffer_size()
            ):
                slow.append(eio_sid)
                continue
            transport.write(wire)
            written += 1
            if written % CHUNK == 0:
                await asyncio.sleep(0)  # let acks and ballots through between chunks
        self.written += written
        if slow:
            self.queued += len(slow)
            frame = eio_packet.Packet(eio_packet.MESSAGE, text[1:])
            await asyncio.gather(*(self.server._send_eio_packet(s, frame) for s in slow))


def client_manager(fast: bool) -> socketio.AsyncManager:
    """The fast manager, or python-socketio's stock one (the fallback when ``fast`` is off)."""
    return FanoutManager() if fast else socketio.AsyncManager()


def install(sio: socketio.AsyncServer) -> None:
    """Finish ``sio`` for its manager: the fast one needs its websocket factory installed."""
    if isinstance(sio.manager, FanoutManager):
        sio.manager.install(sio)


async def close_sockets(sio: socketio.AsyncServer, timeout: float = 0.5) -> None:
    """Close every engine.io socket of ``sio`` without waiting for their queues to drain.

    engine.io's own ``disconnect()`` waits for each socket's queue to drain, even for sockets
    already half-closed by their client; aiohttp would then wait for each open websocket handler
    until its shutdown timeout. Errors are ignored: the server is going away.
    """
    sockets = list(getattr(sio.eio, "sockets", {}).values())
    with contextlib.suppress(Exception):
        await asyncio.wait_for(
            asyncio.gather(*(s.close(wait=False) for s in sockets), return_exceptions=True),
            timeout=timeout,
        )
