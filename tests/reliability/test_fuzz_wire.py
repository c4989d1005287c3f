"""Hostile input below socket.io: raw engine.io frames, JSON nested up to 10,000 deep, invalid
UTF-8 over long-polling and over a websocket, an oversize frame, and unknown fields in every
event. Every event that carries an ack id is answered; the rest close or refuse only the
connection that sent it; the server serves everyone else throughout."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
import socketio
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.server import actions
from tests.reliability.fuzz_kit import EXAMPLES, Harness, check_answer, served
from tests.server.raw_kit import (
    PHONE,
    close_code,
    invalid_utf8_frame,
    poll_until,
    polling_phone,
    raw_phone,
)
from tests.server.server_kit import Live

pytestmark = pytest.mark.slow

COUNTS = {
    "raw_frames": 0,
    "nested_payloads": 0,
    "invalid_utf8_frames": 0,
    "unknown_field_payloads": 0,
    "accepted_as_valid": 0,
}
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with served(tmp_path_factory.mktemp("fuzz-wire"), "fuzz_wire", COUNTS) as h:
        yield h


# --- below socket.io: raw engine.io packets and websocket frames ---------------------------------


async def _raw_session(url: str, frames: list[str | bytes]) -> None:
    """Open a websocket at the engine.io level, join /participant, then send ``frames``."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket") as ws,
    ):
        await ws.receive(timeout=5)  # engine.io "open"
        token = secrets.token_hex(16)
        await ws.send_str("40/participant," + json.dumps({"v": 1, "token": token}))
        for frame in frames:
            if ws.closed:
                return  # the server may drop a connection that speaks garbage
            if isinstance(frame, bytes):
                await ws.send_bytes(frame)
            else:
                await ws.send_str(frame)


socketio_text = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from(
            ["4", "42", "42/participant,", "43/participant,1", "41/participant,", "2", "6"]
        ),
        st.text(max_size=60) | junk.map(json.dumps),
    ),
    st.sampled_from(
        [
            '42/participant,1["join",{"rid":"r","name":"\\ud800"}]',
            '42/participant,2["disconnect"]',
            '42/participant,3["connect",{},{"v":1,"token":"' + "t" * 20 + '"}]',
            '42/participant,4[{"a":1}]',
            "42/participant,5[]",
            "42/participant,6" + "[" * 3000 + "]" * 3000,
            '452-/participant,7["vote",{"_placeholder":true,"num":0}]',
            "40/moderator,{}",
            "40/nowhere,{}",
            "1",
        ]
    ),
)


