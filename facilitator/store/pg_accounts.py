"""The staff accounts in PostgreSQL: the same queries as accounts.py (portable SQL), on a
connection of their own, in the tables pg_schema.py's version 2 creates."""

from __future__ import annotations

from typing import Any

import psycopg

from facilitator.store.accounts import AccountExists, AccountStore
from facilitator.store.pg_connect import connect, is_unique_violation, raise_pg_error
from facilitator.store.pg_schema import prepare


class PgAccountStore(AccountStore):
    """:class:`AccountStore` over psycopg: ``?`` becomes ``%s``, a transaction per write."""

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        """Use :meth:`open`."""
        self._pg = conn
        self.location = url

    @classmethod
    def open(cls, path: str | Any, *, busy_timeout_ms: int = 5000) -> PgAccountStore:
        url, action = str(path), "open the staff accounts"
        conn = connect(url, action)
        try:
            prepare(conn)
        except psycopg.Error as error:
            conn.close()
            raise_pg_error(error, action)
        except BaseException:
            conn.close()
            raise
        return cls(conn, url)

    def close(self) -> None:
        self._pg.close()

    def _write(
        self, action: str, *statements: tuple[str, tuple[object, ...]], new: bool = False
    ) -> int:
        changed = 0
        try:
            with self._pg.transaction():
                for n, (sql, params) in enumerate(statements):
                    cursor = self._pg.execute(sql.replace("?", "%s").encode(), params)
                    changed = cursor.rowcount if n == 0 else changed
        except psycopg.Error as error:
            if new and is_unique_violation(error, "staff_accounts_pkey"):
                raise AccountExists(str(statements[0][1][0])) from None
            raise_pg_error(error, action)
        return changed

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            return list(self._pg.execute(sql.replace("?", "%s").encode(), params).fetchall())
        except psycopg.Error as error:
            raise_pg_error(error, "read the staff accounts")
