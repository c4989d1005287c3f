"""Sending an offline evening to the district database: ``facilitator sync LAPTOP.db --to DB``.

Per session, not all or nothing: each session's missing events are written in ONE transaction
(``append_batch``: a killed sync leaves a session whole or untouched) while the session is claimed
as if live (``claim_live``), so no server and no second sync writes it meanwhile; a session that
cannot be sent (diverged, live at the district, a join code the district already uses) is
reported and the others still go. A re-run sends only what is missing, so after a killed sync it
completes the work, exactly once. What to send is decided in :mod:`facilitator.store.sync_plan`.

The laptop is read from a snapshot (SQLite's backup API into a temporary file), so the sync never
writes to it, not even a migration.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TypeVar

from facilitator.ledger import LedgerUpdate
from facilitator.store.backend import (
    Database,
    open_event_store,
    open_ledger_log,
    open_place_log,
)
from facilitator.store.errors import StorageUnavailable, StoreError
from facilitator.store.owner import LiveOwner
from facilitator.store.place_log import StoredIntakeEvent
from facilitator.store.protocols import EventLog, Group, IntakeLog, LedgerUpdates
from facilitator.store.schema import SessionInfo, StoredEvent
from facilitator.store.sync_plan import (
    PlacePlan,
    SessionPlan,
    plan_ledger,
    plan_place,
    plan_session,
)

Stored = TypeVar("Stored", StoredEvent, StoredIntakeEvent)


@dataclasses.dataclass(frozen=True, slots=True)
class Stores:
    """The three logs of one database, opened together."""

    events: EventLog
    places: IntakeLog
    ledger: LedgerUpdates


@contextmanager
def opened(where: Database) -> Iterator[Stores]:
    """The three logs of the database at ``where`` (a SQLite file or a PostgreSQL URL), closed
    afterwards: the one place a sync opens a database."""
    with (
        open_event_store(where) as events,
        open_place_log(where) as places,
        open_ledger_log(where) as ledger,
    ):
        yield Stores(events, places, ledger)


@dataclasses.dataclass(frozen=True, slots=True)
class SessionResult:
    """One session's outcome: its plan, and the store's refusal when the write failed."""

    info: SessionInfo
    plan: SessionPlan
    error: StoreError | None = None

    @property
    def refused(self) -> bool:
        return self.plan.divergence is not None or self.error is not None


@dataclasses.dataclass(frozen=True, slots=True)
class PlaceResult:
    plan: PlacePlan
    error: StoreError | None = None

    @property
    def refused(self) -> bool:
        return self.plan.conflict is not None or self.error is not None


@dataclasses.dataclass(frozen=True, slots=True)
class LedgerResult:
    present: int
    send: tuple[LedgerUpdate, ...]
    error: StoreError | None = None


@contextmanager
def laptop_snapshot(path: Path) -> Iterator[Path]:
    """A consistent copy of the SQLite file at ``path`` (its write-ahead log included), in a
    temporary folder removed afterwards. The original is only read."""
    with TemporaryDirectory(prefix="facilitator-sync-") as folder:
        copy = Path(folder) / "laptop.db"
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                with sqlite3.connect(copy) as target:
                    source.backup(target)
                target.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            reason = "the file is not a facilitator database"
            if not isinstance(error, sqlite3.DatabaseError) or "not a database" not in str(error):
                reason = "the database file cannot be opened"
            raise StorageUnavailable(reason, action="read the laptop's database") from error
        yield copy


def _runs(stream: Sequence[Stored]) -> list[tuple[list[Stored], str | None, str]]:
    """Consecutive events that share a request id and an actor, so both are kept."""
    runs: list[tuple[list[Stored], str | None, str]] = []
    for stored in stream:
        if runs and (runs[-1][1], runs[-1][2]) == (stored.request_id, stored.actor):
            runs[-1][0].append(stored)
        else:
            runs.append(([stored], stored.request_id, stored.actor))
    return runs


def sync_session(
    laptop: EventLog, district: EventLog, info: SessionInfo, owner: LiveOwner, dry_run: bool
) -> SessionResult:
    """Send one session's missing events, or say why not (nothing of it written then)."""
    sid = info.session_id
    mine = list(laptop.load(sid))
    plan = plan_session(sid, mine, list(district.load(sid)))
    if dry_run or not plan.send or plan.divergence is not None:
        return SessionResult(info, plan)
    try:
        with district.claim_live(sid, owner):
            plan = plan_session(sid, mine, list(district.load(sid)))  # again, now that it is ours
            if plan.send and plan.divergence is None:
                runs = _runs(plan.send)
                batch: list[Group] = [(sid, [s.event for s in r], rid, by) for r, rid, by in runs]
                district.append_batch(batch)
    except StoreError as error:
        return SessionResult(info, plan, error)
    return SessionResult(info, plan)


def sync_place(laptop: IntakeLog, district: IntakeLog, place_id: str, dry_run: bool) -> PlaceResult:
    """Send a place's intake events the district lacks, or say why not."""
    plan = plan_place(place_id, laptop.load(place_id), district.load(place_id))
    if dry_run or not plan.send:
        return PlaceResult(plan)
    last = len(district.load(place_id))
    try:
        for run, rid, actor in _runs(plan.send):
            events = [s.event for s in run]
            last = district.append(place_id, events, request_id=rid, actor=actor, expected_seq=last)
    except StoreError as error:
        return PlaceResult(plan, error)
    return PlaceResult(plan)


def sync_ledger(laptop: LedgerUpdates, district: LedgerUpdates, dry_run: bool) -> LedgerResult:
    """Send the ledger-only updates the district lacks."""
    present, send = plan_ledger(laptop.updates(), district.updates())
    if dry_run:
        return LedgerResult(present, send)
    try:
        for update in send:
            district.append(update)
    except StoreError as error:
        return LedgerResult(present, send, error)
    return LedgerResult(present, send)


@dataclasses.dataclass(frozen=True, slots=True)
class SyncResult:
    sessions: tuple[SessionResult, ...]
    places: tuple[PlaceResult, ...]
    ledger: LedgerResult

    @property
    def refused(self) -> bool:
        return (
            any(s.refused for s in self.sessions)
            or any(p.refused for p in self.places)
            or self.ledger.error is not None
        )


def sync(laptop: Stores, district: Stores, owner: LiveOwner, *, dry_run: bool) -> SyncResult:
    """Every session (oldest first), every place, then the ledger updates."""
    infos = sorted(laptop.events.sessions(), key=lambda s: (s.created_at, s.session_id))
    sessions = tuple(
        sync_session(laptop.events, district.events, info, owner, dry_run) for info in infos
    )
    places = tuple(
        sync_place(laptop.places, district.places, place_id, dry_run)
        for place_id in laptop.places.places()
    )
    return SyncResult(sessions, places, sync_ledger(laptop.ledger, district.ledger, dry_run))