@settings(max_examples=max(50, EXAMPLES // 10), deadline=None, derandomize=True)
@given(frames=st.lists(socketio_text | st.binary(max_size=64), min_size=1, max_size=8))
def test_raw_engineio_garbage_never_hurts_the_server(
    harness: Harness, frames: list[str | bytes]
) -> None:
    COUNTS["raw_frames"] += len(frames)
    harness.run(_raw_session(harness.live.url, frames))
    ack = harness.run(harness.send("joined", "sync", None))[0]
    assert ack["ok"]  # everybody else is still served


async def _oversize(live: Live) -> tuple[bool, bool]:
    phone = await live.resident("Big")
    dropped = asyncio.Event()
    phone.sio.on("disconnect", lambda *_: dropped.set(), namespace="/participant")
    with contextlib.suppress(socketio.exceptions.SocketIOError):
        await phone.sio.emit("raise_issue", {"rid": "r", "text": "x" * 70_000}, "/participant")
    async with asyncio.timeout(10):
        await dropped.wait()
    again = await live.resident("Big again")
    return dropped.is_set(), again.me["joined"]


def test_an_oversize_frame_closes_only_that_connection(harness: Harness) -> None:
    """Over 64 KiB, engine.io closes the connection unread: no handler ever sees the payload."""
    dropped, served = harness.run(_oversize(harness.live))
    COUNTS["raw_frames"] += 1
    assert dropped and served
    issues = harness.live.hub.state(harness.live.session_id).issues.values()
    assert not any(i.text.startswith("xxx") for i in issues)
    assert harness.run(harness.send("joined", "sync", None))[0]["ok"]


# --- nesting up to 10,000 deep -------------------------------------------------------------------


def _nest(depth: int, kind: str, leaf: str) -> str:
    if kind == "list":
        return "[" * depth + leaf + "]" * depth
    if kind == "object":
        return '{"k":' * depth + leaf + "}" * depth
    half = depth // 2  # alternating, as a generator of junk would
    return ('[{"k":' * half) + leaf + ("}]" * half)


async def _nested(url: str, frames: list[tuple[int, str]]) -> list[Any]:
    async with aiohttp.ClientSession() as session:
        phone = await raw_phone(session, url)
        answers = []
        for ack_id, frame in frames:
            await phone.send(frame)
            answers.append(await phone.ack(ack_id))
        return answers


@settings(max_examples=max(30, EXAMPLES // 20), deadline=None, derandomize=True)
@given(
    depth=st.integers(1, 10_000) | st.sampled_from([17, 32, 33, 999, 1_000, 1_001, 10_000]),
    kind=st.sampled_from(["list", "object", "mixed"]),
    event=st.sampled_from([*actions.PHONE_EVENTS, "join", "sync", "command", "nope"]),
    where=st.sampled_from(["payload", "packet", "field"]),
)
def test_nesting_to_ten_thousand_is_always_answered(
    harness: Harness, depth: int, kind: str, event: str, where: str
) -> None:
    body = {
        "payload": f'["{event}",{_nest(depth, kind, "1")}]',
        "packet": _nest(depth, kind, f'"{event}"'),
        "field": f'["{event}",{{"rid":"r","text":{_nest(depth, kind, "1")}}}]',
    }[where]
    before = harness.version
    (answer,) = harness.run(_nested(harness.live.url, [(1, f"42{PHONE},1{body}")]))
    COUNTS["nested_payloads"] += 1
    check_answer(answer, before, harness.version, COUNTS)
    if depth > 16:  # the documented limit: deeper is never taken
        assert answer["ok"] is False, answer


# --- invalid UTF-8 -------------------------------------------------------------------------------

invalid_utf8 = st.sampled_from(
    [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]
)


async def _poll_invalid(url: str, bodies: list[bytes]) -> list[int]:
    async with aiohttp.ClientSession() as session:
        where = await polling_phone(session, url)
        statuses = []
        for n, body in enumerate(bodies):
            async with session.post(where, data=body) as response:
                statuses.append(response.status)
            ok = f'42{PHONE},{n}["sync"]'
            async with session.post(where, data=ok) as response:
                statuses.append(response.status)
            assert '"ok":true' in await poll_until(session, where, f"43{PHONE},{n}[")
        return statuses


@settings(max_examples=max(20, EXAMPLES // 30), deadline=None, derandomize=True)
@given(
    bodies=st.lists(
        st.tuples(st.text(max_size=20), invalid_utf8, st.text(max_size=20)).map(
            lambda p: f'42{PHONE},["sync","{p[0]}'.encode() + p[1] + f'{p[2]}"]'.encode()
        ),
        min_size=1,
        max_size=4,
    )
)
def test_invalid_utf8_over_long_polling_is_a_400_and_the_session_goes_on(
    harness: Harness, bodies: list[bytes]
) -> None:
    statuses = harness.run(_poll_invalid(harness.live.url, bodies))
    COUNTS["invalid_utf8_frames"] += len(bodies)
    assert statuses == [400, 200] * len(bodies)


@settings(max_examples=max(10, EXAMPLES // 60), deadline=None, derandomize=True)
@given(prefix=st.sampled_from(["42/participant,", "4", "", "40/participant,"]), bad=invalid_utf8)
def test_invalid_utf8_over_a_websocket_closes_it_with_1007(
    harness: Harness, prefix: str, bad: bytes
) -> None:
    host, port = harness.live.url.removeprefix("http://").rsplit(":", 1)
    received = harness.run(invalid_utf8_frame(host, int(port), prefix.encode() + bad))
    COUNTS["invalid_utf8_frames"] += 1
    assert close_code(received) == 1007
    assert harness.run(harness.send("joined", "sync", None))[0]["ok"]


# --- unknown fields on every event ---------------------------------------------------------------

VALID: dict[str, dict[str, Any]] = {
    "check_in": {},
    "check_out": {},
    "raise_issue": {"text": "路燈"},
    "support": {"issue_id": "i-x"},
    "withdraw": {"issue_id": "i-x"},
    "raise_hand": {},
    "lower_hand": {},
    "vote": {"poll_id": "v-x", "choices": ["yes"]},
    "claim": {"action_id": "t-x"},
    "rate_session": {"stars": 4},
    "rate_delivery": {"ref": "r-x", "stars": 4},
    "join": {"name": "王"},
    "sync": {},
    "set_lang": {"lang": "en"},
    "command": {"type": "CastBallot", "poll_id": "v-x", "choices": ["yes"]},
}
intruders = st.sampled_from(
    ["participant_id", "channel", "admin", "device_key", "at", "__proto__", "seq", "role"]
) | st.text(min_size=1, max_size=12)


@settings(max_examples=max(50, EXAMPLES // 5), deadline=None, derandomize=True)
@given(
    who=st.sampled_from(["joined", "fresh"]),
    event=st.sampled_from(sorted(VALID)),
    extra=st.dictionaries(intruders, junk, min_size=1, max_size=3),
)
def test_an_unknown_field_in_any_event_is_refused(
    harness: Harness, who: str, event: str, extra: dict[str, Any]
) -> None:
    payload = {**VALID[event], "rid": secrets.token_hex(4)}
    extra = {k: v for k, v in extra.items() if k not in payload and k != "type"}
    if event == "command":  # a command's own fields are not unknown to it
        extra.pop("participant_id", None)
    if not extra:
        return
    COUNTS["unknown_field_payloads"] += 1
    ack, before, after = harness.run(harness.send(who, event, {**payload, **extra}))
    check_answer(ack, before, after, COUNTS)
    assert ack["ok"] is False and ack["error"] == "bad_request", (event, extra, ack)
