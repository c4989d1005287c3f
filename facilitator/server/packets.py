"""Below the namespaces: engine.io and socket.io packets from clients nobody vouches for.

python-socketio decodes a packet before any handler runs, and a packet it cannot decode is
logged with a traceback and dropped: the client waits for an answer forever. Here:

* :data:`SafeJSON` is the ``json=`` module of the server (python-socketio and python-engineio
  both take it; python-engineio keeps it on its packet class, so for the whole process — it
  parses everything else exactly as ``json`` does): it measures a text's nesting *before*
  parsing and refuses more than :data:`MAX_NESTING` levels with :class:`TooDeep` (a
  ``ValueError``), where the standard parser recurses until ``RecursionError`` (about 1,000
  levels).
* :class:`SafePacket` (the server's ``serializer``) turns an event whose JSON is too deep,
  broken, or not ``[name, ...]`` into the event :class:`Malformed`, with the packet's namespace
  and ack id kept: the namespace answers it ``bad_request`` like any other malformed request.
* :class:`GuardedServer` catches what cannot be answered at all (a packet that is not socket.io,
  a stray attachment) as one line of :class:`~facilitator.server.badinput.BadInputLog`, not a
  traceback; answers a connection to a namespace that does not exist in the project's
  ``{ok, error, message}`` form; and refuses a long-polling POST whose body is not UTF-8 with
  400 (engine.io would answer 200 and drop it). A websocket text frame that is not UTF-8 never
  gets this far: aiohttp closes the connection with 1007 (invalid frame payload data).

The two overridden methods of ``socketio.AsyncServer`` (``_handle_eio_message``,
``_handle_connect``, ``_handle_eio_disconnect``) and the driver's ``translate_request``,
``make_response`` and websocket class (``guard_transports``) are the only reaches into
python-socketio / python-engineio outside ``fanout.py``; ``tests/server/test_fanout_guard.py``
checks they are still where this module expects them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import socketio
from socketio import packet as sio_packet

from facilitator.i18n import error_message, normalize_lang
from facilitator.server.badinput import BadInputLog

MAX_NESTING = 32  # a request's deepest field is a few levels down; this is generous
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """A JSON text nested deeper than :data:`MAX_NESTING`."""


def nesting_ok(text: str) -> bool:
    """Whether ``text`` (JSON) opens at most :data:`MAX_NESTING` arrays/objects at once.

    Counted without parsing and without recursion: strings are skipped, then brackets counted
    until the limit is passed, so a 64 KiB text of ``[`` costs microseconds, not a stack.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return True
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return False
        else:
            depth -= 1
    return True


class SafeJSON:
    """The standard ``json`` module, except that ``loads`` refuses deep nesting first."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text: str | bytes, **kwargs: Any) -> Any:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8")
        if not nesting_ok(text):
            raise TooDeep(f"JSON nested deeper than {MAX_NESTING}")
        return json.loads(text, **kwargs)


class Malformed(str):
    """The event name given to a socket.io event that could not be read; the text says why.

    Decoded JSON only ever holds plain ``str``, so no client can send this type."""


_EVENTS = (sio_packet.EVENT, sio_packet.BINARY_EVENT)


class SafePacket(sio_packet.Packet):  # type: ignore[misc]
    """socket.io packets decoded with :data:`SafeJSON`; an unreadable event becomes
    :class:`Malformed` instead of an exception, so it can still be answered."""

    json = SafeJSON

    def decode(self, encoded_packet: Any) -> int:
        try:
            count: int = super().decode(encoded_packet) or 0
        except (TooDeep, json.JSONDecodeError, UnicodeDecodeError) as error:
            # The type, namespace and ack id were read before the JSON: keep them.
            if self.packet_type not in _EVENTS:
                raise
            reason = "nested too deeply" if isinstance(error, TooDeep) else "not valid JSON"
            self.data = [Malformed(reason)]
            return _attachments(encoded_packet)
        if self.packet_type in _EVENTS and not (isinstance(self.data, list) and self.data):
            self.data = [Malformed("an event must be a list: [name, payload]")]
        return count


def _attachments(encoded: str) -> int:
    """The attachment count of a binary event packet (``51-/ns,...``), as python-socketio reads
    it; 0 for any other packet."""
    head, dash, _ = encoded[1:12].partition("-")
    return int(head) if dash and head.isdigit() else 0


def remote_address(environ: dict[str, Any] | None) -> str:
    """The client's address from a request's environ (the aiohttp request it came from)."""
    if not environ:
        return ""
    request = environ.get("aiohttp.request")
    remote = getattr(request, "remote", None) or environ.get("REMOTE_ADDR", "")
    return str(remote)


class GuardedServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's server, answering what it would drop and logging bad input briefly."""

    def __init__(self, bad_input: BadInputLog, **options: Any) -> None:
        super().__init__(serializer=SafePacket, json=SafeJSON, **options)
        self.bad_input = bad_input

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, IndexError, KeyError) as error:
            # Not a socket.io packet this server can read: there is no ack id to answer.
            self.bad_input.note(
                "unreadable packet",
                f"{type(error).__name__}: {error}",
                address=remote_address(self.environ.get(eio_sid)),
                connection=eio_sid,
            )

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        name = namespace or "/"
        if name in self.namespace_handlers or name in self.handlers:
            await super()._handle_connect(eio_sid, namespace, data)
            return
        auth = data if isinstance(data, dict) else {}
        lang = normalize_lang(auth.get("lang") if isinstance(auth.get("lang"), str) else None)
        self.bad_input.note(
            "unknown namespace",
            name[:64],
            address=remote_address(self.environ.get(eio_sid)),
            connection=eio_sid,
        )
        refusal = {
            "ok": False,
            "error": "unknown_namespace",
            "message": error_message("unknown_namespace", lang, reader="resident"),
        }
        await self._send_packet(
            eio_sid, self.packet_class(sio_packet.CONNECT_ERROR, data=refusal, namespace=name)
        )

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any) -> None:
        try:
            await super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            self.bad_input.forget(eio_sid)  # its address keeps its own counters


