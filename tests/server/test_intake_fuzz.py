"""Junk at every route of a place (intake, public page, staff API): always an answer below 500,
with a code when it is JSON; nothing leaks a file."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.intake_kit import PlaceServer, serve_place

pytestmark = pytest.mark.slow

ROUTES = [
    "/b/b1", "/api/b/b1", "/api/b/b1/requests", "/api/b/b1/support", "/api/b/b1/mine",
    "/p/heping", "/api/p/heping", "/api/p/heping/rate", "/p/heping/minutes/x.html",
    "/api/staff/heping/requests", "/api/staff/heping/requests/1/accept",
    "/api/staff/heping/requests/1/fix", "/api/staff/heping/items/r1/feedback",
    "/api/staff/photo/", "/b/", "/api/b/", "/p/", "/api/staff/",
    "/api/staff/login", "/api/staff/logout", "/api/staff/me",
]  # fmt: skip
TAILS = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="#?"), max_size=40)


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PlaceServer, str]]:
    """A place served from a loop in its own thread, so hypothesis can drive it synchronously."""
    loop = asyncio.new_event_loop()
    ready: Future[tuple[PlaceServer, str]] = Future()
    stop = asyncio.Event()

    async def serve() -> None:
        async with serve_place(tmp_path_factory.mktemp("fuzz")) as served:
            await served.phone().raise_("路燈壞了")
            ready.set_result((served, served.server.staff_token))
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    yield ready.result(timeout=30)
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=10)


def send(url: str, method: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    route=st.sampled_from(ROUTES),
    tail=st.sampled_from(["", "", "/x", "%00", "/../../etc/passwd", "?lang=xx"]) | TAILS,
    body=st.binary(max_size=200)
    | st.sampled_from(
        [
            b'{"text": null}',
            b'{"number": 1e99}',
            b'{"stars": "5"}',
            b"[]",
            b'{"name": "x", "secret": "y"}',
            b'{"name": ["x"], "secret": {}}',
        ]
    ),
    content_type=st.sampled_from(["", "application/json", "multipart/form-data; boundary=zz"]),
    device=st.sampled_from(["", "a" * 20, "短", "x" * 500]),
    staff=st.booleans(),
)
def test_junk_never_breaks_a_place(  # noqa: PLR0917 - one argument per strategy
    place: tuple[PlaceServer, str],
    method: str,
    route: str,
    tail: str,
    body: bytes,
    content_type: str,
    device: str,
    staff: bool,
) -> None:
    served, token = place
    headers = {"Content-Type": content_type} if content_type else {}
    if device:
        headers["X-Device"] = device.encode("utf-8").decode("latin-1")
    if staff:
        headers["Authorization"] = f"Bearer {token}"
    try:
        status, text = send(served.url + route + urllib.parse.quote(tail, safe="/%?="),
                            method, body, headers)  # fmt: skip
    except (ValueError, UnicodeEncodeError):
        return  # the client refused to send it
    assert status < 500, (method, route, tail, status)
    assert b"root:" not in text
    if text.startswith(b"{"):
        answer = json.loads(text)
        assert answer["ok"] or (answer["error"] and answer["message"])


def test_the_place_still_works_after_the_junk(place: tuple[PlaceServer, str]) -> None:
    served, _ = place
    status, text = send(served.url + "/api/b/b1", "GET", b"", {})
    assert status == 200 and json.loads(text)["ok"]
    assert Path(served.ctx.photos).parent.exists()
