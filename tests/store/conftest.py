"""Fixtures of the store's tests: a real database of each backend (``db``: a SQLite file in
tmp_path, or a fresh database on a throwaway PostgreSQL) and a clock the test controls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.store.backend import Database, open_event_store
from facilitator.store.protocols import EventLog
from tests.pg_fixtures import db, store_backend

__all__ = ["db", "store_backend"]


class TickingClock:
    """Starts at a fixed instant and moves one second per reading, so order is visible."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 5, 16, 11, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "facilitator.db"  # a folder that does not exist yet


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def store(db: Database, clock: TickingClock) -> Iterator[EventLog]:
    with open_event_store(db, clock=clock) as opened:
        yield opened
