"""Staff accounts in the database file: every query on ``staff_accounts``, ``staff_places`` and
``staff_tokens`` (created by schema version 2, facilitator/store/schema.py).

The store keeps what it is given: a secret's hash string and a session token's hash. Hashing,
checking and policy live in :mod:`facilitator.place_hub.staff`; nothing here ever sees a secret or
a token in clear. The SQL is portable (``?`` placeholders, ``ON CONFLICT DO NOTHING``): the
PostgreSQL twin (pg_accounts.py) only opens, reads and writes differently.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from facilitator.store.errors import raise_storage_error
from facilitator.store.portable import ClosesOnExit
from facilitator.store.schema import prepare, sortable, sqlite_rows, write_transaction

ROLES = ("admin", "staff")
_GRANT = "INSERT INTO staff_places (name, place_id) VALUES (?, ?) ON CONFLICT DO NOTHING"


@dataclass(frozen=True, slots=True)
class Account:
    """One staff account: ``places`` are the places granted (an admin acts on all of them)."""

    name: str
    role: str
    places: tuple[str, ...]
    disabled: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """Whose a session token is and until when."""

    account: Account
    expires_at: dt.datetime


class AccountExists(Exception):
    """``create`` of a name already taken."""


class AccountStore(ClosesOnExit):
    """The staff tables of one database file, on a connection of their own."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        """Use :meth:`open`."""
        self._conn = conn
        self.location = str(path)

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> AccountStore:
        """Open the database at ``path``, upgrading its schema when it is older."""
        where = Path(path).expanduser()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(where, isolation_level=None, check_same_thread=False)
            prepare(conn, busy_timeout_ms)
        except sqlite3.Error as error:
            raise_storage_error(error, "open the staff accounts")
        except OSError as error:
            raise_storage_error(sqlite3.OperationalError(str(error)), "open the staff accounts")
        return cls(conn, where)

    def close(self) -> None:
        self._conn.close()

    def _write(
        self, action: str, *statements: tuple[str, tuple[object, ...]], new: bool = False
    ) -> int:
        """Run ``statements`` in one transaction; the rows the first one changed."""
        changed = 0
        try:
            with write_transaction(self._conn, action):
                for n, (sql, params) in enumerate(statements):
                    cursor = self._conn.execute(sql, params)
                    changed = cursor.rowcount if n == 0 else changed
        except sqlite3.IntegrityError:  # not the disk: write_transaction raises it as it is
            if new:
                raise AccountExists(str(statements[0][1][0])) from None
            raise
        return changed

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        return sqlite_rows(self._conn, sql, params, "read the staff accounts")

    # --- accounts -------------------------------------------------------------------------------

    def create(
        self, name: str, role: str, secret_hash: str, places: tuple[str, ...], at: dt.datetime
    ) -> None:
        """A new account (:class:`AccountExists` if the name is taken)."""
        self._write(
            "save the staff account",
            (
                "INSERT INTO staff_accounts (name, role, secret, created_at) VALUES (?, ?, ?, ?)",
                (name, role, secret_hash, sortable(at)),
            ),
            *((_GRANT, (name, p)) for p in places),
            new=True,
        )

    def get(self, name: str) -> Account | None:
        rows = self._read(
            "SELECT name, role, disabled, created_at FROM staff_accounts WHERE name = ?", (name,)
        )
        return self._account(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        rows = self._read(
            "SELECT name, role, disabled, created_at FROM staff_accounts ORDER BY name", ()
        )
        return [self._account(row) for row in rows]

    def _account(self, row: tuple[object, ...]) -> Account:
        name, role, disabled, created = row
        places = self._read(
            "SELECT place_id FROM staff_places WHERE name = ? ORDER BY place_id", (name,)
        )
        return Account(
            str(name),
            str(role),
            tuple(str(p[0]) for p in places),
            bool(disabled),
            dt.datetime.fromisoformat(str(created)),
        )

    def secret_hash(self, name: str) -> str | None:
        rows = self._read("SELECT secret FROM staff_accounts WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def grant(self, name: str, place_id: str) -> bool:
        """Whether the grant is new."""
        return self._write("save the staff account", (_GRANT, (name, place_id))) > 0

    def revoke(self, name: str, place_id: str) -> bool:
        """Whether there was such a grant."""
        sql = "DELETE FROM staff_places WHERE name = ? AND place_id = ?"
        return self._write("save the staff account", (sql, (name, place_id))) > 0

    def set_secret(self, name: str, secret_hash: str) -> bool:
        """A new secret; every session token of the account stops working."""
        return (
            self._write(
                "save the staff account",
                ("UPDATE staff_accounts SET secret = ? WHERE name = ?", (secret_hash, name)),
                ("DELETE FROM staff_tokens WHERE name = ?", (name,)),
            )
            > 0
        )

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable or enable an account. A disabled account's tokens are kept, refused, until
        they expire (so their holder is told why); enabling a disabled account drops them: it
        takes a new sign-in."""
        drop = (
            "DELETE FROM staff_tokens WHERE name = ?"
            " AND (SELECT disabled FROM staff_accounts WHERE name = ?) = 1"
        )
        self._write(
            "save the staff account",
            *(() if disabled else ((drop, (name, name)),)),
            ("UPDATE staff_accounts SET disabled = ? WHERE name = ?", (int(disabled), name)),
        )

    # --- session tokens --------------------------------------------------------------------------

    def add_token(
        self, token_hash: str, name: str, issued_at: dt.datetime, expires_at: dt.datetime
    ) -> None:
        self._write(
            "save the sign-in",
            (
                "INSERT INTO staff_tokens (token_hash, name, issued_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (token_hash, name, sortable(issued_at), sortable(expires_at)),
            ),
        )

    def token(self, token_hash: str) -> TokenRecord | None:
        """The account of a session token (disabled or not) and its expiry."""
        rows = self._read(
            "SELECT a.name, a.role, a.disabled, a.created_at, t.expires_at"
            " FROM staff_tokens t JOIN staff_accounts a ON a.name = t.name"
            " WHERE t.token_hash = ?",
            (token_hash,),
        )
        if not rows:
            return None
        *account, expires = rows[0]
        return TokenRecord(self._account(tuple(account)), dt.datetime.fromisoformat(str(expires)))

    def drop_token(self, token_hash: str) -> bool:
        sql = "DELETE FROM staff_tokens WHERE token_hash = ?"
        return self._write("save the sign-out", (sql, (token_hash,))) > 0

    def drop_expired(self, now: dt.datetime) -> int:
        """Forget tokens past their expiry; how many."""
        sql = "DELETE FROM staff_tokens WHERE expires_at <= ?"
        return self._write("save the sign-out", (sql, (sortable(now),)))
