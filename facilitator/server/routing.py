"""Route by session: where ``/j/CODE`` leads when several processes serve one database.

A live session is owned by one process (its claim, store/live.py). Any process asked for a
session's phone page answers from that claim: the page itself when it is the owner, a redirect to
the owner's announced URL when another process owns it, and a page that says the session is not
live right now (linking the place's public page) when nobody does — never an error. Phones whose
process died ask ``/live/CODE`` (JSON, any origin may read it) where the session went.

The decision (:func:`route`) is a pure function of what the store says; the handlers around it
only read the store (on a connection of their own, off the event loop) and render the answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from facilitator.session.values import Phase
from facilitator.store import (
    Database,
    LiveOwner,
    SessionInfo,
    open_event_store,
    open_place_log,
)


class Where(StrEnum):
    HERE = "here"  # this process owns the session: serve the phone page
    ELSEWHERE = "elsewhere"  # another process owns it: redirect to ``url``
    NOT_LIVE = "not_live"  # nobody serves it right now (or its owner is still starting)
    UNKNOWN = "unknown"  # no session has this code


@dataclass(frozen=True, slots=True)
class Route:
    where: Where
    session: SessionInfo | None = None
    url: str = ""  # the phone page to go to (ELSEWHERE; HERE behind a proxy's shared name)
    public: str = ""  # the session's place, when it has a public page (/p/<place>)


def route(
    session: SessionInfo | None,
    owner: LiveOwner | None,
    *,
    here: Collection[str],
    own_url: str = "",
    forwarded_host: str = "",
) -> Route:
    """Where a request for ``session``'s phone page should go.

    ``here`` are the sessions this process owns, ``own_url`` the URL it announced,
    ``owner`` the session's current claim. ``forwarded_host`` is the ``X-Forwarded-Host`` a
    reverse proxy set: a request that reached the owner through a name shared by every process
    is sent to the owner's own name, or the page's socket would go to whichever process that
    shared name picks next.
    """
    if session is None:
        return Route(Where.UNKNOWN)
    path = f"/j/{session.join_code}"
    if session.session_id in here:
        own = urlsplit(own_url).netloc.lower()
        if forwarded_host and own and forwarded_host.lower() != own:
            return Route(Where.ELSEWHERE, session, own_url.rstrip("/") + path)
        return Route(Where.HERE, session)
    if owner is None or not owner.url or session.phase is Phase.CLOSED:
        return Route(Where.NOT_LIVE, session)
    return Route(Where.ELSEWHERE, session, owner.url.rstrip("/") + path)


class Router:
    """Reads sessions and their claims for the routes, on a store connection of its own."""

    def __init__(
        self, path: Database, here: Callable[[], Collection[str]], own_url: Callable[[], str]
    ) -> None:
        self._store = open_event_store(path)
        self._places = open_place_log(path)
        self._lock = threading.Lock()  # one connection: calls from worker threads never overlap
        self.here = here
        self.own_url = own_url

    def _lookup(self, code: str) -> tuple[SessionInfo | None, LiveOwner | None, bool]:
        with self._lock:
            session = self._store.find_session(code)
            if session is None:
                return None, None, False
            public = bool(session.place) and session.place in self._places.places()
            return session, self._store.live_owner(session.session_id), public

    async def route(self, code: str, forwarded_host: str = "") -> Route:
        """Where ``code``'s phone page is, read off the event loop."""
        session, owner, public = await asyncio.to_thread(self._lookup, code)
        found = route(
            session, owner, here=self.here(), own_url=self.own_url(), forwarded_host=forwarded_host
        )
        return dataclasses.replace(found, public=session.place) if public and session else found

    def close(self) -> None:
        with self._lock:
            self._store.close()
            self._places.close()
