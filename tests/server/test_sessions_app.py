"""Several live sessions in one process (server/app.py ``build_sessions_app``): each under its
own prefix with its own socket.io server, so a phone, a projector and a moderator of one session
never see or touch another; the phone pages stay /j/CODE and are told their socket's path."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from facilitator.hub import Hub
from facilitator.server import PROTOCOL_VERSION, RunningServer, ServerSettings, start_server
from facilitator.services import session_command
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore
from tests.server.server_kit import AGENDA, until

TITLES = ("加裝電梯意見徵集", "停車收費", "垃圾分類")


@pytest.fixture
async def three(tmp_path: Path) -> AsyncIterator[tuple[Hub, list[str], RunningServer]]:
    store = EventStore.open(tmp_path / "facilitator.db")
    hub = Hub(store)
    ids = []
    for title in TITLES:
        command = session_command(dataclasses.replace(AGENDA, title=title), store)
        hub.create(command)
        await hub.dispatch(command.session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        await hub.dispatch(command.session_id, c.AdvanceAgenda(at=hub.clock()), MODERATOR)
        ids.append(command.session_id)
    settings = ServerSettings(host="127.0.0.1", port=0, broadcast_interval_s=0.05)
    server = await start_server(hub, ids, settings)
    try:
        yield hub, ids, server
    finally:
        await server.stop()
        hub.close()
        store.close()


async def connect(
    server: RunningServer, path: str, namespace: str, auth: dict[str, Any]
) -> tuple[socketio.AsyncClient, list[dict[str, Any]], list[Any]]:
    sio = socketio.AsyncClient(reconnection=False)
    states: list[dict[str, Any]] = []
    refused: list[Any] = []
    sio.on("state", states.append, namespace=namespace)
    sio.on("connect_error", refused.append, namespace=namespace)
    with contextlib.suppress(socketio.exceptions.ConnectionError):
        await sio.connect(
            server.base_url,
            namespaces=[namespace],
            auth=auth,
            transports=["websocket"],
            socketio_path=path,
            wait_timeout=5,
        )
    return sio, states, refused


async def test_each_session_has_its_own_socket_and_pages(
    three: tuple[Hub, list[str], RunningServer],
) -> None:
    hub, ids, server = three
    assert [m.ctx.session_id for m in server.sessions] == ids
    codes = [hub.state(sid).join_code for sid in ids]
    assert [m.prefix for m in server.sessions] == [f"/s/{code}" for code in codes]
    phones = []
    for n, code in enumerate(codes):
        auth = {"v": PROTOCOL_VERSION, "token": secrets.token_hex(16), "lang": "en"}
        sio, states, _ = await connect(server, f"/s/{code}/socket.io", "/participant", auth)
        phones.append((sio, states))
        ack = await sio.call("join", {"rid": "j1", "name": f"居民{n}"}, namespace="/participant")
        assert ack["ok"], ack
    try:
        for (_, states), title in zip(phones, TITLES, strict=True):

            def titled(s: list[Any] = states, t: str = title) -> bool:
                return bool(s) and s[-1]["session"]["title"] == t

            def alone(s: list[Any] = states) -> bool:
                return bool(s[-1]["present"] == 1)  # its own resident only

            await until(titled)
            await until(alone)
        for sid in ids:
            assert len(hub.state(sid).participants) == 1
        # A moderator token is its session's only.
        first, second = server.sessions[0], server.sessions[1]
        auth = {"v": PROTOCOL_VERSION, "token": first.ctx.moderator_token}
        wrong, _, refused = await connect(server, f"{second.prefix}/socket.io", "/moderator", auth)
        assert not wrong.connected and refused and refused[0]["data"]["error"] == "forbidden"
        right, states, _ = await connect(server, f"{first.prefix}/socket.io", "/moderator", auth)
        assert right.connected
        await right.disconnect()
    finally:
        for sio, _ in phones:
            await sio.disconnect()

    async with aiohttp.ClientSession() as http:
        for code in codes:
            async with http.get(f"{server.base_url}/j/{code}") as answer:
                page = await answer.text()
            start = page.index('<script id="config" type="application/json">') + 44
            config = json.loads(page[start : page.index("</script>", start)])
            assert config == {"code": code, "fallback": "", "socket": f"/s/{code}/socket.io"}
            async with http.get(f"{server.base_url}/s/{code}/display") as answer:
                page = await answer.text()
            assert f'src="/s/{code}/qr.svg"' in page and f'"socket": "/s/{code}/socket.io"' in page
            async with http.get(f"{server.base_url}/s/{code}/qr.svg") as answer:
                assert answer.status == 200
        numeric = hub.state(ids[2]).numeric_code
        async with http.get(f"{server.base_url}/go?code={numeric}", allow_redirects=False) as go:
            assert go.headers["Location"] == f"/j/{codes[2]}"
        sheet = (
            f"{server.base_url}/s/{codes[1]}/sheet?token={server.sessions[1].ctx.moderator_token}"
        )
        async with http.get(sheet) as answer:
            assert answer.status == 200 and TITLES[1] in await answer.text()
        wrong_sheet = f"{server.base_url}/s/{codes[1]}/sheet?token={server.moderator_token}"
        async with http.get(wrong_sheet) as answer:
            assert answer.status == 403
        async with http.get(f"{server.base_url}/socket.io/?EIO=4&transport=polling") as answer:
            assert answer.status == 404  # no session at the root when several are served
