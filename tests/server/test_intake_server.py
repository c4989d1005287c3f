"""A place's server between evenings, over real HTTP on 127.0.0.1: residents raise, support and
follow their requests; staff screen them through the token-guarded API; the public page shows the
promises and takes ratings from home."""

from __future__ import annotations

from pathlib import Path

from facilitator.place_hub import PlaceHub
from tests.server.intake_kit import serve_place


async def test_raise_support_and_my_requests(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        wang, li = place.phone(), place.phone()
        number = await wang.raise_("6號樓旁路燈又不亮了", unit="1單元", category="路燈照明",
                                   contact="13800000000")  # fmt: skip
        status, info = await li.get("/api/b/b1")
        assert status == 200 and info["building"]["name"] == "1號樓"
        assert info["live"] is None  # no session tonight on a standing server
        [seen] = info["requests"]
        assert seen["signature"] == "1號樓居民" and not seen["mine"]
        assert "13800000000" not in str(info) and wang.token not in str(info)
        status, answer = await li.post("/api/b/b1/support", {"number": number, "rid": "s1"})
        assert answer == {"ok": True, "supporters": 2, "replayed": False}
        status, again = await li.post("/api/b/b1/support", {"number": number, "rid": "s1"})
        assert again["replayed"] and again["supporters"] == 2
        status, twice = await li.post("/api/b/b1/support", {"number": number, "rid": "s2"})
        assert (status, twice["error"]) == (409, "already_supported")
        assert "#1" in twice["message"]
        _, mine = await wang.get("/api/b/b1/mine")
        assert [r["number"] for r in mine["requests"]] == [1]
        _, none = await li.get("/api/b/b1/mine")
        assert none["requests"] == []


async def test_a_retried_raise_is_stored_once_and_survives_a_restart(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        phone = place.phone()
        body = {"text": "垃圾桶滿了", "rid": "abc-1"}
        first = await phone.post("/api/b/b2/requests", body)
        second = await phone.post("/api/b/b2/requests", body)
        assert first[1]["number"] == second[1]["number"] == 1 and second[1]["replayed"]
    reopened = PlaceHub.open(str(tmp_path / "facilitator.db"))
    assert [r.text for r in reopened.state("heping").requests.values()] == ["垃圾桶滿了"]
    reopened.close()


async def test_every_bad_input_gets_a_code_and_a_message(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        phone = place.phone()
        http, url = place.http, place.url
        cases = [
            (phone.post("/api/b/b1/requests", {"text": ""}), 409, "text_empty"),
            (phone.post("/api/b/b1/requests", {"text": 5}), 400, "bad_request"),
            (phone.post("/api/b/b1/requests", ["x"]), 400, "bad_request"),
            (phone.post("/api/b/b1/requests", {"text": "x", "rid": "<>"}), 400, "bad_request"),
            (phone.post("/api/b/b1/requests", {"text": "x", "unit": "9"}), 409, "unknown_unit"),
            (phone.post("/api/b/b1/requests", {"text": "x", "category": "?"}), 409,
             "unknown_category"),
            (phone.post("/api/b/zz/requests", {"text": "x"}), 404, "unknown_code"),
            (phone.post("/api/b/b1/support", {"number": "1"}), 400, "bad_request"),
            (phone.post("/api/b/b1/support", {"number": 99}), 404, "unknown_request"),
            (phone.get("/api/p/nowhere"), 404, "unknown_place"),
            (phone.post("/api/p/heping/rate", {"ref": "x/y", "stars": 3}), 404, "unknown_item"),
        ]  # fmt: skip
        for call, want_status, code in cases:
            status, answer = await call
            assert (status, answer["ok"], answer["error"]) == (want_status, False, code)
            assert answer["message"] and "{" not in answer["message"]
        async with http.post(f"{url}/api/b/b1/requests", data=b"\xff{", headers=phone.headers) as r:
            assert (r.status, (await r.json())["error"]) == (400, "bad_request")
        async with http.post(f"{url}/api/b/b1/requests", json={"text": "x"}) as r:
            assert (r.status, (await r.json())["error"]) == (400, "bad_device")
        async with http.get(f"{url}/b/nope?lang=en") as r:
            assert r.status == 404 and "QR code is not valid" in await r.text()


async def test_staff_screen_and_residents_see_what_became_of_it(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        wang, zhao = place.phone(), place.phone()
        lamp = await wang.raise_("路燈不亮", code="b1")
        older = await zhao.raise_("6號樓路燈壞了", code="b1")
        parking = await wang.raise_("停車費太貴", code="b2")
        trash = await wang.raise_("垃圾桶少", code="b2")
        lift = await zhao.raise_("加裝電梯", code="b3")
        assert (await place.staff("/requests", token="wrong"))[0] == 401
        async with place.http.get(f"{place.url}/api/staff/heping/requests") as r:
            assert r.status == 401 and (await r.json())["error"] == "not_signed_in"
        status, listing = await place.staff("/requests")
        assert status == 200 and listing["requests"][0]["answer_due"]
        assert (await place.staff(f"/requests/{lamp}/merge", {"into": older}))[0] == 200
        status, fixed = await place.staff(
            f"/requests/{older}/fix", {"owner": "物業公司", "deadline": "2099-03-06"}
        )
        assert fixed["request"]["supporters"] == 2 and fixed["request"]["status"] == "fixed"
        reason = "屬下期廣場夜話主題，已排入議程"
        await place.staff(f"/requests/{parking}/reject", {"reason": reason})
        await place.staff(f"/requests/{trash}/answer", {"text": "下週加兩個"})
        await place.staff(f"/requests/{lift}/schedule", {})
        status, bad = await place.staff(f"/requests/{lift}/launch", {})
        assert (status, bad["error"]) == (404, "unknown_action")
        status, bad = await place.staff(f"/requests/{lift}/accept", {"urgency": "now"})
        assert (status, bad["error"]) == (400, "bad_request")
        _, mine = await wang.get("/api/b/b1/mine")
        by_number = {r["number"]: r for r in mine["requests"]}
        assert by_number[lamp]["merged_into"] == older
        assert by_number[lamp]["item"]["owner"] == "物業公司"
        assert by_number[parking]["reason"] == reason
        assert by_number[trash]["answers"][0]["text"] == "下週加兩個"


async def test_rating_from_home_latest_counts_and_reopens_at_once(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        phones = [place.phone() for _ in range(3)]
        number = await phones[0].raise_("路燈不亮")
        await place.staff(f"/requests/{number}/fix", {"owner": "物業公司"})
        ref = f"heping/r{number}"
        status, early = await phones[0].post("/api/p/heping/rate", {"ref": ref, "stars": 4})
        assert (status, early["error"]) == (409, "not_rateable")
        await place.staff(f"/items/r{number}/feedback", {"text": "已換燈泡", "status": "done"})
        status, bad = await phones[0].post("/api/p/heping/rate", {"ref": ref, "stars": 6})
        assert (status, bad["error"]) == (409, "invalid_rating")
        for phone, stars in zip(phones[:2], (5, 4), strict=True):
            await phone.post("/api/p/heping/rate", {"ref": ref, "stars": stars})
        _, changed = await phones[0].post("/api/p/heping/rate", {"ref": ref, "stars": 3})
        assert changed["item"]["ratings"] == {"count": 2, "average": 3.5}
        assert changed["item"]["my_rating"] == 3
        _, data = await phones[2].get("/api/p/heping")
        assert data["items"][0]["timeline"][1]["text"] == "已換燈泡"
        assert data["items"][0]["status"] == "done" and data["items"][0]["source"] == "#1"
        _, low = await phones[2].post("/api/p/heping/rate", {"ref": ref, "stars": 1})
        assert low["item"]["status"] == "in_progress" and low["item"]["reopened"] == 1


async def test_rate_limits_per_phone_and_per_building(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        phone = place.phone()
        for n in range(5):
            await phone.raise_(f"問題 {n}")
        status, answer = await phone.post("/api/b/b1/requests", {"text": "再一個"})
        assert (status, answer["error"]) == (429, "rate_limited") and answer["message"]
        for n in range(35):  # other phones, same building: the building's allowance runs out
            await place.phone().raise_(f"鄰居 {n}")
        status, answer = await place.phone().post("/api/b/b1/requests", {"text": "x"})
        assert (status, answer["error"]) == (429, "rate_limited")
        assert (await place.phone().post("/api/b/b2/requests", {"text": "x"}))[0] == 200


async def test_a_public_page_shows_its_own_places_items_only(tmp_path: Path) -> None:
    from facilitator.intake import commands as c
    from tests.server.intake_kit import NOW

    async with serve_place(tmp_path) as place:
        hub = place.hub
        hub.execute("north", c.CreatePlace(at=NOW, place_id="north", name="和平里社區北區"))
        hub.execute("north", c.AddBuilding(at=NOW, code="n1", name="北1棟"))
        await place.phone().raise_("北區的路燈", code="n1")
        await place.phone().raise_("和平里的路燈", code="b1")
        for place_id, number in (("north", 1), ("heping", 1)):
            fix = c.FixRequest(at=NOW, number=number, item_id=f"r{number}", owner="物業公司")
            hub.execute(place_id, fix)
        _, heping = await place.phone().get("/api/p/heping")
        assert [item["ref"] for item in heping["items"]] == ["heping/r1"]
        _, north = await place.phone().get("/api/p/north")
        assert [item["ref"] for item in north["items"]] == ["north/r1"]
