"""Ids of new things and the codes a session is joined by.

The engine has no randomness: ids are made here, by whoever builds a command (a phone action, the
console, a script), and travel on the command, so replaying the log is deterministic.
"""

from __future__ import annotations

import secrets

from facilitator.store import EventLog

_JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed by elders


def new_id(prefix: str) -> str:
    """A short random id for a new thing (issue, poll, ...); ids are not secrets."""
    return f"{prefix}{secrets.token_hex(5)}"


def new_codes(store: EventLog) -> tuple[str, str]:
    """A 6-character join code and a 4-digit numeric code, both unused by open sessions."""
    while True:
        join = "".join(secrets.choice(_JOIN_ALPHABET) for _ in range(6))
        numeric = f"{secrets.randbelow(9000) + 1000}"
        if store.find_session(join) is None and store.find_session(numeric) is None:
            return join, numeric
