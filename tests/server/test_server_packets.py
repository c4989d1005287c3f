"""Packets no socket.io library would send are answered, never dropped (docs/protocol.md):
deep nesting, broken JSON, invalid UTF-8 over long-polling and websocket, an unknown namespace."""

from __future__ import annotations

import json

import aiohttp
import pytest

from facilitator.server.packets import MAX_NESTING, SafeJSON, TooDeep, nesting_ok
from tests.server.raw_kit import (
    PHONE,
    close_code,
    invalid_utf8_frame,
    poll_until,
    polling_phone,
    raw_phone,
)
from tests.server.server_kit import Live

DEPTHS = [20, 1_000, 10_000]


def nested(depth: int, kind: str = "list") -> str:
    return "[" * depth + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth


def test_nesting_is_measured_without_recursion() -> None:
    assert nesting_ok(nested(MAX_NESTING)) and not nesting_ok(nested(MAX_NESTING + 1))
    assert nesting_ok('["' + "[" * 5000 + '"]')  # brackets inside a string do not count
    assert nesting_ok('["\\"' + "[" * 5000 + '"]')  # nor after an escaped quote
    assert nesting_ok("[[]," * 3000 + "[]" + "]" * 3000) is False
    assert nesting_ok(json.dumps([[1, 2]] * 5000))  # wide, not deep
    with pytest.raises(TooDeep):
        SafeJSON.loads(nested(100_000))
    assert SafeJSON.loads('{"a": [1, {"b": "[[["}]}') == {"a": [1, {"b": "[[["}]}


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("kind", ["list", "object"])
async def test_deep_nesting_is_answered_bad_request_with_its_ack_id(
    live: Live, depth: int, kind: str
) -> None:
    async with aiohttp.ClientSession() as session:
        phone = await raw_phone(session, live.url)
        await phone.send(f'42{PHONE},7["join",{{"rid":"r","name":{nested(depth, kind)}}}]')
        answer = await phone.ack(7)
        assert answer["ok"] is False and answer["error"] == "bad_request", answer
        assert "請刷新頁面" in answer["message"]  # the phone's language, a plain sentence
        await phone.send(f"42{PHONE},8{nested(depth, kind)}")  # the whole packet is the nest
        assert (await phone.ack(8))["error"] == "bad_request"
        await phone.send(f'42{PHONE},9["sync"]')  # the connection still works
        assert (await phone.ack(9))["ok"] is True


@pytest.mark.parametrize(
    "frame",
    [
        '42/participant,5["join",{"rid":"r",',  # broken JSON
        "42/participant,5{}",  # not [name, payload]
        "42/participant,5[]",
        '42/participant,5"join"',
        "42/participant,5",
    ],
)
async def test_an_unreadable_event_with_an_ack_id_is_answered(live: Live, frame: str) -> None:
    async with aiohttp.ClientSession() as session:
        phone = await raw_phone(session, live.url)
        await phone.send(frame)
        assert (await phone.ack(5))["error"] == "bad_request"


async def test_garbage_below_socketio_keeps_the_connection(live: Live) -> None:
    """What is not socket.io at all has no ack id: it is logged, and the connection goes on."""
    async with aiohttp.ClientSession() as session:
        phone = await raw_phone(session, live.url)
        for frame in ['4{"a":1}', "49", "4zzz", "4" + nested(10_000), "45-", "4[" * 3]:
            await phone.send(frame)
        await phone.send(f'42{PHONE},6["sync"]')
        assert (await phone.ack(6))["ok"] is True


async def test_invalid_utf8_over_long_polling_is_a_400(live: Live) -> None:
    async with aiohttp.ClientSession() as session:
        where = await polling_phone(session, live.url)
        await poll_until(session, where, '"joined":false')  # connected and greeted
        bad = f'42{PHONE},3["sync",'.encode() + b'"\xff\xfe"]'
        async with session.post(where, data=bad) as response:
            assert response.status == 400
        async with session.post(where, data=f'42{PHONE},4["sync"]') as response:
            assert response.status == 200  # nothing of the bad body was taken; the phone goes on
        reply = await poll_until(session, where, f"43{PHONE},4")
        assert '"ok":true' in reply and f"43{PHONE},3" not in reply


async def test_deep_nesting_over_long_polling_is_answered(live: Live) -> None:
    async with aiohttp.ClientSession() as session:
        where = await polling_phone(session, live.url)
        async with session.post(where, data=f"42{PHONE},5{nested(10_000)}") as response:
            assert response.status == 200
        reply = await poll_until(session, where, f"43{PHONE},5")
        assert '"error":"bad_request"' in reply


async def test_invalid_utf8_over_a_websocket_closes_with_1007(live: Live) -> None:
    host, port = live.url.removeprefix("http://").rsplit(":", 1)
    received = await invalid_utf8_frame(host, int(port), b"42/participant,\xff\xfe\xfd")
    assert close_code(received) == 1007  # invalid frame payload data (RFC 6455)
    phone = await live.resident("之後")  # everybody else is served
    assert phone.me["joined"]


async def test_an_unknown_namespace_is_answered_in_the_protocols_form(live: Live) -> None:
    client = await live.connect("/nowhere", {"v": 1, "lang": "en"})
    assert client.refused == [
        {
            "ok": False,
            "error": "unknown_namespace",
            "message": "This page cannot reach the session. Please reload it.",
        }
    ]
