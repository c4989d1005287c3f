"""The live server: aiohttp + python-socketio in the caller's event loop.

``start_server`` is what ``facilitator serve`` and ``facilitator run`` call: it binds, starts the
broadcaster and returns a :class:`RunningServer` with the join URL and the moderator token. The
console and the server share one loop and one :class:`~facilitator.hub.Hub`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import socketio
from aiohttp import web

from facilitator.hub import Hub
from facilitator.server import fanout, pages
from facilitator.server.badinput import BadInputLog
from facilitator.server.broadcast import Broadcaster
from facilitator.server.limits import ConnectionGate, raise_open_file_limit
from facilitator.server.namespaces import Context, DisplayNamespace, ModeratorNamespace
from facilitator.server.packets import GuardedServer, guard_transports
from facilitator.server.pages import Links
from facilitator.server.participant import ParticipantNamespace
from facilitator.server.routing import Router
from facilitator.server.views import JSON

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024  # a phone never needs more; bigger frames are dropped by engine.io


@dataclass
class ServerSettings:
    """How the server listens and how hard it may be pushed."""

    host: str = "0.0.0.0"
    port: int = 8080  # 0: any free port (tests)
    max_connections: int = 10_000  # lowered at start to what the open-file limit allows
    public_url: str | None = None  # e.g. behind a proxy; default: http://<LAN address>:<port>
    broadcast_interval_s: float = 0.1
    # One pre-encoded frame written to each websocket (fanout.py); off: python-socketio's stock
    # manager, should a new release of the libraries break the fast path's assumptions.
    fast_fanout: bool = True
    # Where phones look for the session should this process stop answering: the reverse proxy
    # in front of several processes, or another process on the same database (docs/scale.md).
    fallback_url: str = ""


FILES_IN_RESERVE = 64  # the log, its WAL, the listening socket, the console, libraries

CONTEXT = web.AppKey("context", Context)
LINKS = web.AppKey("links", Links)
SIO = web.AppKey("sio", socketio.AsyncServer)


MOUNTS = web.AppKey("mounts", list["SessionMount"])


@dataclass
class SessionMount:
    """One live session in a process: its context (hub, broadcaster, moderator token) and its
    own socket.io server, at ``<prefix>/socket.io``."""

    ctx: Context
    sio: GuardedServer

    @property
    def prefix(self) -> str:
        return self.ctx.prefix


def mount_session(
    app: web.Application,
    hub: Hub,
    session_id: str,
    settings: ServerSettings,
    links: Links,
    *,
    prefix: str = "",
    gate: ConnectionGate,
    bad_input: BadInputLog,
    moderator_token: str | None = None,
) -> SessionMount:
    """Serve the loaded ``session_id`` on ``app`` under ``prefix``: a socket.io server of its own
    (so its hub, snapshots and fan-out stay one session's, as with one session per process)
    and its sheet, invitation cards and projector page."""
    # Snapshots go to thousands of phones: one encoded frame written to each websocket, and no
    # per-message deflate (facilitator/server/fanout.py explains both), unless turned off.
    sio = GuardedServer(
        bad_input,
        client_manager=fanout.client_manager(settings.fast_fanout),
        async_mode="aiohttp",
        logger=False,
        engineio_logger=False,
        max_http_buffer_size=MAX_MESSAGE_BYTES,
        # Short pings: a phone that lost Wi-Fi notices within seconds and shows "reconnecting".
        ping_interval=10,
        ping_timeout=10,
    )
    fanout.install(sio)
    guard_transports(sio)
    state = hub.state(session_id)

    def join_info() -> JSON:
        current = hub.state(session_id)
        return {
            "url": links.join_url(current.join_code),
            "join_code": current.join_code,
            "numeric_code": current.numeric_code,
        }

    broadcaster = Broadcaster(sio, state, join_info, settings.broadcast_interval_s)
    ctx = Context(
        hub=hub,
        session_id=session_id,
        broadcaster=broadcaster,
        gate=gate,
        moderator_token=moderator_token or secrets.token_urlsafe(24),
        prefix=prefix,
        bad_input=bad_input,
    )
    phones = ParticipantNamespace(ctx)
    for namespace in (phones, DisplayNamespace(ctx), ModeratorNamespace(ctx)):
        sio.register_namespace(namespace)
    sio.attach(app, socketio_path=f"{prefix}/socket.io".lstrip("/"))
    pages.add_session_routes(app, ctx, links)

    async def fan_out(app: web.Application) -> AsyncIterator[None]:
        broadcaster.state = hub.state(session_id)
        unsubscribe = hub.subscribe(session_id, broadcaster.changed)
        unlink = hub.subscribe(session_id, phones.changed)
        broadcaster.start()
        yield
        unlink()
        unsubscribe()
        await broadcaster.stop()

    app.cleanup_ctx.append(fan_out)
    return SessionMount(ctx, sio)


def build_app(
    hub: Hub,
    session_id: str,
    settings: ServerSettings | None = None,
    *,
    moderator_token: str | None = None,
    links: Links | None = None,
    places: bool = False,
) -> web.Application:
    """The aiohttp application serving one loaded session (phone page, sheet, sockets) at the
    root paths; with ``places``, also the places' intake and public pages and the staff API
    (facilitator/server/place_app.py), the moderator's token being the operator token, and the
    routing of the database's other sessions to their owners."""
    tokens = None if moderator_token is None else [moderator_token]
    return build_sessions_app(
        hub, [session_id], settings, links=links, places=places, moderator_tokens=tokens
    )


def build_sessions_app(
    hub: Hub,
    session_ids: list[str],
    settings: ServerSettings | None = None,
    *,
    links: Links | None = None,
    places: bool = False,
    moderator_tokens: list[str] | None = None,
) -> web.Application:
    """The application of a process serving the loaded ``session_ids``: one at the root paths
    (``/socket.io``, ``/display``, ...), several each under ``/s/<join code>`` (docs/scale.md);
    the phone pages stay ``/j/<join code>``. The first session's moderator token is the staff
    token of the places' routes."""
    settings = settings or ServerSettings()
    links = links or Links()
    app = web.Application(client_max_size=MAX_MESSAGE_BYTES)
    gate, bad_input = ConnectionGate(settings.max_connections), BadInputLog()
    mounts = []
    for n, session_id in enumerate(session_ids):
        prefix = f"/s/{hub.state(session_id).join_code}" if len(session_ids) > 1 else ""
        token = moderator_tokens[n] if moderator_tokens else None
        mount = mount_session(
            app, hub, session_id, settings, links,
            prefix=prefix, gate=gate, bad_input=bad_input, moderator_token=token,
        )  # fmt: skip
        mounts.append(mount)
    app[CONTEXT], app[LINKS], app[SIO], app[MOUNTS] = mounts[0].ctx, links, mounts[0].sio, mounts
    router = None
    if places:
        from facilitator.server.place_app import live_sessions, mount_places

        staff = mounts[0].ctx.moderator_token
        mount_places(app, hub.store.location, staff, live_sessions(hub, session_ids))
        router = Router(hub.store.location, lambda: session_ids, lambda: links.base_url)

        async def close_router(app: web.Application) -> AsyncIterator[None]:
            yield
            router.close()

        app.cleanup_ctx.append(close_router)

    def served(code: str) -> Context | None:
        for mount in mounts:
            state = hub.state(mount.ctx.session_id)
            if code == state.numeric_code or code.upper() == state.join_code.upper():
                return mount.ctx
        return None

    pages.add_process_routes(app, links, served, router)
    return app


@dataclass
class RunningServer:
    """A started server: where to join, the moderator's secret, and how to stop it."""

    runner: web.AppRunner
    app: web.Application
    join_url: str
    base_url: str
    moderator_token: str
    _stopped: bool = field(default=False, repr=False)

    @property
    def sessions(self) -> list[SessionMount]:
        """The sessions served, in the order given."""
        return self.app[MOUNTS]

    @property
    def connections(self) -> int:
        """Phones and displays connected right now (what ``max_connections`` caps)."""
        return self.app[CONTEXT].gate.count

    @property
    def gate(self) -> ConnectionGate:
        """The count of phones and displays (``max_connections``), which others may watch."""
        return self.app[CONTEXT].gate

    @property
    def broadcaster(self) -> Broadcaster:
        return self.app[CONTEXT].broadcaster

    async def stop(self) -> None:
        """Disconnect everyone and close the listening socket, within about a second."""
        if self._stopped:
            return
        self._stopped = True
        servers = [mount.sio for mount in self.app[MOUNTS]]
        # Close every socket first: aiohttp would otherwise wait for each open websocket
        # handler until its shutdown timeout.
        await asyncio.gather(*(fanout.close_sockets(sio) for sio in servers))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                asyncio.gather(*(sio.shutdown() for sio in servers)), timeout=0.3
            )
        # A websocket whose client does not answer the close would hold aiohttp's shutdown for
        # its whole timeout and more: drop the connections' transports instead.
        server = self.runner.server
        for connection in list(server.connections if server is not None else ()):
            connection.force_close()
            if connection.transport is not None:
                connection.transport.close()
        await self.runner.cleanup()


