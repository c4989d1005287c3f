"""The durable event log: every change of every session, in order, in one SQLite file or one
PostgreSQL database.

``open_event_store(db)`` gives the store (``EventStore`` for a file, ``PgEventStore`` for a
``postgresql://`` URL; both are an :class:`EventLog`); ``append`` / ``append_batch`` persist
events (and only return once they are durable), ``load`` streams them back for replay. See
docs/store.md.
"""

from facilitator.store.backend import (
    Database,
    exists,
    is_postgres,
    open_event_store,
    open_ledger_log,
    open_place_log,
    shown,
)
from facilitator.store.codec import decode_event, encode_event
from facilitator.store.errors import (
    ConcurrencyConflict,
    CorruptEvent,
    DuplicateSession,
    SchemaTooNew,
    SessionLive,
    StorageUnavailable,
    StoreError,
    StoreErrorCode,
    UnknownEventType,
    UnknownSession,
    UnstorableEvent,
    WaitStopped,
)
from facilitator.store.live import LiveClaim
from facilitator.store.owner import LiveOwner
from facilitator.store.protocols import EventLog, IntakeLog, LedgerUpdates
from facilitator.store.schema import SCHEMA_VERSION, SessionInfo, StoredEvent
from facilitator.store.sqlite import EventStore, Group

__all__ = [
    "SCHEMA_VERSION",
    "ConcurrencyConflict",
    "CorruptEvent",
    "Database",
    "DuplicateSession",
    "EventLog",
    "EventStore",
    "Group",
    "IntakeLog",
    "LedgerUpdates",
    "LiveClaim",
    "LiveOwner",
    "SchemaTooNew",
    "SessionInfo",
    "SessionLive",
    "StorageUnavailable",
    "StoreError",
    "StoreErrorCode",
    "StoredEvent",
    "UnknownEventType",
    "UnknownSession",
    "UnstorableEvent",
    "WaitStopped",
    "decode_event",
    "encode_event",
    "exists",
    "is_postgres",
    "open_event_store",
    "open_ledger_log",
    "open_place_log",
    "shown",
]
