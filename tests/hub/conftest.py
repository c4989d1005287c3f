"""Both backends for the tests that take ``db`` (a SQLite file, a PostgreSQL database)."""

from tests.pg_fixtures import db, store_backend

__all__ = ["db", "store_backend"]
