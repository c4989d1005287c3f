"""Hostile input: thousands of random and malformed payloads to every socket event of every
namespace, to the HTTP routes, and below socket.io (raw engine.io / websocket frames).

The server must never die, must answer every socket call with ``{ok: false, error: CODE,
message}`` (or ``ok: true`` for the rare payload that is valid), must leave the session untouched
by everything it refuses (its version does not move), and must not grow without bound.

Hypothesis drives plain synchronous tests; the server and the clients live in one event loop on
a background thread (``Harness``), so each example is one round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import secrets
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import psutil
import pytest
import socketio
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from facilitator.i18n import error_message
from facilitator.server import actions, generic
from facilitator.server.app import CONTEXT, SIO
from facilitator.server.limits import Rate, RateLimiter, RateLimits
from facilitator.session import ErrorCode
from tests.reliability.rel_kit import record_figures
from tests.server.server_kit import Client, Live, start_live

pytestmark = pytest.mark.slow

_T = TypeVar("_T")
EXAMPLES = int(os.environ.get("FACILITATOR_FUZZ_EXAMPLES", "1500"))
# Growth allowed over the whole run, for the whole test process: the server, its clients and
# Hypothesis itself. Most of it is the allocator's high-water mark after 60 KB payloads (glibc
# keeps freed arenas), reached in the first few hundred examples; a leak per payload would pass it
# (Python-level allocations of the server stay flat: see docs/reliability.md).
RSS_BOUND_MB = 128
CODES = {code.value for code in ErrorCode} | {
    "bad_request",
    "unknown_event",
    "text_too_long",
    "invalid_value",
    "not_joined",
    "not_in_queue",
    "rate_limited",
    "storage_error",
}
UNLIMITED = RateLimits(
    events=Rate(10**6, 10**6),
    issue=Rate(10**6, 10**6),
    support=Rate(10**6, 10**6),
    hand=Rate(10**6, 10**6),
)
COUNTS = {"socket": 0, "http": 0, "frames": 0, "accepted": 0}


class Harness:
    """A live server and its clients in an event loop on a thread of their own."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.live: Live = self.run(start_live(folder))
        self.live.server.app[CONTEXT].limits = RateLimiter(UNLIMITED)  # reach past the limits
        self.clients: dict[str, Client] = self.run(self._clients())

    def run(self, coro: Coroutine[Any, Any, _T], timeout: float = 30.0) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _clients(self) -> dict[str, Client]:
        live = self.live
        joined = await live.resident("Fuzz")
        await live.resident("Other")
        await live.command("RaiseIssue", text="路燈", source="moderator")
        await live.command("OpenPoll", question="Q")
        return {
            "joined": joined,
            "fresh": await live.phone(),
            "display": await live.connect("/display", {"v": 1}),
            "moderator": await live.moderator(),
        }

    @property
    def version(self) -> int:
        return self.live.hub.state(self.live.session_id).version

    async def send(self, who: str, event: Any, payload: Any) -> tuple[Any, int, int]:
        """The ack and the session version before and after (one writer: the fuzzer)."""
        before = self.version
        client = self.clients[who]
        ack = await client.sio.call(event, payload, namespace=client.namespace, timeout=10)
        for known in self.clients.values():  # the test's own record of pushes must not grow
            del known.states[:-1], known.mes[:-1]
        return ack, before, self.version

    def close(self) -> None:
        self.run(self.live.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    gc.collect()
    rss = psutil.Process().memory_info().rss
    h = Harness(tmp_path_factory.mktemp("fuzz"))
    try:
        yield h
        # Still alive: a brand-new phone joins and is answered at once.
        phone = h.run(h.live.resident("After"))
        assert phone.me["joined"]
        gc.collect()
        grown_mb = (psutil.Process().memory_info().rss - rss) / 2**20
        record_figures(
            "fuzz",
            socket_payloads=COUNTS["socket"],
            http_requests=COUNTS["http"],
            raw_frames=COUNTS["frames"],
            accepted_as_valid=COUNTS["accepted"],
            server_crashes=0,
            rss_growth_mb=round(grown_mb, 1),
            rss_bound_mb=RSS_BOUND_MB,
        )
        assert grown_mb < RSS_BOUND_MB
    finally:
        h.close()


# --- strategies ----------------------------------------------------------------------------------

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
# Over the 2,000-character limit, yet small enough that a payload fits in one 64 KiB frame
# (bigger frames close the connection: test_an_oversize_frame_closes_only_that_connection).
huge = st.sampled_from(["x" * 2001, "長" * 2001, "🙂" * 2001, "\0" * 2001, " " * 2100])
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    surrogates,
    huge,
)
junk = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
FIELDS = [
    "rid", "text", "name", "poll_id", "choices", "issue_id", "stars", "ref", "action_id", "lang",
    "comment", "building", "unit", "category", "type", "participant_id", "entry_id", "question",
    "counts", "kind", "quorum", "threshold", "into_issue_id", "deadline", "source", "device_key",
]  # fmt: skip
plausible = st.one_of(
    st.text(min_size=1, max_size=12),
    st.just(["yes"]),
    st.integers(1, 5),
    st.sampled_from(["OpenPoll", "CastBallot", "RaiseIssue", "JoinSession", "CheckOut", "x"]),
)
payloads = st.one_of(
    junk,
    st.dictionaries(
        st.sampled_from(FIELDS) | st.text(max_size=10),
        junk | plausible,
        max_size=6,
    ),
    st.fixed_dictionaries(
        {"rid": st.text(min_size=1, max_size=64) | junk},
        optional=dict.fromkeys(FIELDS[1:], junk | plausible),
    ),
    st.binary(max_size=64),
)
EVENTS = [*actions.PHONE_EVENTS, "join", "sync", "set_lang", "command", "connect", "disconnect"]
events = st.sampled_from([*EVENTS, "message", "__proto__", "constructor", "on_sync"]) | st.text(
    max_size=30
)
who = st.sampled_from(["joined", "fresh", "display", "moderator"])


