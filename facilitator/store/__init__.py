"""The durable event log: every change of every session, in order, in one SQLite file.

``EventStore.open(path)`` gives the store; ``append`` / ``append_batch`` persist events (and only
return once they are on disk), ``load`` streams them back for replay. See docs/store.md.
"""

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
)
from facilitator.store.live import LiveClaim
from facilitator.store.owner import LiveOwner
from facilitator.store.schema import SCHEMA_VERSION, SessionInfo, StoredEvent
from facilitator.store.sqlite import EventStore, Group

__all__ = [
    "SCHEMA_VERSION",
    "ConcurrencyConflict",
    "CorruptEvent",
    "DuplicateSession",
    "EventStore",
    "Group",
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
    "decode_event",
    "encode_event",
]
