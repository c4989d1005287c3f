"""What every backend offers (SQLite in a file, PostgreSQL on a server): the types the hub, the
services and the command line are written against. ``backend.py`` opens the right one."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from facilitator.intake import IntakeEvent
from facilitator.ledger import LedgerUpdate
from facilitator.session.events import Event
from facilitator.store.live import LiveClaim
from facilitator.store.owner import LiveOwner
from facilitator.store.place_log import StoredIntakeEvent
from facilitator.store.schema import SessionInfo, StoredEvent

Group = tuple[str, Sequence[Event], str | None, str]
"""One command's events in a batch: (session_id, events, request_id, actor)."""


class Closing(Protocol):
    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class EventLog(Closing, Protocol):
    """The sessions' event log (facilitator.store.sqlite.EventStore, pg_store.PgEventStore).

    ``location`` is what opened it (a file path or a URL, password included: pass it to the
    ``open_*`` functions, show ``mask(location)``).
    """

    @property
    def location(self) -> str: ...

    def claim_live(
        self, session_id: str, owner: LiveOwner
    ) -> AbstractContextManager[LiveClaim]: ...

    def wait_live(
        self,
        session_id: str,
        owner: LiveOwner,
        *,
        stop: threading.Event | None = None,
        poll: float = 0.2,
    ) -> AbstractContextManager[LiveClaim]:
        """As ``claim_live``, but waits while another process holds the session (a standby);
        raises :class:`~facilitator.store.errors.WaitStopped` once ``stop`` is set."""
        ...

    def live_owner(self, session_id: str) -> LiveOwner | None:
        """Who serves ``session_id`` right now; ``None`` when nobody does."""
        ...

    def append(
        self,
        session_id: str,
        events: Sequence[Event],
        *,
        expected_seq: int | None = None,
        request_id: str | None = None,
        actor: str = "",
    ) -> int: ...

    def append_batch(self, batch: Sequence[Group]) -> list[int]: ...

    def load(self, session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]: ...

    def last_seq(self, session_id: str) -> int: ...

    def sessions(self) -> list[SessionInfo]: ...

    def get_session(self, session_id: str) -> SessionInfo: ...

    def find_session(self, code: str) -> SessionInfo | None: ...

    def recent_request_ids(self, session_id: str, limit: int = 10000) -> list[tuple[str, int]]: ...


class LedgerUpdates(Closing, Protocol):
    """The ledger-only updates (ledger_log.LedgerLog, pg_logs.PgLedgerLog)."""

    def append(self, update: LedgerUpdate) -> None: ...

    def updates(self) -> list[LedgerUpdate]: ...


class IntakeLog(Closing, Protocol):
    """The places' intake streams (place_log.PlaceLog, pg_logs.PgPlaceLog)."""

    @property
    def location(self) -> str: ...

    def append(
        self,
        place_id: str,
        events: Sequence[IntakeEvent],
        *,
        request_id: str | None = None,
        actor: str = "staff",
        expected_seq: int | None = None,
    ) -> int: ...

    def load(self, place_id: str, *, after_seq: int = 0) -> list[StoredIntakeEvent]: ...

    def places(self) -> list[str]: ...
