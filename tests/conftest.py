"""Fixtures for every test folder: ``pg_cluster``, one throwaway PostgreSQL for the whole run,
started only if a test asks for it (tests/pg_fixtures.py)."""

from tests.pg_fixtures import pg_cluster

__all__ = ["pg_cluster"]
