"""Websocket frames as a server writes them (RFC 6455 §5.2): final, unmasked, uncompressed.

The fast fan-out (fanout.py) writes one encoded frame to thousands of transports, and the lean
websocket session (leanws.py) frames each packet it sends; both write the bytes themselves
rather than through aiohttp's writer, which frames the message again for every socket.
"""

from __future__ import annotations

import struct


def _frame(opcode: int, payload: bytes) -> bytes:
    size = len(payload)
    first = 0x80 | opcode  # FIN, no extension bits
    if size < 126:
        header = struct.pack("!BB", first, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", first, 126, size)
    else:
        header = struct.pack("!BBQ", first, 127, size)
    return header + payload


def text_frame(payload: bytes) -> bytes:
    """One text frame carrying ``payload`` (UTF-8 text)."""
    return _frame(0x1, payload)


def binary_frame(payload: bytes) -> bytes:
    """One binary frame carrying ``payload``."""
    return _frame(0x2, payload)