def _fits(payload: Any) -> bool:
    """Whether the payload fits in one frame (python-socketio's client escapes non-ASCII)."""
    try:
        return len(json.dumps(payload)) < wire_frame_budget
    except (TypeError, ValueError):
        return True  # bytes: sent as a binary attachment, small by construction


wire_frame_budget = 60_000


def _check_answer(ack: Any, before: int, after: int) -> None:
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if ack["ok"]:
        COUNTS["accepted"] += 1
        return
    assert ack["error"] in CODES, ack
    assert isinstance(ack["message"], str) and ack["message"], ack
    assert after == before, f"refused ({ack['error']}) but the session moved"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(who=who, event=events, payload=payloads)
def test_every_socket_payload_is_answered_and_refusals_change_nothing(
    harness: Harness, who: str, event: str, payload: Any
) -> None:
    if who == "moderator" and isinstance(payload, dict) and payload.get("type") == "CloseSession":
        payload = {**payload, "type": "Nonsense"}  # a valid close would end the fuzzing early
    assume(_fits(payload))
    COUNTS["socket"] += 1
    _check_answer(*harness.run(harness.send(who, event, payload)))


@settings(max_examples=EXAMPLES // 2, deadline=None, derandomize=True)
@given(
    who=who,
    kind=st.sampled_from(sorted(generic.COMMANDS)),
    fields=st.dictionaries(st.sampled_from(FIELDS[1:]), junk | plausible, max_size=6),
)
def test_every_command_type_with_junk_fields(
    harness: Harness, who: str, kind: str, fields: dict[str, Any]
) -> None:
    kind = "Nonsense" if kind == "CloseSession" else kind
    COUNTS["socket"] += 1
    payload = {**fields, "rid": secrets.token_hex(4), "type": kind}
    assume(_fits(payload))
    _check_answer(*harness.run(harness.send(who, "command", payload)))


# --- HTTP ----------------------------------------------------------------------------------------

paths = st.one_of(
    st.sampled_from(
        ["/", "/go", "/sheet", "/invitations", "/j/", "/i18n/", "/static/", "/socket.io/"]
    ),
    st.builds(
        lambda route, tail: route + tail,
        st.sampled_from(
            ["/j/", "/i18n/", "/static/", "/go?code=", "/sheet?token=", "/invitations?", "/?lang="]
        ),
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="#"), max_size=60)
        | st.sampled_from(
            ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00", "%ff%fe", "a" * 5000]
        ),
    ),
)


async def _http(url: str, method: str, path: str, body: bytes, content_type: str) -> int:
    headers = {"Accept-Language": "xx;q=junk"}
    if content_type:
        headers["Content-Type"] = content_type
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, url + path, data=body, allow_redirects=False, headers=headers
        ) as response,
    ):
        text = await response.read()
        assert b"/etc/passwd" not in text and b"root:" not in text
        return response.status


