"""Hostile input: thousands of random and malformed payloads to every socket event of every
namespace, to the HTTP routes, and below socket.io (raw engine.io / websocket frames).

The server must never die, must answer every socket call with ``{ok: false, error: CODE,
message}`` (or ``ok: true`` for the rare payload that is valid), must leave the session untouched
by everything it refuses (its version does not move), and must not grow without bound.

Hypothesis drives plain synchronous tests; the server and the clients live in one event loop on
a background thread (``fuzz_kit.Harness``), so each example is one round trip. Below socket.io
(raw frames, deep nesting, invalid UTF-8, unknown fields): ``test_fuzz_wire.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from facilitator.i18n import error_message
from facilitator.server import actions, generic
from facilitator.server.app import CONTEXT, SIO
from facilitator.server.limits import RateLimiter, RateLimits
from tests.reliability.fuzz_kit import EXAMPLES, Harness, check_answer, served
from tests.server.server_kit import Client, Live

pytestmark = pytest.mark.slow

COUNTS = {"socket_payloads": 0, "http_requests": 0, "accepted_as_valid": 0}


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with served(tmp_path_factory.mktemp("fuzz"), "fuzz", COUNTS) as h:
        yield h


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
    COUNTS["socket_payloads"] += 1
    check_answer(*harness.run(harness.send(who, event, payload)), COUNTS)


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
    COUNTS["socket_payloads"] += 1
    payload = {**fields, "rid": secrets.token_hex(4), "type": kind}
    assume(_fits(payload))
    check_answer(*harness.run(harness.send(who, "command", payload)), COUNTS)


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
    COUNTS["http_requests"] += 1
    try:
        status = harness.run(_http(harness.live.url, method, path, body, content_type))
    except aiohttp.InvalidURL:
        return  # the client refused to send it: nothing reached the server
    assert status < 500, (method, path, status)


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
    COUNTS["socket_payloads"] += len(acks)
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
    COUNTS["socket_payloads"] += 200
    assert after == before
    assert live.server.app[CONTEXT].limits.keys <= keys + 1
    assert (len(participant.devices), len(participant.joined), len(participant.langs)) == known


def test_messages_are_translated(harness: Harness) -> None:
    """A refusal's message is the catalog's text, never a raw key (checked for one of each)."""
    ack, _, _ = harness.run(harness.send("joined", "nope", {}))
    assert ack["message"] == error_message(
        "unknown_event", "en", {"event": "nope"}, reader="resident"
    )
