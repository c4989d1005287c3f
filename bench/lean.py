"""A lean socket.io client over one aiohttp websocket, for simulating thousands of phones.

python-socketio's ``AsyncClient`` costs ~70-90 µs per received message, too much to simulate
thousands of phones at ten updates a second from one process. This speaks just the part of
Engine.IO 4 / Socket.IO 5 a phone needs — open, namespace connect, events with acks, pings —
directly on an aiohttp websocket (about 15 µs a message).

Events named in ``raw_events`` skip JSON decoding: ``on_raw(name, text, received_at)`` gets the
packet's text (``["state",{...}]``) so a load generator can pick out the one number it needs
(``seq``) and parse a whole snapshot only when it must.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp

Handler = Callable[[str, Any, float], None]
RawHandler = Callable[[str, str, float], None]
DEFLATE = 15  # what browsers offer: permessage-deflate with a 32 KB window


class LeanPhone:
    """One phone: a websocket, one namespace, acks matched by id.

    ``on_event(name, data, received_at)`` is called for every server event with the monotonic time
    it arrived (``time.monotonic()``, one clock shared by every process on the machine).
    ``compress`` is the permessage-deflate window the client offers (0: none; a browser offers 15).
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        namespace: str,
        *,
        compress: int = 0,
        raw_events: tuple[str, ...] = (),
        path: str = "/socket.io",
    ) -> None:
        self._http = session
        self._url = base_url.replace("http", "ws", 1).rstrip("/")
        self._path = path.rstrip("/")  # the session's socket (docs/scale.md: several per process)
        self.namespace = namespace
        self.compress = compress
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_ack = 0
        self._connected: asyncio.Future[Any] | None = None
        self._raw = tuple((f'["{name}",', name) for name in raw_events)
        self.on_event: Handler = lambda name, data, at: None
        self.on_raw: RawHandler = lambda name, text, at: None
        self.reader: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    @property
    def deflate(self) -> bool:
        """Whether the server accepted permessage-deflate on this connection."""
        return self._ws is not None and bool(self._ws.compress)

    async def connect(self, auth: dict[str, Any], timeout: float = 30.0) -> Any:
        """Open the websocket and the namespace; returns the server's connect payload."""
        self._ws = await asyncio.wait_for(
            self._http.ws_connect(
                f"{self._url}{self._path}/?EIO=4&transport=websocket",
                autoping=False,
                compress=self.compress,
                timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                max_msg_size=0,
            ),
            timeout,
        )
        opened = await asyncio.wait_for(self._ws.receive(), timeout)
        if not isinstance(opened.data, str) or not opened.data.startswith("0"):
            raise ConnectionError(f"unexpected engine.io open: {opened.data!r}")
        self._connected = asyncio.get_running_loop().create_future()
        # Read even when nobody awaits it any more (a connect given up on): no "never retrieved"
        self._connected.add_done_callback(lambda f: None if f.cancelled() else f.exception())
        await self._ws.send_str(f"40{self.namespace},{json.dumps(auth)}")
        self.reader = asyncio.create_task(self._read())
        return await asyncio.wait_for(self._connected, timeout)

    async def call(self, event: str, data: Any, timeout: float = 30.0) -> Any:
        """Emit ``event`` with an ack and wait for the answer."""
        assert self._ws is not None
        self._next_ack += 1
        ack_id = self._next_ack
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        packet = json.dumps([event, data], ensure_ascii=False, separators=(",", ":"))
        try:
            await self._ws.send_str(f"42{self.namespace},{ack_id}{packet}")
            return await asyncio.wait_for(future, timeout)
        finally:
            self._acks.pop(ack_id, None)
            if future.done() and not future.cancelled():
                future.exception()  # a send that failed as the connection closed: read, not leaked

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)

    async def _read(self) -> None:
        assert self._ws is not None
        prefix = f"{self.namespace},"
        try:
            async for message in self._ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                at = time.monotonic()
                text: str = message.data
                if text == "2":  # engine.io ping: answer or the server drops us
                    await self._ws.send_str("3")
                    continue
                if not text.startswith("4"):
                    continue
                kind, body = text[1], text[2:]
                if body.startswith(prefix):
                    body = body[len(prefix) :]
                self._packet(kind, body, at)
        finally:
            self.closed.set()
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))
            if self._connected is not None and not self._connected.done():
                self._connected.set_exception(ConnectionError("connection closed"))

    def _packet(self, kind: str, body: str, at: float) -> None:
        if kind == "2":
            for start, name in self._raw:
                if body.startswith(start):
                    self.on_raw(name, body, at)
                    return
            name, *args = json.loads(body)
            self.on_event(name, args[0] if args else None, at)
        elif kind == "3":
            split = body.index("[")
            future = self._acks.get(int(body[:split]))
            if future is not None and not future.done():
                result = json.loads(body[split:])
                future.set_result(result[0] if result else None)
        elif kind == "0" and self._connected is not None and not self._connected.done():
            self._connected.set_result(json.loads(body) if body else None)
        elif kind == "4" and self._connected is not None and not self._connected.done():
            self._connected.set_exception(ConnectionRefusedError(body))
