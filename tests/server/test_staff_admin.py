"""The district admin's routes refuse what they cannot do with a code and a sentence, and the
secret they hand out once is never kept in clear."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.server.staff_kit import ADMIN, ELSEWHERE, staff_place

REFUSALS: list[tuple[str, dict[str, Any] | None, int, str]] = [
    ("/api/staff/accounts", {"name": ELSEWHERE, "places": ["anle"]}, 409, "account_exists"),
    ("/api/staff/accounts", {"name": "新人", "places": ["nowhere"]}, 404, "unknown_place"),
    ("/api/staff/accounts", {"name": "新人", "places": []}, 400, "places_needed"),
    ("/api/staff/accounts", {"name": "新人", "role": "root", "places": ["anle"]}, 400,
     "bad_request"),
    ("/api/staff/accounts", {"name": "a:b", "places": ["anle"]}, 400, "invalid_name"),
    ("/api/staff/accounts", {"name": "王", "role": "admin", "places": ["anle"]}, 400,
     "admin_all_places"),
    ("/api/staff/accounts/nobody/disable", {}, 404, "unknown_account"),
    (f"/api/staff/accounts/{ELSEWHERE}/grant", {"place": "nowhere"}, 404, "unknown_place"),
    (f"/api/staff/accounts/{ELSEWHERE}/promote", {}, 404, "unknown_action"),
    ("/api/staff/places", {"place_id": "heping", "name": "again"}, 409, "place_exists"),
    ("/api/staff/places", {"place_id": "x", "name": "x", "lang": "fr"}, 400, "bad_request"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "status", "code"), REFUSALS)
async def test_refusals(
    tmp_path: Path, path: str, body: dict[str, Any] | None, status: int, code: str
) -> None:
    async with staff_place(tmp_path) as staff:
        token = await staff.token(ADMIN)
        before = staff.everything()
        got, answer = await staff.call("POST", path, token, body)
        assert (got, answer["error"]) == (status, code), answer
        assert answer["message"] and "intake.error" not in answer["message"]
        assert staff.everything() == before


async def test_a_new_account_from_the_admin_signs_in_and_acts(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        token = await staff.token(ADMIN)
        body = {"name": "新同事", "places": ["anle"]}
        status, made = await staff.call("POST", "/api/staff/accounts", token, body)
        assert status == 200 and made["account"] == {
            "name": "新同事", "role": "staff", "places": ["anle"], "disabled": False
        }  # fmt: skip
        secret = made["secret"]
        assert secret not in str(staff.everything())  # only its hash is kept
        _, listing = await staff.call("GET", "/api/staff/accounts", token)
        assert secret not in str(listing) and "scrypt" not in str(listing)
        status, login = await staff.login("新同事", secret)
        assert status == 200, login
        theirs = login["token"]
        assert (await staff.call("GET", "/api/staff/anle/requests", theirs))[0] == 200
        assert (await staff.call("GET", "/api/staff/heping/requests", theirs))[0] == 403
