"""The place's pages over HTTP: photos lose their metadata, participant text stays text, public
pages are read-only, and a live session serves the same pages."""

from __future__ import annotations

import io
from pathlib import Path

import aiohttp
from PIL import Image

from facilitator.place_hub import PlaceHub
from facilitator.server.photos import MAX_BYTES
from tests.server.intake_kit import create_place, serve_place
from tests.server.server_kit import start_live

SCRIPT = "<script>window.pwned=1</script><img src=x onerror=alert(1)>"


def jpeg_with_gps(color: tuple[int, int, int] = (200, 180, 40)) -> bytes:
    image = Image.new("RGB", (2400, 1200), color)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 1.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert b"SecretCam" in data
    return data


async def test_a_photo_is_reencoded_without_exif_or_gps(tmp_path: Path) -> None:
    async with serve_place(tmp_path) as place:
        phone = place.phone()
        status, answer = await phone.raise_with_photo("路燈", jpeg_with_gps())
        assert status == 200, answer
        _, listing = await place.staff("/requests")
        name = listing["requests"][0]["photo"]
        async with place.http.get(f"{place.url}/api/staff/photo/{name}") as r:
            assert r.status == 401
        headers = {"Authorization": f"Bearer {place.server.staff_token}"}
        async with place.http.get(f"{place.url}/api/staff/photo/{name}", headers=headers) as r:
            stored = await r.read()
        assert b"SecretCam" not in stored and b"Exif" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert len(image.getexif()) == 0 and max(image.size) == 1600
        _, info = await phone.get("/api/b/b1")
        assert info["requests"][0]["photo"] is True and name not in str(info)
        kept = set(place.ctx.photos.iterdir())
        status, refused = await phone.raise_with_photo(" ", jpeg_with_gps(color=(1, 2, 3)))
        assert (status, refused["error"]) == (409, "text_empty")
        assert set(place.ctx.photos.iterdir()) == kept  # a refused request's photo is not kept
        status, bad = await phone.raise_with_photo("x", b"not an image")
        assert (status, bad["error"]) == (400, "photo_unreadable")
        status, big = await phone.raise_with_photo("x", b"\xff" * (MAX_BYTES + 10))
        assert (status, big["error"]) == (413, "photo_too_large")
        async with place.http.get(f"{place.url}/api/staff/photo/..%2Fx.jpg", headers=headers) as r:
            assert r.status == 404
        form = aiohttp.FormData(default_to_multipart=True)
        form.add_field("text", "長" * 20_000)  # a text part is read only up to a cap
        url = f"{place.url}/api/b/b1/requests"
        async with place.http.post(url, data=form, headers=phone.headers) as r:
            answer = await r.json()
        assert (r.status, answer["error"]) == (400, "bad_request")
        assert "（text）" in answer["message"]  # the field, not the whole form


async def test_participant_text_is_never_markup_and_public_pages_are_read_only(
    tmp_path: Path,
) -> None:
    async with serve_place(tmp_path) as place:
        phone = place.phone()
        number = await phone.raise_(SCRIPT, signature=SCRIPT)
        await place.staff(f"/requests/{number}/fix", {"owner": SCRIPT, "title": SCRIPT})
        await place.staff(f"/items/r{number}/feedback", {"text": SCRIPT})
        async with place.http.get(f"{place.url}/p/heping") as r:
            page = await r.text()
        assert "<script>window" not in page and "<img" not in page
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
        async with place.http.get(f"{place.url}/b/b1") as r:
            shell = await r.text()
        assert "<script>window" not in shell
        for path in ("/p/heping", "/b/b1"):
            async with place.http.post(f"{place.url}{path}", data=b"x") as r:
                assert r.status == 405
        async with place.http.get(f"{place.url}/p/heping") as r:
            assert phone.token not in await r.text()


async def test_a_live_session_serves_the_places_pages_too(tmp_path: Path) -> None:
    places = PlaceHub.open(str(tmp_path / "facilitator.db"))
    create_place(places)
    places.close()
    live = await start_live(tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            headers = {"X-Device": "a" * 20}
            body = {"text": "樓道燈壞了"}
            url = f"{live.url}/api/b/b2/requests"
            async with http.post(url, json=body, headers=headers) as r:
                assert (await r.json())["number"] == 1
            token = {"Authorization": f"Bearer {live.server.moderator_token}"}
            async with http.get(f"{live.url}/api/staff/heping/requests", headers=token) as r:
                assert (await r.json())["requests"][0]["text"] == "樓道燈壞了"
            async with http.get(f"{live.url}/p/heping") as r:
                assert r.status == 200 and "和平里社區" in await r.text()
            async with http.get(f"{live.url}/api/b/b2") as r:  # tonight the QR leads there too
                tonight = (await r.json())["live"]
            join_code = live.hub.state(live.session_id).join_code
            assert tonight["href"] == f"/j/{join_code}?b=2%E8%99%9F%E6%A8%93"  # ?b=2號樓
    finally:
        await live.close()
