"""The session engine, sans-IO: commands in, events out, state folded from events."""

from facilitator.session.engine import COMMAND_TYPES, SessionEngine, apply, decide, fold
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import SessionState

__all__ = [
    "COMMAND_TYPES",
    "ErrorCode",
    "SessionEngine",
    "SessionError",
    "SessionState",
    "apply",
    "decide",
    "fold",
]