@settings(max_examples=EXAMPLES // 3, deadline=None, derandomize=True)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]),
    path=paths,
    body=st.binary(max_size=256),
    content_type=st.sampled_from(
        [
            "",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz",  # a form body that breaks its own boundary
            "multipart/form-data",
            "application/json",
        ]
    ),
)
def test_http_routes_never_fail_on_junk(
    harness: Harness, method: str, path: str, body: bytes, content_type: str
) -> None:
    COUNTS["http"] += 1
    try:
        status = harness.run(_http(harness.live.url, method, path, body, content_type))
    except aiohttp.InvalidURL:
        return  # the client refused to send it: nothing reached the server
    assert status < 500, (method, path, status)


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
    COUNTS["frames"] += len(frames)
    harness.run(_raw_session(harness.live.url, frames))
    ack = harness.run(harness.send("joined", "sync", None))[0]
    assert ack["ok"]  # everybody else is still served


async def _invalid_utf8_frame(host: str, port: int) -> bytes:
    """A websocket TEXT frame that is not UTF-8, written by hand (no client library sends one)."""
    reader, writer = await asyncio.open_connection(host, port)
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    writer.write(
        (
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await reader.readuntil(b"\r\n\r\n")
    for body in (b"42/participant,\xff\xfe\xfd", b"\xc3\x28", b"4\xed\xa0\x80"):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(body))
        writer.write(bytes([0x81, 0x80 | len(body)]) + mask + masked)
    await writer.drain()
    try:
        tail = await asyncio.wait_for(reader.read(4096), 5)
    finally:
        writer.close()
    return tail


def test_invalid_utf8_on_the_wire_closes_only_that_connection(harness: Harness) -> None:
    url = harness.live.url.removeprefix("http://")
    host, port = url.rsplit(":", 1)
    harness.run(_invalid_utf8_frame(host, int(port)))
    COUNTS["frames"] += 3
    assert harness.run(harness.send("joined", "sync", None))[0]["ok"]


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
    COUNTS["frames"] += 1
    assert dropped and served
    issues = harness.live.hub.state(harness.live.session_id).issues.values()
    assert not any(i.text.startswith("xxx") for i in issues)
    assert harness.run(harness.send("joined", "sync", None))[0]["ok"]


# --- floods --------------------------------------------------------------------------------------


async def _flood(live: Live, phone: Client, n: int) -> list[Any]:
    calls = [
        phone.sio.call("raise_hand", {"rid": f"f{i}"}, namespace="/participant", timeout=30)
        for i in range(n)
    ]
    return list(await asyncio.gather(*calls))


def test_a_flood_on_one_connection_is_answered_and_limited(harness: Harness) -> None:
    live = harness.live
    ctx = live.server.app[CONTEXT]
    saved, ctx.limits = ctx.limits, RateLimiter(RateLimits())  # the real limits
    try:
        phone = harness.run(live.resident("Flood"))
        before = harness.version
        acks = harness.run(_flood(live, phone, 1000), timeout=60)
    finally:
        ctx.limits = saved
    COUNTS["socket"] += len(acks)
    assert len(acks) == 1000 and all(isinstance(a, dict) for a in acks)
    codes = [a.get("error") for a in acks if not a["ok"]]
    assert sum(1 for a in acks if a["ok"]) == 1  # one hand raised; the rest refused
    assert codes.count("rate_limited") >= 900
    assert harness.version == before + 1


async def _connection_churn(live: Live, n: int, before: int) -> int:
    async def one() -> None:
        phone = await live.phone()
        await phone.close()

    for _ in range(n // 25):
        await asyncio.gather(*(one() for _ in range(25)))
    # the server hears of the last disconnections a moment after the clients close
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(5):
            while live.server.connections > before:
                await asyncio.sleep(0.01)
    return live.server.connections


def test_connection_churn_leaves_nothing_behind(harness: Harness) -> None:
    live = harness.live
    participant = live.server.app[SIO].namespace_handlers["/participant"]
    before = live.server.connections
    keys = live.server.app[CONTEXT].limits.keys
    known = (len(participant.devices), len(participant.joined), len(participant.langs))
    after = harness.run(_connection_churn(live, 200, before), timeout=120)
    COUNTS["socket"] += 200
    assert after == before
    assert live.server.app[CONTEXT].limits.keys <= keys + 1
    assert (len(participant.devices), len(participant.joined), len(participant.langs)) == known


def test_messages_are_translated(harness: Harness) -> None:
    """A refusal's message is the catalog's text, never a raw key (checked for one of each)."""
    ack, _, _ = harness.run(harness.send("joined", "nope", {}))
    assert ack["message"] == error_message(
        "unknown_event", "en", {"event": "nope"}, reader="resident"
    )
