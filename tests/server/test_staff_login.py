"""Signing in and out over real HTTP: sessions, refusals with their codes and sentences, the limits
on failed sign-ins, the audit trail, and no secret or token in logs, answers or public pages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from facilitator.server.staff_auth import LOGIN_LIMITER
from tests.server.staff_kit import (
    ADMIN,
    ELSEWHERE,
    GONE,
    HERE,
    SECRET,
    prepare_requests,
    staff_place,
)


async def test_sign_in_act_as_oneself_and_sign_out(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        await prepare_requests(staff)
        status, login = await staff.login(HERE)
        assert status == 200 and login["account"] == {
            "name": HERE,
            "role": "staff",
            "places": [{"id": "heping", "name": "和平里社區"}],
        }
        assert login["expires_at"].startswith("2026-03-04T09:00")  # 12 hours later
        token = login["token"]
        path = "/api/staff/heping/requests/1/answer"
        status, done = await staff.call("POST", path, token, {"text": "已通知物業", "rid": "a1"})
        assert status == 200 and done["request"]["status"] == "answered"
        note = staff.place.hub.state("heping").requests[1].history[-1]
        assert note.by == HERE  # the resident's history names who answered
        assert staff.actors()[-1] == f"staff:{HERE}"
        again = await staff.call("POST", path, token, {"text": "已通知物業", "rid": "a1"})
        assert again[1]["replayed"] is True  # a retry of the same account is not applied twice
        assert (await staff.call("POST", "/api/staff/logout", token))[0] == 200
        status, after = await staff.call("GET", "/api/staff/me", token)
        assert (status, after["error"]) == (401, "not_signed_in")


@pytest.mark.parametrize(
    ("name", "secret", "status", "code"),
    [
        (HERE, "not the secret at all", 401, "login_failed"),
        ("nobody", SECRET, 401, "login_failed"),  # the same answer: names cannot be probed
        ("", "", 401, "login_failed"),
    ],
)
async def test_a_failed_sign_in_says_so_and_never_which_part_was_wrong(
    tmp_path: Path, name: str, secret: str, status: int, code: str
) -> None:
    async with staff_place(tmp_path) as staff:
        got, answer = await staff.login(name, secret)
        assert (got, answer["error"]) == (status, code)
        assert answer["message"] == "名字或密碼不正確。"
        assert "token" not in answer


async def test_a_disabled_account_is_told_so_only_with_the_right_secret(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        staff.place.hub.staff.set_disabled(GONE, True)
        status, answer = await staff.login(GONE)
        assert (status, answer["error"]) == (403, "account_disabled")
        status, answer = await staff.login(GONE, "a wrong secret here")
        assert (status, answer["error"]) == (401, "login_failed")


async def test_failed_sign_ins_are_limited_per_name_then_per_address(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        limiter = staff.place.server.runner.app[LOGIN_LIMITER]
        limiter.clock = lambda: 0.0  # time stands still: nothing refills during the test
        for _ in range(5):
            assert (await staff.login(HERE, "a wrong secret here"))[0] == 401
        status, answer = await staff.login(HERE)  # even the right secret waits now
        assert (status, answer["error"]) == (429, "too_many_logins")
        assert "秒後再試" in answer["message"]
        assert (await staff.login(ADMIN))[0] == 200  # another name from here: not yet limited
        for n in range(15):
            assert (await staff.login(f"guess{n}", "a wrong secret here"))[0] == 401
        status, answer = await staff.login(ELSEWHERE)
        assert (status, answer["error"]) == (429, "too_many_logins")  # 20 failures from here
        english = await staff.call("POST", "/api/staff/login?lang=en", None, {"name": "x"})
        assert "Too many failed sign-ins" in english[1]["message"]


@pytest.mark.parametrize(
    "body", [None, [], {"name": 3, "secret": SECRET}, {"name": HERE, "secret": "x" * 201}]
)
async def test_a_malformed_sign_in_is_bad_request(tmp_path: Path, body: object) -> None:
    async with staff_place(tmp_path) as staff:
        status, answer = await staff.call("POST", "/api/staff/login", None, body)
        assert (status, answer["error"]) == (400, "bad_request")


async def test_no_secret_or_token_in_logs_answers_or_public_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with staff_place(tmp_path) as staff:
        await prepare_requests(staff)
        await staff.login(HERE, SECRET + "x")  # a near miss
        token = await staff.token(HERE)
        answers = [
            await staff.call("POST", "/api/staff/heping/requests/1/fix", token, {"owner": "物業"}),
            await staff.call("POST", "/api/staff/heping/items/r1/feedback", token, {"text": "ok"}),
            await staff.call("GET", "/api/staff/anle/requests", token),  # refused
            await staff.call("GET", "/api/staff/me", token + "x"),  # refused
        ]
        async with staff.place.http.get(f"{staff.place.url}/p/heping") as r:
            page = await r.text()
        async with staff.place.http.get(f"{staff.place.url}/api/p/heping") as r:
            data = await r.text()
        hashed = staff.place.hub.staff.store.secret_hash(HERE)
        assert hashed
        said = caplog.text + str(answers) + page + data
        for secret in (SECRET, token, hashed, hashed.split("$")[-1], "scrypt$"):
            assert secret not in said
        assert "ok" in data  # the feedback itself is public
