"""Small value types of the intake: a request's status, its urgency, an item's progress."""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    PENDING = "pending"  # raised, not yet screened
    ACCEPTED = "accepted"  # 已受理, waiting for what staff decide
    ANSWERED = "answered"  # answered; nothing more to do
    MERGED = "merged"  # a duplicate, joined to another request
    REJECTED = "rejected"  # not taken up; the reason is shown to the resident
    FIXED = "fixed"  # turned into a ledger item (限時辦結)
    SCHEDULED = "scheduled"  # for the next session
    TAKEN = "taken"  # in a session's agenda


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class ItemProgress(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


OPEN = frozenset({RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.ANSWERED})
"""Statuses from which staff may still accept, merge, reject, fix or schedule."""

TEXT_LIMIT = 1000
SHORT_LIMIT = 120
