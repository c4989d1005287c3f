"""A real server on 127.0.0.1 (any free port) over a real SQLite file, and real socket clients."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

from facilitator.agenda import Agenda, AgendaItemSpec, SessionKind
from facilitator.hub import Hub
from facilitator.server import PROTOCOL_VERSION, RunningServer, ServerSettings, start_server
from facilitator.services import session_command
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore

AGENDA = Agenda(
    title="加裝電梯意見徵集",
    kind=SessionKind.SQUARE_TALK,
    place="和平里社區廣場",
    items=(
        AgendaItemSpec(title="工程師說明", time_box_s=600),
        AgendaItemSpec(title="居民關切", time_box_s=1800),
    ),
)


def _holds(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except (IndexError, KeyError, TypeError):  # the awaited snapshot has not arrived yet
        return False


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``check()`` holds, looking every 10 ms; fail after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)


@dataclass
class Client:
    """A socket.io client that records what the server pushes to it."""

    sio: socketio.AsyncClient
    namespace: str
    states: list[dict[str, Any]] = field(default_factory=list)
    mes: list[dict[str, Any]] = field(default_factory=list)
    refused: list[Any] = field(default_factory=list)

    async def call(self, event: str, payload: Any = None, **fields: Any) -> Any:
        """Send ``event`` and return the server's ack."""
        if payload is None:
            payload = {"rid": secrets.token_hex(6), **fields}
        ack = await self.sio.call(event, payload, namespace=self.namespace, timeout=10)
        if isinstance(ack, dict) and "me" in ack:
            self.mes.append(ack["me"])  # the phone page treats an ack's "me" like a pushed one
        return ack

    async def until(self, check: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``check()`` holds (pushed messages arrive asynchronously)."""
        await until(lambda: _holds(check), timeout)

    @property
    def state(self) -> dict[str, Any]:
        return self.states[-1]

    @property
    def me(self) -> dict[str, Any]:
        return self.mes[-1]

    async def close(self) -> None:
        await self.sio.disconnect()


@dataclass
class Live:
    """The server under test, its hub and store, and the clients a test opened."""

    hub: Hub
    store: EventStore
    session_id: str
    server: RunningServer
    clients: list[Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.base_url

    async def connect(self, namespace: str, auth: dict[str, Any]) -> Client:
        """Connect a client; a refused connection is recorded in ``refused`` (no exception)."""
        sio = socketio.AsyncClient(reconnection=False)
        client = Client(sio, namespace)
        sio.on("state", client.states.append, namespace=namespace)
        sio.on("me", client.mes.append, namespace=namespace)
        # python-socketio hands over {"message": code, "data": {...}}; the page reads err.data.
        sio.on(
            "connect_error",
            lambda info: client.refused.append(info.get("data", info)),
            namespace=namespace,
        )
        try:
            await sio.connect(
                self.url,
                namespaces=[namespace],
                auth=auth,
                transports=["websocket"],
                wait_timeout=5,
            )
        except socketio.exceptions.ConnectionError:
            return client
        self.clients.append(client)
        await client.until(lambda: bool(client.states))
        return client

    async def phone(self, token: str | None = None, *, lang: str = "en") -> Client:
        """A phone that has connected (not joined yet)."""
        auth = {"v": PROTOCOL_VERSION, "token": token or secrets.token_hex(16), "lang": lang}
        return await self.connect("/participant", auth)

    async def resident(self, name: str, token: str | None = None, *, lang: str = "en") -> Client:
        """A phone that has joined (and so checked in) under ``name``."""
        phone = await self.phone(token, lang=lang)
        ack = await phone.call("join", name=name)
        assert ack["ok"], ack
        return phone

    async def moderator(self) -> Client:
        auth = {"v": PROTOCOL_VERSION, "token": self.server.moderator_token}
        return await self.connect("/moderator", auth)

    async def command(self, type_: str, **fields: Any) -> Any:
        """Run a moderator command straight through the hub (as the console would)."""
        from facilitator.server.generic import generic_command

        command = generic_command({"type": type_, **fields})
        return await self.hub.dispatch(self.session_id, command, MODERATOR)

    async def close(self) -> None:
        for client in self.clients:
            if client.sio.connected:
                await client.close()
        await self.server.stop()
        self.hub.close()
        self.store.close()


async def start_live(tmp_path: Path, **settings: Any) -> Live:
    """A created, opened session with its first item started, served on a free port."""
    store = EventStore.open(tmp_path / "facilitator.db")
    hub = Hub(store)
    command = session_command(AGENDA, store)
    hub.create(command)
    sid = command.session_id
    await hub.dispatch(sid, c.OpenSession(at=hub.clock()), MODERATOR)
    await hub.dispatch(sid, c.AdvanceAgenda(at=hub.clock()), MODERATOR)
    options = {"host": "127.0.0.1", "port": 0, "broadcast_interval_s": 0.05, **settings}
    server = await start_server(hub, sid, ServerSettings(**options))
    return Live(hub=hub, store=store, session_id=sid, server=server)
