"""The engine's one error family.

Every rejected command raises :class:`SessionError` *before* anything changes. The ``code`` is a
stable string shared by the engine, the server, the phone page and the console (each translates it
through the message catalog in :mod:`facilitator.i18n`); ``message`` is an English sentence for logs
and tests; ``params`` fill the placeholders of the translated message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from facilitator.i18n.refusal import Refusal


class ErrorCode(StrEnum):
    """Stable codes of every way the engine can refuse a command."""

    # session and phases
    SESSION_EXISTS = "session_exists"
    SESSION_NOT_CREATED = "session_not_created"
    SESSION_NOT_OPEN = "session_not_open"
    SESSION_CLOSED = "session_closed"
    ALREADY_OPEN = "already_open"
    INVALID_VALUE = "invalid_value"
    TEXT_EMPTY = "text_empty"
    TEXT_TOO_LONG = "text_too_long"
    DUPLICATE_ID = "duplicate_id"
    FORBIDDEN = "forbidden"
    # participants
    UNKNOWN_PARTICIPANT = "unknown_participant"
    NOT_CHECKED_IN = "not_checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    NOT_CHECKED_IN_YET = "not_checked_in_yet"
    DEVICE_IN_USE = "device_in_use"
    HAS_PHONE = "has_phone"
    NO_PHONE = "no_phone"
    TOOK_PART = "took_part"
    INVITE_UNKNOWN = "invite_unknown"
    # issues
    UNKNOWN_ISSUE = "unknown_issue"
    ALREADY_SUPPORTED = "already_supported"
    NOT_SUPPORTED = "not_supported"
    ISSUE_NOT_OPEN = "issue_not_open"
    ISSUE_SCREENED = "issue_screened"
    MERGE_INTO_SELF = "merge_into_self"
    # agenda
    UNKNOWN_ITEM = "unknown_item"
    NO_CURRENT_ITEM = "no_current_item"
    ITEM_NOT_PENDING = "item_not_pending"
    ITEM_NOT_ACTIVE = "item_not_active"
    ITEM_NOT_PAUSED = "item_not_paused"
    NO_NEXT_ITEM = "no_next_item"
    # speaker queue
    ALREADY_IN_QUEUE = "already_in_queue"
    NOT_IN_QUEUE = "not_in_queue"
    QUEUE_EMPTY = "queue_empty"
    FLOOR_TAKEN = "floor_taken"
    NOBODY_SPEAKING = "nobody_speaking"
    SPEAKER_LIMIT = "speaker_limit"
    # polls
    UNKNOWN_POLL = "unknown_poll"
    POLL_ALREADY_OPEN = "poll_already_open"
    POLL_CLOSED = "poll_closed"
    INVALID_CHOICE = "invalid_choice"
    TOO_MANY_CHOICES = "too_many_choices"
    BALLOT_FINAL = "ballot_final"
    OVER_CAPACITY = "over_capacity"
    # action items and follow-up
    UNKNOWN_ACTION = "unknown_action"
    ALREADY_CLAIMED = "already_claimed"
    ACTION_HAS_OWNER = "action_has_owner"
    INVALID_RATING = "invalid_rating"
    RATING_NOT_OPEN = "rating_not_open"


_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.SESSION_EXISTS: "This session already exists.",
    ErrorCode.SESSION_NOT_CREATED: "There is no session yet.",
    ErrorCode.SESSION_NOT_OPEN: "The session has not been opened yet.",
    ErrorCode.SESSION_CLOSED: "The session is closed; nothing more can change.",
    ErrorCode.ALREADY_OPEN: "The session is already open.",
    ErrorCode.INVALID_VALUE: "Invalid value for {field}: {reason}",
    ErrorCode.TEXT_EMPTY: "{field} must not be empty.",
    ErrorCode.TEXT_TOO_LONG: "{field} is too long ({length} characters; at most {limit}).",
    ErrorCode.DUPLICATE_ID: "The id {id} is already used.",
    ErrorCode.FORBIDDEN: "Only the moderator can do this.",
    ErrorCode.UNKNOWN_PARTICIPANT: "Unknown participant.",
    ErrorCode.NOT_CHECKED_IN: "Only people who have checked in can do this.",
    ErrorCode.ALREADY_CHECKED_IN: "Already checked in.",
    ErrorCode.NOT_CHECKED_IN_YET: "This person is not checked in.",
    ErrorCode.DEVICE_IN_USE: "This device already belongs to another participant.",
    ErrorCode.HAS_PHONE: "{name} has already joined from a phone; ask the moderator.",
    ErrorCode.NO_PHONE: "{name} has not joined from a phone.",
    ErrorCode.TOOK_PART: (
        "{name} has already taken part from this phone (voted, raised, supported, queued or "
        "rated), so it cannot become another entry."
    ),
    ErrorCode.INVITE_UNKNOWN: (
        "This invitation is not valid (a newer card may have replaced it); ask the moderator."
    ),
    ErrorCode.UNKNOWN_ISSUE: "Unknown issue.",
    ErrorCode.ALREADY_SUPPORTED: "You already support this issue.",
    ErrorCode.NOT_SUPPORTED: "You do not support this issue.",
    ErrorCode.ISSUE_NOT_OPEN: "This issue is no longer open.",
    ErrorCode.ISSUE_SCREENED: "This issue has already been screened.",
    ErrorCode.MERGE_INTO_SELF: "An issue cannot be merged into itself.",
    ErrorCode.UNKNOWN_ITEM: "Unknown agenda item.",
    ErrorCode.NO_CURRENT_ITEM: "No agenda item is in progress.",
    ErrorCode.ITEM_NOT_PENDING: "This agenda item is not waiting to be taken up.",
    ErrorCode.ITEM_NOT_ACTIVE: "This agenda item is not in progress.",
    ErrorCode.ITEM_NOT_PAUSED: "This agenda item is not paused.",
    ErrorCode.NO_NEXT_ITEM: "There is no further agenda item.",
    ErrorCode.ALREADY_IN_QUEUE: "Already in the speaker queue.",
    ErrorCode.NOT_IN_QUEUE: "Not in the speaker queue.",
    ErrorCode.QUEUE_EMPTY: "Nobody is waiting to speak.",
    ErrorCode.FLOOR_TAKEN: "Someone is speaking; end that turn first.",
    ErrorCode.NOBODY_SPEAKING: "Nobody is speaking.",
    ErrorCode.SPEAKER_LIMIT: "This speaker has used all {limit} turns on this item.",
    ErrorCode.UNKNOWN_POLL: "Unknown poll.",
    ErrorCode.POLL_ALREADY_OPEN: "Another poll is open; close it first.",
    ErrorCode.POLL_CLOSED: "Voting has closed.",
    ErrorCode.INVALID_CHOICE: "That is not one of the options.",
    ErrorCode.TOO_MANY_CHOICES: "Too many choices: at most {max}.",
    ErrorCode.BALLOT_FINAL: "Your ballot is final in this poll and cannot be changed.",
    ErrorCode.OVER_CAPACITY: (
        "That would make {total} voters but only {present} people are present."
    ),
    ErrorCode.UNKNOWN_ACTION: "Unknown action item.",
    ErrorCode.ALREADY_CLAIMED: "This action item has already been claimed.",
    ErrorCode.ACTION_HAS_OWNER: (
        "This action item already has an owner ({owner}); only they can claim it."
    ),
    ErrorCode.INVALID_RATING: "A rating is a whole number from 1 to 5.",
    ErrorCode.RATING_NOT_OPEN: "Rating is not open yet.",
}


def default_message(code: ErrorCode) -> str:
    """The English template of ``code`` (placeholders in braces)."""
    return _MESSAGES[code]


class SessionError(Refusal):
    """A command the engine refuses; the state is unchanged."""

    def __init__(self, code: ErrorCode, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        try:
            self.message = _MESSAGES[code].format(**params)
        except (KeyError, IndexError):
            self.message = _MESSAGES[code]
        super().__init__(f"{code.value}: {self.message}")