async def start_server(
    hub: Hub, session_id: str | list[str], settings: ServerSettings
) -> RunningServer:
    """Serve ``session_id`` (already loaded in ``hub``) on ``settings.host``/``port``; a list
    serves several sessions, each under its own prefix (:func:`build_sessions_app`)."""
    session_ids = [session_id] if isinstance(session_id, str) else session_id
    soft, _ = raise_open_file_limit()
    log.info("open-file limit: %d", soft)
    if soft and settings.max_connections > soft - FILES_IN_RESERVE:
        # Past the file limit accept() fails and floods the log; refuse politely before that.
        allowed = max(soft - FILES_IN_RESERVE, 1)
        log.warning("open-file limit %d: at most %d connections", soft, allowed)
        settings = dataclasses.replace(settings, max_connections=allowed)
    links = Links(fallback_url=settings.fallback_url)
    app = build_sessions_app(hub, session_ids, settings, links=links, places=True)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    port = int(runner.addresses[0][1])
    links.base_url = (
        settings.public_url or f"http://{_reachable_host(settings.host)}:{port}"
    ).rstrip("/")
    state = hub.state(session_ids[0])
    return RunningServer(
        runner=runner,
        app=app,
        join_url=links.join_url(state.join_code),
        base_url=links.base_url,
        moderator_token=app[CONTEXT].moderator_token,
    )


def _reachable_host(host: str) -> str:
    """The address phones on the same Wi-Fi can use: the LAN address when bound to all."""
    if host not in ("", "0.0.0.0", "::"):
        return f"[{host}]" if ":" in host else host
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # No packet is sent: connecting a UDP socket only picks the outgoing interface.
        probe.connect(("10.255.255.255", 1))
        address: str = probe.getsockname()[0]
        if not address.startswith("0."):
            return address
    return "127.0.0.1"
