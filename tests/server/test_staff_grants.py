"""Hypothesis over random grants, through a real server on 127.0.0.1: whatever an account's role,
places and state, each place's staff routes answer it exactly as the grants say."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.intake import commands as c
from facilitator.place_hub.staff import StaffDirectory
from tests.server.intake_kit import FAST_SCRYPT, NOW, PlaceServer, serve_place

PLACES = ("heping", "anle", "xinghe")
_names = itertools.count()


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PlaceServer, StaffDirectory]]:
    """Three places served from a loop in its own thread (so Hypothesis drives it synchronously),
    and the accounts reached through a connection of their own, as `facilitator staff` would."""
    loop = asyncio.new_event_loop()
    ready: Future[PlaceServer] = Future()
    stop = asyncio.Event()

    async def serve() -> None:
        async with serve_place(tmp_path_factory.mktemp("grants")) as served:
            for place_id in PLACES[1:]:
                served.hub.execute(
                    place_id, c.CreatePlace(at=NOW, place_id=place_id, name=place_id)
                )
            served.hub.staff.accounts()  # the schema is upgraded before the test's connection
            ready.set_result(served)
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    served = ready.result(timeout=30)
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731 - the server's own clock is real time
    with StaffDirectory.open(served.hub.log.location, clock, FAST_SCRYPT) as accounts:
        yield served, accounts
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=10)


def get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, str(json.loads(error.read())["error"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    role=st.sampled_from(["admin", "staff"]),
    granted=st.sets(st.sampled_from(PLACES), min_size=1),
    revoked=st.sets(st.sampled_from(PLACES)),
    disabled=st.booleans(),
)
def test_each_place_answers_as_the_grants_say(
    place: tuple[PlaceServer, StaffDirectory],
    role: str,
    granted: set[str],
    revoked: set[str],
    disabled: bool,
) -> None:
    served, accounts = place
    name = f"staff{next(_names)}"
    account = accounts.add(name, role, () if role == "admin" else tuple(granted), "x" * 12)
    token = accounts.issue(account).token
    for place_id in revoked:  # changed after signing in: the server sees it at once
        accounts.revoke(name, place_id)
    if disabled:
        accounts.set_disabled(name, True)
    for place_id in PLACES:
        status, code = get(f"{served.url}/api/staff/{place_id}/requests", token)
        if disabled:
            assert (status, code) == (403, "account_disabled")
        elif role == "admin" or place_id in granted - revoked:
            assert (status, code) == (200, "")
        else:
            assert (status, code) == (403, "forbidden")