# --- long-polling bodies -------------------------------------------------------------------------


_REFUSED = "facilitator.refused_body"  # set in a request's environ when its body was refused


class _CheckedBody:
    """A long-polling request's body stream that keeps back bytes that are not UTF-8.

    engine.io decodes the body as UTF-8 inside a bare ``except`` that logs a traceback, answers
    200 and drops the packets (and its ``EngineIOError`` path closes the session only once the
    client polls again, holding the request until then). Here such a body reads as empty (no
    packets: nothing happens) and the request is marked, so ``make_response`` answers 400; the
    engine.io session goes on.
    """

    def __init__(self, environ: dict[str, Any], bad_input: BadInputLog, address: str) -> None:
        self._environ = environ
        self._stream = environ["wsgi.input"]
        self._bad_input = bad_input
        self._address = address

    async def read(self, size: int = -1) -> bytes:
        body: bytes = await self._stream.read(size)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            self._bad_input.note("invalid UTF-8 (long-polling)", str(error), address=self._address)
            self._environ[_REFUSED] = True
            return b""
        return body


def guard_transports(sio: GuardedServer) -> None:
    """Make this server's engine.io refuse long-polling bodies that are not UTF-8 (400), and
    close a websocket that sends an empty frame (engine.io has no empty packet, and fails on one
    outside its own error handling: a traceback per frame). Call after ``fanout.install``: it
    wraps whichever websocket class is installed."""
    translate = sio.eio._async["translate_request"]
    respond = sio.eio._async["make_response"]
    websocket = sio.eio._async["websocket"]

    class Websocket(websocket):  # type: ignore[misc,valid-type]
        async def wait(self) -> Any:
            data = await super().wait()
            if data == "":
                # As the driver does for a frame it cannot take: the connection ends, and the
                # phone reconnects as itself.
                raise OSError("empty websocket frame")
            return data

    def translate_request(request: Any) -> dict[str, Any]:
        environ: dict[str, Any] = translate(request)
        if request.method == "POST":
            address = str(request.remote or "")
            environ["wsgi.input"] = _CheckedBody(environ, sio.bad_input, address)
        return environ

    def make_response(status: str, headers: Any, payload: bytes, environ: Any) -> Any:
        if isinstance(environ, dict) and environ.get(_REFUSED):
            status, payload = "400 BAD REQUEST", b'"body is not UTF-8"'
        return respond(status, headers, payload, environ)

    sio.eio._async = {
        **sio.eio._async,
        "translate_request": translate_request,
        "make_response": make_response,
        "websocket": Websocket,
    }
