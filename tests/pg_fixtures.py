"""Fixtures for tests that run against both backends: import them into a conftest.

``pg_cluster`` starts one throwaway PostgreSQL for the whole test run (only when a test asks for
it); ``store_backend`` is "sqlite" or "postgresql" and ``db`` a fresh database of that backend (a
file path that does not exist yet, or the URL of a new, empty PostgreSQL database).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from facilitator.store.backend import Database, is_postgres
from tests.pg_kit import Cluster, missing_reason

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with Cluster() as cluster:
        yield cluster


@pytest.fixture(params=BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(store_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    if store_backend == "sqlite":
        return tmp_path / "data" / "facilitator.db"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


def raw_sql(db: Database, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
    """Run ``sql`` (``?`` placeholders) on ``db`` behind the store's back, committed: to damage a
    log on purpose or look at what is really stored."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(str(db), autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s").encode(), params)
            return list(cursor.fetchall()) if cursor.description else []
    import sqlite3

    lite = sqlite3.connect(db, isolation_level=None)
    try:
        return list(lite.execute(sql, tuple(params)).fetchall())
    finally:
        lite.close()


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Return once ``check()`` is true; fail after ``timeout`` seconds (a condition, not a sleep:
    e.g. until the server has noticed that a killed client's connection is gone)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {check}")
        time.sleep(0.01)
