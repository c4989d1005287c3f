"""Which backend a ``--db`` names: a ``postgresql://`` (or ``postgres://``) URL is a PostgreSQL
database, anything else a SQLite file. Everything that opens a log goes through these functions.

PostgreSQL URLs take libpq's form, e.g. ``postgresql://facilitator:secret@db.example/district``
or, over a unix socket, ``postgresql://facilitator@/district?host=/run/postgresql``. The password
is never shown: messages use :func:`shown`.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.store.accounts import AccountStore
from facilitator.store.ledger_log import LedgerLog
from facilitator.store.pg_connect import is_url, mask
from facilitator.store.place_log import PlaceLog
from facilitator.store.protocols import EventLog, IntakeLog, LedgerUpdates
from facilitator.store.sqlite import Clock, EventStore

Database = str | Path
"""A SQLite file's path or a PostgreSQL URL."""


def is_postgres(db: Database) -> bool:
    """Whether ``db`` is a PostgreSQL URL."""
    return is_url(str(db))


def shown(db: Database) -> str:
    """``db`` as it may be shown to people and logs: a URL without its password."""
    return mask(str(db))


def open_event_store(db: Database, *, clock: Clock | None = None) -> EventLog:
    """The event log at ``db`` (created or migrated as needed)."""
    if is_postgres(db):
        from facilitator.store.pg_store import PgEventStore

        return PgEventStore.open(str(db), clock=clock)
    return EventStore.open(db, clock=clock)


def open_ledger_log(db: Database) -> LedgerUpdates:
    """The ledger-only updates in the database at ``db``."""
    if is_postgres(db):
        from facilitator.store.pg_logs import PgLedgerLog

        return PgLedgerLog.open(str(db))
    return LedgerLog.open(db)


def open_place_log(db: Database) -> IntakeLog:
    """The places' intake streams in the database at ``db``."""
    if is_postgres(db):
        from facilitator.store.pg_logs import PgPlaceLog

        return PgPlaceLog.open(str(db))
    return PlaceLog.open(db)


def open_account_store(db: Database) -> AccountStore:
    """The staff accounts in the database at ``db`` (the schema upgraded as needed)."""
    if is_postgres(db):
        from facilitator.store.pg_accounts import PgAccountStore

        return PgAccountStore.open(str(db))
    return AccountStore.open(db)


def exists(db: Database) -> bool:
    """Whether there is a database at ``db`` to read (a URL: the server says, when opened)."""
    return True if is_postgres(db) else Path(db).exists()


def beside(db: Database, suffix: str) -> Path:
    """A local folder for files that belong with the database (residents' photos): beside a
    SQLite file; for PostgreSQL, under the user's data folder, one per server and database."""
    if not is_postgres(db):
        path = Path(db)
        return path.with_name(path.name + suffix)
    from urllib.parse import urlsplit

    parts = urlsplit(str(db))
    host = (parts.hostname or "local").replace("/", "_")
    name = parts.path.strip("/") or "postgres"
    return Path.home() / ".local" / "share" / "facilitator" / f"{host}-{name}{suffix}"
