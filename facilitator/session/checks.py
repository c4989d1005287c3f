"""Guards shared by the deciders: each raises a :class:`SessionError` or returns a clean value."""

from __future__ import annotations

from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import (
    ActionItem,
    AgendaItem,
    Issue,
    Participant,
    Poll,
    SessionState,
)
from facilitator.session.values import Phase, PollStatus, Quorum, QuorumRule

# Text limits, in characters. A phone shows a counter; the server refuses longer texts with
# TEXT_TOO_LONG rather than cutting them silently.
NAME_MAX = 40
LABEL_MAX = 40  # category, building, unit
ID_MAX = 64
ISSUE_MAX = 300
REASON_MAX = 300
OPINION_MAX = 500
TITLE_MAX = 200
OPTION_MAX = 100
MEASURES_MAX = 1000
COMMENT_MAX = 300
OWNER_MAX = 60
MAX_OPTIONS = 20
MAX_CATEGORIES = 30
MAX_TIME_BOX_S = 8 * 3600


def quorum(rule: Quorum) -> Quorum:
    """Refuse a quorum rule that is unknown or whose numbers make no sense."""
    if not isinstance(rule.rule, QuorumRule) or rule.count < 0:
        raise SessionError(ErrorCode.INVALID_VALUE, field="quorum", reason="unknown rule")
    fraction = rule.rule in (QuorumRule.ROSTER_FRACTION, QuorumRule.PRESENT_FRACTION)
    if fraction and not 0 < rule.num <= rule.den:
        raise SessionError(ErrorCode.INVALID_VALUE, field="quorum", reason="fraction 0-1")
    return rule


def categories(names: tuple[str, ...]) -> tuple[str, ...]:
    """The place's categories: each a short label, all different, at most MAX_CATEGORIES."""
    cleaned = tuple(text(n, "category", LABEL_MAX) for n in names)
    if len(cleaned) > MAX_CATEGORIES or len(set(cleaned)) != len(cleaned):
        raise SessionError(ErrorCode.INVALID_VALUE, field="categories", reason="distinct, <= 30")
    return cleaned


def text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    """Strip ``value`` and check it against ``limit``; empty is refused when ``required``."""
    cleaned = value.strip()
    if required and not cleaned:
        raise SessionError(ErrorCode.TEXT_EMPTY, field=field)
    if len(cleaned) > limit:
        raise SessionError(ErrorCode.TEXT_TOO_LONG, field=field, length=len(cleaned), limit=limit)
    return cleaned


def new_id(value: str, existing: object, field: str) -> str:
    """A fresh id: non-empty, short, and not already a key of ``existing``."""
    if not value or len(value) > ID_MAX:
        raise SessionError(ErrorCode.INVALID_VALUE, field=field, reason="bad id")
    if value in existing:  # type: ignore[operator]
        raise SessionError(ErrorCode.DUPLICATE_ID, id=value)
    return value


def changeable(state: SessionState) -> None:
    """Anything may change before the session closes."""
    if state.phase is Phase.CLOSED:
        raise SessionError(ErrorCode.SESSION_CLOSED)


def in_progress(state: SessionState) -> None:
    """The meeting itself is running (opened and not closed)."""
    changeable(state)
    if state.phase is not Phase.OPEN:
        raise SessionError(ErrorCode.SESSION_NOT_OPEN)


def participant(state: SessionState, participant_id: str | None) -> Participant:
    found = state.participants.get(participant_id) if participant_id else None
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_PARTICIPANT)
    return found


def present_participant(state: SessionState, participant_id: str) -> Participant:
    found = participant(state, participant_id)
    if not found.checked_in:
        raise SessionError(ErrorCode.NOT_CHECKED_IN)
    return found


def issue(state: SessionState, issue_id: str | None) -> Issue:
    found = state.issues.get(issue_id) if issue_id else None
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_ISSUE)
    return found


def root_issue(state: SessionState, issue_id: str) -> Issue:
    """Follow merges to the issue that now carries the supporters."""
    found = issue(state, issue_id)
    while found.merged_into is not None:
        found = issue(state, found.merged_into)
    return found


def item(state: SessionState, item_id: str | None) -> AgendaItem:
    found = state.items.get(item_id) if item_id else None
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_ITEM)
    return found


def poll(state: SessionState, poll_id: str) -> Poll:
    found = state.polls.get(poll_id)
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_POLL)
    return found


def open_poll(state: SessionState, poll_id: str) -> Poll:
    found = poll(state, poll_id)
    if found.status is not PollStatus.OPEN:
        raise SessionError(ErrorCode.POLL_CLOSED)
    return found


def action(state: SessionState, action_id: str) -> ActionItem:
    found = state.actions.get(action_id)
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_ACTION)
    return found


def stars(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise SessionError(ErrorCode.INVALID_RATING)
    return value


def time_box(value: int | None, field: str = "time_box") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_TIME_BOX_S:
        raise SessionError(ErrorCode.INVALID_VALUE, field=field, reason="1 s to 8 h")
    return value
