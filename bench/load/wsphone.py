"""A phone that costs its generator as little as possible: socket.io on a bare asyncio protocol.

``bench/lean.py`` runs one reader task per phone on an aiohttp websocket: every message wakes a
task, goes through aiohttp's reader queue and becomes a ``WSMessage``; at 5,000 phones and ten
snapshots a second that was ~27 µs of the generator's CPU per received message, and its core
saturated before the server's did. Here a phone is an :class:`asyncio.Protocol`: the websocket
handshake and frames (RFC 6455) are handled in ``buffer_updated`` as the bytes arrive, with no task
and no queue, and a snapshot is handed over as the bytes of its packet, undecoded, to whoever
reads the one number it needs.

It speaks what a phone needs of Engine.IO 4 / Socket.IO 5 over a websocket — open, namespace
connect, events with acks, pings — and nothing else (no long-polling, no binary attachments).
Like a browser it offers permessage-deflate; if a server accepts, messages are inflated.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

RawHandler = Callable[[str, bytes, float], None]
OFFER_DEFLATE = "permessage-deflate; client_max_window_bits"  # what Chromium sends

_TEXT, _CLOSE, _PING, _CONTINUATION = 0x1, 0x8, 0x9, 0x0


class Counter:
    """Messages received by every phone of this process (the generator's cost is per message)."""

    received = 0


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked frame, as a client must send it (RFC 6455 §5.3)."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0xFE, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0xFF, size)
    key = os.urandom(4)
    if not size:
        return header + key
    mask = int.from_bytes((key * (size // 4 + 1))[:size], "little")
    masked = (int.from_bytes(payload, "little") ^ mask).to_bytes(size, "little")
    return header + key + masked


_SHARED = bytearray(1 << 16)  # every phone reads into this, one at a time, and parses at once
_SHARED_VIEW = memoryview(_SHARED)


class WirePhone(asyncio.BufferedProtocol):
    """One phone's websocket and namespace; acks matched by id; snapshots handed over raw.

    ``on_raw(name, packet, received_at)`` gets, for the events named in ``raw_events``, the bytes
    of the packet (``["state",{...}]``) and the monotonic time the bytes arrived.
    """

    def __init__(
        self, base_url: str, namespace: str, *, deflate: bool = True, raw_events: tuple[str, ...]
    ) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.namespace = namespace
        self.offer_deflate = deflate
        self.deflate = False  # whether the server accepted it
        self._inflate: Any = None
        self._fresh_inflate = False  # server_no_context_takeover: a new inflater per message
        self._raw = tuple((f'["{name}",'.encode(), name) for name in raw_events)
        self._prefix = f"{namespace},".encode()
        self.on_raw: RawHandler = lambda name, packet, at: None
        self.transport: asyncio.Transport | None = None
        self._buffer = b""
        self._upgraded = False
        self._fragments: list[bytes] = []
        self._opened: asyncio.Future[None] | None = None
        self._connected: asyncio.Future[Any] | None = None
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_ack = 0
        self.closed = asyncio.Event()

    # --- the caller's side -------------------------------------------------------------------

    async def connect(self, auth: dict[str, Any], timeout: float = 30.0) -> Any:
        """Open the websocket and the namespace; returns the server's connect payload."""
        loop = asyncio.get_running_loop()
        self._opened = loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, self.host, self.port), timeout)
        assert self.transport is not None
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        )
        if self.offer_deflate:
            request += f"Sec-WebSocket-Extensions: {OFFER_DEFLATE}\r\n"
        self.transport.write((request + "\r\n").encode())
        await asyncio.wait_for(self._opened, timeout)
        self._connected = loop.create_future()  # only now: a failure before is _opened's
        self.send_text(f"40{self.namespace},{json.dumps(auth)}")
        return await asyncio.wait_for(self._connected, timeout)

    def send_text(self, text: str) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(_TEXT, text.encode()))

    async def call(self, event: str, data: Any, timeout: float = 30.0) -> Any:
        """Emit ``event`` with an ack and wait for the answer."""
        self._next_ack += 1
        ack_id = self._next_ack
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        packet = json.dumps([event, data], ensure_ascii=False, separators=(",", ":"))
        self.send_text(f"42{self.namespace},{ack_id}{packet}")
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._acks.pop(ack_id, None)

    async def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(_CLOSE, struct.pack("!H", 1000)))
            self.transport.close()
        await self.closed.wait()

    # --- asyncio's side ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        error = ConnectionError("connection closed")
        for future in (self._opened, self._connected, *self._acks.values()):
            if future is not None and not future.done():
                future.set_exception(error)

    def get_buffer(self, sizehint: int) -> memoryview:
        # asyncio's plain protocols get a fresh 256 KB bytes object for every read (and shrink
        # it); all phones share one buffer here, parsed before the next read can happen.
        return _SHARED_VIEW

    def buffer_updated(self, nbytes: int) -> None:
        at = asyncio.get_running_loop().time()  # time.monotonic(): asyncio's clock
        data = bytes(_SHARED_VIEW[:nbytes])
        if self._buffer:
            data = self._buffer + data
        at_byte = 0 if self._upgraded else self._handshake(data)
        if at_byte < 0:
            self._buffer = data
            return
        end = len(data)
        while end - at_byte >= 2:
            first, second = data[at_byte], data[at_byte + 1]
            size, start = second & 0x7F, at_byte + 2
            if size == 126:
                if end - at_byte < 4:
                    break
                size, start = int.from_bytes(data[at_byte + 2 : at_byte + 4], "big"), at_byte + 4
            elif size == 127:
                if end - at_byte < 10:
                    break
                size, start = int.from_bytes(data[at_byte + 2 : at_byte + 10], "big"), at_byte + 10
            if end - start < size:
                break
            at_byte = start + size
            self._frame(first, data[start:at_byte], at)
        self._buffer = data[at_byte:]

    # --- the wire ----------------------------------------------------------------------------

    def _handshake(self, data: bytes) -> int:
        """Read the server's 101 answer; returns where the frames start, or -1 for more bytes."""
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            return -1
        status, *headers = data[:head_end].decode("latin-1").split("\r\n")
        if " 101 " not in f"{status} ":
            self._fail(ConnectionError(f"websocket refused: {status}"))
            return -1
        for line in headers:
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-extensions" and "deflate" in value:
                self.deflate = True
                self._fresh_inflate = "server_no_context_takeover" in value
                self._inflate = zlib.decompressobj(-15)
        self._upgraded = True
        return head_end + 4

    def _frame(self, first: int, payload: bytes, at: float) -> None:
        opcode = first & 0x0F
        if opcode == _CONTINUATION or not first & 0x80:  # a fragmented message
            self._fragments.append(payload)
            if not first & 0x80:
                return
            payload, self._fragments = b"".join(self._fragments), []
        if first & 0x40 and self._inflate is not None:  # RSV1: a deflated message
            if self._fresh_inflate:
                self._inflate = zlib.decompressobj(-15)
            payload = self._inflate.decompress(payload + b"\x00\x00\xff\xff")
        if opcode == _CLOSE:
            if self.transport is not None:
                self.transport.close()
        elif opcode == _PING and self.transport is not None:
            self.transport.write(client_frame(0xA, payload))
        else:
            Counter.received += 1
            self._message(payload, at)

    def _message(self, text: bytes, at: float) -> None:
        if text == b"2":  # engine.io ping: answer or the server drops us
            self.send_text("3")
            return
        if text[:1] == b"0" and self._opened is not None and not self._opened.done():
            self._opened.set_result(None)  # engine.io open
            return
        if text[:1] != b"4" or len(text) < 2:
            return
        kind, body = text[1:2], text[2:]
        if body.startswith(self._prefix):
            body = body[len(self._prefix) :]
        if kind == b"2":
            for start, name in self._raw:
                if body.startswith(start):
                    self.on_raw(name, body, at)
                    return
        elif kind == b"3":
            split = body.index(b"[")
            future = self._acks.get(int(body[:split]))
            if future is not None and not future.done():
                result = json.loads(body[split:])
                future.set_result(result[0] if result else None)
        elif kind == b"0" and self._connected is not None and not self._connected.done():
            self._connected.set_result(json.loads(body) if body else None)
        elif kind == b"4":
            self._fail(ConnectionRefusedError(body.decode(errors="replace")))

    def _fail(self, error: Exception) -> None:
        for future in (self._opened, self._connected):
            if future is not None and not future.done():
                future.set_exception(error)
        if self.transport is not None:
            self.transport.close()
