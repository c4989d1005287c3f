"""The sync's tests run with a SQLite file and with a PostgreSQL database as the district."""

from tests.pg_fixtures import db, pg_cluster, store_backend

__all__ = ["db", "pg_cluster", "store_backend"]
