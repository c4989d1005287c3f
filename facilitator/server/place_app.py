"""A standing server for a place between evenings (``facilitator serve --place P``): the intake
pages of its buildings, the public page and the staff API, with no live session. A live session of
the place (``run`` / ``serve AGENDA``) adds the same routes to its own app."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from facilitator.hub import Hub
from facilitator.place_hub import PlaceHub
from facilitator.server.intake_api import MAX_BODY, IntakeContext, LiveSession
from facilitator.server.intake_routes import add_intake_routes
from facilitator.server.pages import STATIC
from facilitator.session.values import Phase
from facilitator.store import Database, EventLog, open_event_store
from facilitator.store.backend import beside


def intake_context(
    hub: PlaceHub, store: EventLog | None, photos: Path, staff_token: str | None = None
) -> IntakeContext:
    """What the places' routes need; a fresh operator token unless one is given (staff accounts
    sign in instead)."""
    return IntakeContext(
        hub=hub, store=store, photos=photos, staff_token=staff_token or secrets.token_urlsafe(24)
    )


def photos_folder(db: Database) -> Path:
    """Where residents' photos are kept: beside the database file (for PostgreSQL, in a folder
    of the user's data, one per database)."""
    return beside(db, ".photos")


def mount_places(
    app: web.Application,
    database: Database,
    staff_token: str,
    live: Callable[[], tuple[LiveSession, ...]] = tuple,
) -> None:
    """Add the places' routes to a live session's app, with a place hub of its own on the same
    database file, closed with the app; ``live`` tells the intake pages about the session."""
    hub = PlaceHub.open(str(database))
    # A connection of its own for reading the sessions: the session's writes run on the hub's
    # I/O thread over the store's connection, and calls on one connection must never overlap.
    reader = open_event_store(database)
    ctx = intake_context(hub, reader, photos_folder(database), staff_token)
    ctx.live = live
    add_intake_routes(app, ctx)

    async def close_hub(app: web.Application) -> AsyncIterator[None]:
        yield
        hub.close()
        reader.close()

    app.cleanup_ctx.append(close_hub)


def live_sessions(hub: Hub, session_ids: list[str]) -> Callable[[], tuple[LiveSession, ...]]:
    """What the intake pages need to know of the served sessions that are not closed."""

    def live() -> tuple[LiveSession, ...]:
        states = (hub.state(session_id) for session_id in session_ids)
        return tuple(
            LiveSession(state.title, state.place, state.join_code)
            for state in states
            if state.phase is not Phase.CLOSED
        )

    return live


def build_place_app(ctx: IntakeContext) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    add_intake_routes(app, ctx)
    app.router.add_static("/static/", STATIC)
    return app


@dataclass
class RunningPlaceServer:
    runner: web.AppRunner
    base_url: str
    staff_token: str

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_place_server(ctx: IntakeContext, host: str, port: int) -> RunningPlaceServer:
    app = build_place_app(ctx)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = int(runner.addresses[0][1])
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return RunningPlaceServer(runner, f"http://{shown}:{bound}", ctx.staff_token)
