"""Clients below socket.io: engine.io frames written by hand, over a websocket or long-polling,
for what no socket.io client library would send (10,000-deep JSON, invalid UTF-8, garbage)."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from typing import Any

import aiohttp

PHONE = "/participant"


class RawPhone:
    """A phone speaking engine.io over a websocket: send any text, read the ack of an id."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, frame: str) -> None:
        await self.ws.send_str(frame)

    async def ack(self, ack_id: int, timeout: float = 5.0) -> Any:
        """The payload of the socket.io ACK with ``ack_id`` (pushes in between are skipped)."""
        prefix = f"43{PHONE},{ack_id}["
        async with asyncio.timeout(timeout):
            while True:
                message = await self.ws.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"connection ended: {message.type!r}")
                if message.data.startswith(prefix):
                    return json.loads(message.data[len(prefix) - 1 :])[0]
                if message.data == "2":  # engine.io ping
                    await self.ws.send_str("3")


async def raw_phone(session: aiohttp.ClientSession, url: str) -> RawPhone:
    """A websocket phone connected to ``/participant`` (not joined)."""
    ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
    await ws.receive(timeout=5)  # engine.io "open"
    auth = json.dumps({"v": 1, "token": secrets.token_hex(16), "lang": "zh-Hant"})
    await ws.send_str(f"40{PHONE},{auth}")
    while not (await ws.receive(timeout=5)).data.startswith(f"40{PHONE},"):
        pass
    return RawPhone(ws)


async def polling_phone(session: aiohttp.ClientSession, url: str) -> str:
    """A long-polling engine.io session connected to ``/participant``; returns its URL."""
    async with session.get(f"{url}/socket.io/?EIO=4&transport=polling") as response:
        opened = json.loads((await response.text())[1:])
    where = f"{url}/socket.io/?EIO=4&transport=polling&sid={opened['sid']}"
    auth = json.dumps({"v": 1, "token": secrets.token_hex(16)})
    async with session.post(where, data=f"40{PHONE},{auth}") as response:
        assert response.status == 200
    return where


async def poll_until(session: aiohttp.ClientSession, where: str, needle: str) -> str:
    """Long-poll ``where`` until a reply holds ``needle``; returns that reply."""
    async with asyncio.timeout(10):
        while True:
            async with session.get(where) as response:
                text = await response.text()
            if needle in text:
                return text


async def invalid_utf8_frame(host: str, port: int, body: bytes) -> bytes:
    """Open a websocket by hand, send one TEXT frame of ``body`` (not UTF-8), and return what the
    server sends back before closing (no client library sends such a frame)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await reader.readuntil(b"\r\n\r\n")
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(body))
    writer.write(bytes([0x81, 0x80 | len(body)]) + mask + masked)
    await writer.drain()
    received = b""
    try:
        async with asyncio.timeout(5):
            while chunk := await reader.read(4096):
                received += chunk
    finally:
        writer.close()
    return received


def close_code(received: bytes) -> int | None:
    """The status code of the websocket CLOSE frame in ``received`` (unmasked, from a server)."""
    at = 0
    while at + 2 <= len(received):
        opcode, size = received[at] & 0x0F, received[at + 1] & 0x7F
        head = 2 + (2 if size == 126 else 8 if size == 127 else 0)
        if size >= 126:
            size = int.from_bytes(received[at + 2 : at + head], "big")
        if opcode == 0x8 and size >= 2:
            return int.from_bytes(received[at + head : at + head + 2], "big")
        at += head + size
    return None
