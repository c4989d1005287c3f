"""The staff accounts in PostgreSQL: the same queries as accounts.py (portable SQL), on a
connection of their own, made again on the next call after it broke (a server restart), in the
tables pg_schema.py's version 2 creates."""

from __future__ import annotations

from typing import Any

import psycopg

from facilitator.store.accounts import AccountExists, AccountStore
from facilitator.store.pg_connect import (
    connect,
    is_unique_violation,
    pg_rows,
    pg_sql,
    raise_pg_error,
)
from facilitator.store.pg_schema import open_database


class PgAccountStore(AccountStore):
    """:class:`AccountStore` over psycopg: ``?`` becomes ``%s``, a transaction per write."""

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        """Use :meth:`open`."""
        self._pg = conn
        self.location = url

    @classmethod
    def open(cls, path: str | Any, *, busy_timeout_ms: int = 5000) -> PgAccountStore:
        return cls(open_database(str(path), "open the staff accounts"), str(path))

    def close(self) -> None:
        self._pg.close()

    def _connection(self, action: str) -> psycopg.Connection[Any]:
        if self._pg.broken or self._pg.closed:
            self._pg = connect(self.location, action)
        return self._pg

    def _write(
        self, action: str, *statements: tuple[str, tuple[object, ...]], new: bool = False
    ) -> int:
        changed = 0
        try:
            conn = self._connection(action)
            with conn.transaction():
                for n, (sql, params) in enumerate(statements):
                    cursor = conn.execute(pg_sql(sql), params)
                    changed = cursor.rowcount if n == 0 else changed
        except psycopg.Error as error:
            if new and is_unique_violation(error, "staff_accounts_pkey"):
                raise AccountExists(str(statements[0][1][0])) from None
            raise_pg_error(error, action)
        return changed

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        action = "read the staff accounts"
        return pg_rows(self._connection(action), sql, params, action)
