"""The authorization matrix over real HTTP: every staff action of the API (screening, and the
admin's places and accounts) × every kind of caller, allowed (and done, with the caller named in
the log) or refused with the right code (and nothing written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.server.staff_kit import (
    ACTIONS,
    ADMIN,
    ADMIN_ACTIONS,
    ELSEWHERE,
    GONE,
    HERE,
    WRITES,
    StaffPlace,
    prepare_requests,
    staff_place,
)

# caller -> (HTTP status, error code) when refused, None when allowed
CALLERS: dict[str, tuple[int, str] | None] = {
    "operator": None,
    "admin": None,
    "staff of this place": None,
    "staff of another place": (403, "forbidden"),
    "disabled": (403, "account_disabled"),
    "no login": (401, "not_signed_in"),
    "wrong token": (401, "not_signed_in"),
    "expired token": (401, "session_expired"),
}
ACTOR = {
    "operator": "operator:token",
    "admin": f"staff:{ADMIN}",
    "staff of this place": f"staff:{HERE}",
}


async def _token_of(staff: StaffPlace, caller: str) -> str | None:
    match caller:
        case "operator":
            return staff.place.server.staff_token
        case "admin":
            return await staff.token(ADMIN)
        case "staff of this place":
            return await staff.token(HERE)
        case "staff of another place":
            return await staff.token(ELSEWHERE)
        case "disabled":
            token = await staff.token(GONE)
            staff.place.hub.staff.set_disabled(GONE, True)  # as `staff disable` would, meanwhile
            return token
        case "wrong token":
            return "x" * 43
        case "expired token":
            token = await staff.token(HERE)
            staff.clock.now += dt.timedelta(hours=12, seconds=1)
            return token
    return None


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_every_staff_action_for_every_caller(
    tmp_path: Path, action: str, caller: str
) -> None:
    async with staff_place(tmp_path) as staff:
        photo = await prepare_requests(staff)
        token = await _token_of(staff, caller)
        before = staff.actors()
        method, path, body = ACTIONS[action]
        status, answer = await staff.call(method, path.format(photo=photo), token, body)
        refused = CALLERS[caller]
        if refused is None:
            assert (status, answer["ok"]) == (200, True), answer
            if action in WRITES:
                assert staff.actors() == [*before, ACTOR[caller]]
            if action == "list":
                assert [r["number"] for r in answer["requests"]] == [1, 2, 3]
        else:
            assert (status, answer["error"]) == refused, answer
            assert answer["message"] and (token is None or token not in answer["message"])
            assert staff.actors() == before  # a refused call writes nothing


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("action", list(ADMIN_ACTIONS))
async def test_every_admin_action_for_every_caller(
    tmp_path: Path, action: str, caller: str
) -> None:
    async with staff_place(tmp_path) as staff:
        token = await _token_of(staff, caller)
        before = staff.everything()
        method, path, body = ADMIN_ACTIONS[action]
        status, answer = await staff.call(method, path, token, body)
        refused = CALLERS[caller]
        if refused is None and caller == "staff of this place":
            refused = (403, "forbidden")  # place staff screen requests; they manage nothing
        if refused is not None:
            assert (status, answer["error"]) == refused, answer
            assert staff.everything() == before  # nothing changed
            return
        assert (status, answer["ok"]) == (200, True), answer
        if action != "list accounts":
            assert staff.everything() != before
        if action == "create place":
            assert staff.actors("xinghe") == [ACTOR[caller]]
        if action in ("add account", "reset secret"):  # the new secret, once, and it works
            name = answer["account"]["name"]
            assert (await staff.login(name, answer["secret"]))[0] == 200


@pytest.mark.parametrize("caller", ["admin", "staff of this place", "operator"])
async def test_who_am_i_and_which_places(tmp_path: Path, caller: str) -> None:
    async with staff_place(tmp_path) as staff:
        token = await _token_of(staff, caller)
        status, answer = await staff.call("GET", "/api/staff/me", token)
        assert status == 200
        places = [p["id"] for p in answer["account"]["places"]]
        expected = ["heping"] if caller == "staff of this place" else ["heping", "anle"]
        assert places == expected
        assert answer["account"]["role"] == {"admin": "admin", "operator": "operator"}.get(
            caller, "staff"
        )


async def test_staff_of_another_place_cannot_see_its_photo_or_list(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        photo = await prepare_requests(staff)
        token = await staff.token(ELSEWHERE)
        status, answer = await staff.call("GET", "/api/staff/anle/requests", token)
        assert (status, answer["requests"]) == (200, [])  # its own place: allowed
        status, answer = await staff.call("GET", f"/api/staff/photo/{photo}", token)
        assert (status, answer["error"]) == (403, "forbidden")
        status, answer = await staff.call("GET", "/api/staff/nowhere/requests", token)
        assert (status, answer["error"]) == (403, "forbidden")  # no probing for place ids
        admin = await staff.token(ADMIN)
        status, answer = await staff.call("GET", "/api/staff/nowhere/requests", admin)
        assert (status, answer["error"]) == (404, "unknown_place")
