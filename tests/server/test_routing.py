"""Routing by session (server/routing.py): /j/CODE on a process that does not own the session.

The decision itself as a pure function, then over HTTP against a real server whose database holds
a second session, claimed (or not) as another process would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.agenda import SessionKind
from facilitator.place_hub import PlaceHub
from facilitator.server.routing import Route, Where, route
from facilitator.services import session_command
from facilitator.session.values import Phase
from facilitator.store import EventStore, LiveOwner, SessionInfo
from tests.server.intake_kit import create_place
from tests.server.server_kit import AGENDA, Live, start_live

NOW = dt.datetime(2026, 12, 4, 19, 30, tzinfo=dt.UTC)
INFO = SessionInfo(
    session_id="s-b",
    created_at=NOW,
    kind=SessionKind.SQUARE_TALK,
    title="停車收費",
    date=None,
    place="heping",
    join_code="BBBBBB",
    numeric_code="2602",
    phase=Phase.OPEN,
)
OWNER = LiveOwner(4242, "district-2", NOW, "0.0.0.0", 8082, "http://10.0.0.2:8082")


def test_the_owner_serves_its_own_session() -> None:
    found = route(INFO, None, here={"s-b"}, own_url="http://10.0.0.1:8081")
    assert found == Route(Where.HERE, INFO)


def test_another_owner_gets_a_redirect_to_its_announced_url() -> None:
    found = route(INFO, OWNER, here={"s-a"}, own_url="http://10.0.0.1:8081")
    assert found == Route(Where.ELSEWHERE, INFO, "http://10.0.0.2:8082/j/BBBBBB")
    assert route(INFO, OWNER, here=()).url == "http://10.0.0.2:8082/j/BBBBBB"
    slash = dataclasses.replace(OWNER, url="https://b.district.example/")
    assert route(INFO, slash, here=()).url == "https://b.district.example/j/BBBBBB"


def test_nobody_serving_it_or_an_owner_still_starting_is_not_live() -> None:
    assert route(INFO, None, here={"s-a"}).where is Where.NOT_LIVE
    starting = dataclasses.replace(OWNER, url="", port=None, host="")
    assert route(INFO, starting, here={"s-a"}).where is Where.NOT_LIVE
    closed = dataclasses.replace(INFO, phase=Phase.CLOSED)
    assert route(closed, OWNER, here={"s-a"}).where is Where.NOT_LIVE


def test_an_unknown_code_is_unknown() -> None:
    assert route(None, OWNER, here={"s-a"}) == Route(Where.UNKNOWN)


def test_the_owner_reached_through_a_shared_name_sends_the_phone_to_its_own_name() -> None:
    own = "https://a.district.example"
    shared = route(INFO, None, here={"s-b"}, own_url=own, forwarded_host="district.example")
    assert shared == Route(Where.ELSEWHERE, INFO, "https://a.district.example/j/BBBBBB")
    direct = route(INFO, None, here={"s-b"}, own_url=own, forwarded_host="A.district.example")
    assert direct.where is Where.HERE
    assert route(INFO, None, here={"s-b"}, own_url=own).where is Where.HERE


@given(
    here=st.sampled_from([(), ("s-a",), ("s-b",), ("s-a", "s-b")]),
    owned=st.booleans(),
    forwarded=st.sampled_from(["", "district.example", "a.district.example"]),
    phase=st.sampled_from(list(Phase)),
)
def test_a_process_serves_only_its_own_session_and_redirects_only_to_an_owner(
    here: tuple[str, ...], owned: bool, forwarded: str, phase: Phase
) -> None:
    session = dataclasses.replace(INFO, phase=phase)
    own = "https://a.district.example"
    found = route(
        session, OWNER if owned else None, here=here, own_url=own, forwarded_host=forwarded
    )
    if found.where is Where.HERE:
        assert session.session_id in here
    if found.where is Where.ELSEWHERE:
        assert found.url in (f"{own}/j/BBBBBB", f"{OWNER.url}/j/BBBBBB")
        assert found.url.startswith(own) == (session.session_id in here)
    if session.session_id not in here and not owned:
        assert found.where is Where.NOT_LIVE


# --- over HTTP ------------------------------------------------------------------------------


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Live, SessionInfo, aiohttp.ClientSession]]:
    """A served session A and, in the same database, a second session B of the place heping."""
    live = await start_live(tmp_path)
    with PlaceHub.open(str(tmp_path / "facilitator.db")) as places:
        create_place(places)
    command = session_command(
        dataclasses.replace(AGENDA, title="停車收費", place="heping"), live.store
    )
    live.hub.create(command)
    other = live.store.get_session(command.session_id)
    async with aiohttp.ClientSession() as http:
        try:
            yield live, other, http
        finally:
            await live.close()


def me_elsewhere(url: str) -> LiveOwner:
    """This test process as the owner of B (alive, on this machine), serving at ``url``."""
    now = dt.datetime.now().astimezone()
    return LiveOwner(os.getpid(), socket.gethostname(), now).serving("0.0.0.0", 8082, url)


async def test_a_session_owned_elsewhere_is_redirected_there_with_its_query(
    tmp_path: Path, two: tuple[Live, SessionInfo, aiohttp.ClientSession]
) -> None:
    live, other, http = two
    with EventStore.open(tmp_path / "facilitator.db") as store:
        owner = me_elsewhere("http://10.0.0.2:8082")
        with store.claim_live(other.session_id, owner) as claim:
            claim.announce(owner)
            url = f"{live.url}/j/{other.join_code}?b=3號樓&lang=en"
            async with http.get(url, allow_redirects=False) as answer:
                assert answer.status == 307
                location = answer.headers["Location"]
                assert location.startswith(f"http://10.0.0.2:8082/j/{other.join_code}?")
                assert "lang=en" in location and answer.headers["Cache-Control"] == "no-store"
            async with http.get(f"{live.url}/live/{other.numeric_code}") as answer:
                assert answer.headers["Access-Control-Allow-Origin"] == "*"
                body = await answer.json()
                assert body == {"live": True, "url": f"http://10.0.0.2:8082/j/{other.join_code}"}
            async with http.get(
                f"{live.url}/go?code={other.numeric_code}", allow_redirects=False
            ) as answer:
                assert answer.status == 302
                assert answer.headers["Location"] == f"/j/{other.join_code}"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "not live right now"), ("zh-Hant", "現在沒有進行"), ("zh-Hans", "现在没有进行")],
)
async def test_a_session_nobody_serves_is_said_plainly_with_the_public_page(
    two: tuple[Live, SessionInfo, aiohttp.ClientSession], lang: str, words: str
) -> None:
    live, other, http = two
    async with http.get(f"{live.url}/j/{other.join_code}?lang={lang}") as answer:
        assert answer.status == 503 and answer.headers["Retry-After"] == "5"
        page = await answer.text()
    assert words in page and '<script src="/static/waiting.js"' in page  # looks again
    assert 'href="/p/heping?lang=' in page and "停車收費" in page
    async with http.get(f"{live.url}/p/heping") as public:  # the link leads somewhere real
        assert public.status == 200
    async with http.get(f"{live.url}/live/{other.join_code}") as answer:
        assert await answer.json() == {"live": False}
    async with http.get(f"{live.url}/d/{other.join_code}?lang={lang}") as answer:
        assert answer.status == 503 and words in await answer.text()


async def test_own_unknown_and_forwarded_requests(
    two: tuple[Live, SessionInfo, aiohttp.ClientSession],
) -> None:
    live, _, http = two
    join = live.hub.state(live.session_id).join_code
    async with http.get(f"{live.url}/j/{join}") as answer:
        assert answer.status == 200
        page = await answer.text()
    start = page.index('<script id="config" type="application/json">') + 44
    config = json.loads(page[start : page.index("</script>", start)])
    assert config == {"code": join, "fallback": "", "socket": "/socket.io"}
    async with http.get(f"{live.url}/j/NOSUCH") as answer:
        assert answer.status == 404
    async with http.get(f"{live.url}/d/{join}", allow_redirects=False) as answer:
        assert answer.status == 302 and answer.headers["Location"] == "/display"
    async with http.get(f"{live.url}/live/NOSUCH") as answer:
        assert answer.status == 404 and (await answer.json())["live"] is False
    shared = {"X-Forwarded-Host": "district.example"}
    async with http.get(f"{live.url}/j/{join}", headers=shared, allow_redirects=False) as answer:
        assert answer.status == 307 and answer.headers["Location"] == f"{live.url}/j/{join}"
    async with http.get(f"{live.url}/live/{join}") as answer:
        assert await answer.json() == {"live": True, "url": f"{live.url}/j/{join}"}
