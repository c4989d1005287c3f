"""Guard for facilitator/server/packets.py: what it relies on inside python-socketio and
python-engineio. If one of these fails after an upgrade, read packets.py's docstring and fix it
there; do not just loosen the test."""

from __future__ import annotations

import inspect

import engineio
import socketio
from engineio.async_drivers import aiohttp as eio_aiohttp
from socketio import packet as sio_packet

from facilitator.server.packets import GuardedServer, Malformed, SafePacket


def test_the_overridden_server_methods_are_still_there() -> None:
    for name, params in {
        "_handle_eio_message": ["self", "eio_sid", "data"],
        "_handle_connect": ["self", "eio_sid", "namespace", "data"],
        "_handle_eio_disconnect": ["self", "eio_sid", "reason"],
        "_send_packet": ["self", "eio_sid", "pkt"],
    }.items():
        method = getattr(socketio.AsyncServer, name)
        assert list(inspect.signature(method).parameters) == params, name
        assert getattr(GuardedServer, name) is not method or name == "_send_packet"
    init = inspect.getsource(socketio.base_server.BaseServer.__init__)
    assert "self.eio.on('message', self._handle_eio_message)" in init
    assert "self.eio.on('disconnect', self._handle_eio_disconnect)" in init
    assert "self.packet_class = serializer" in init and "packet_class.json = json" in init


def test_packets_read_their_type_namespace_and_id_before_the_json() -> None:
    """SafePacket keeps those three when the JSON cannot be read."""
    decode = inspect.getsource(sio_packet.Packet.decode)
    assert decode.index("self.id = ") < decode.index("self.json.loads(")
    assert decode.index("self.namespace = ") < decode.index("self.json.loads(")
    packet = SafePacket(encoded_packet="2/participant,7" + "[" * 100 + "]" * 100)
    assert (packet.packet_type, packet.namespace, packet.id) == (2, "/participant", 7)
    assert isinstance(packet.data[0], Malformed)


def test_engineio_drivers_still_have_the_table_guard_transports_wraps() -> None:
    for key in ("translate_request", "make_response", "websocket"):
        assert key in eio_aiohttp._async, key
    handle = inspect.getsource(engineio.AsyncServer.handle_request)
    assert "self._async['translate_request']" in handle.replace('"', "'")
    respond = inspect.getsource(engineio.AsyncServer._make_response)
    assert "self._async['make_response']" in respond.replace('"', "'")
    post = inspect.getsource(engineio.async_socket.AsyncSocket.handle_post_request)
    assert "environ['wsgi.input'].read(" in post.replace('"', "'")
