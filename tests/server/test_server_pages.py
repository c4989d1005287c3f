"""HTTP: the phone page, the landing page with the numeric code, the join sheet, catalogs."""

from __future__ import annotations

import aiohttp

from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from tests.server.server_kit import AGENDA, Live


async def _get(url: str, **kwargs: object) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, str(response.url), await response.text()


async def test_join_by_url_and_by_numeric_code(live: Live) -> None:
    state = live.hub.state(live.session_id)
    status, _, text = await _get(live.server.join_url)
    assert status == 200 and "/static/app.js" in text
    status, _, text = await _get(f"{live.url}/j/{state.join_code.lower()}")
    assert status == 200
    status, final, _ = await _get(f"{live.url}/go", params={"code": state.numeric_code})
    assert status == 200 and final.endswith(f"/j/{state.join_code}")
    status, _, text = await _get(f"{live.url}/go", params={"code": "0000", "lang": "en"})
    assert status == 404 and "No session has this code" in text
    status, _, text = await _get(f"{live.url}/j/NOPE42", headers={"Accept-Language": "zh-CN"})
    assert status == 404 and "找不到" in text
    status, _, text = await _get(f"{live.url}/")
    assert status == 200 and 'name="code"' in text


async def test_the_join_sheet_has_one_page_per_building(live: Live) -> None:
    status, _, _ = await _get(f"{live.url}/sheet", params={"token": "wrong"})
    assert status == 403
    token = live.server.moderator_token
    status, _, text = await _get(f"{live.url}/sheet", params={"token": token})
    assert status == 200 and text.count('class="sheet"') == 1 and "<svg" in text
    assert AGENDA.title in text and live.hub.state(live.session_id).numeric_code in text
    for i, building in enumerate(["1號樓", "3號樓", "<b>5號樓</b>"]):
        command = c.AddRosterEntry(
            at=live.hub.clock(), participant_id=f"p-r{i}", display_name="X", building=building
        )
        await live.hub.dispatch(live.session_id, command, MODERATOR)
    _, _, text = await _get(f"{live.url}/sheet", params={"token": token})
    assert text.count('class="sheet"') == 3
    assert "&lt;b&gt;5號樓&lt;/b&gt;" in text and "<b>5號樓" not in text
    assert "?b=3%E8%99%9F%E6%A8%93" in text  # the QR code of building 3 pre-fills it


async def test_catalogs_and_the_socket_client_are_served_locally(live: Live) -> None:
    status, _, text = await _get(f"{live.url}/i18n/en.json")
    assert status == 200 and '"phone.join.title":"Join the session"' in text
    status, _, text = await _get(f"{live.url}/static/vendor/socket.io.min.js")
    assert status == 200 and "Socket.IO" in text
