"""The session itself: create, update, open, open the rating, close (the people in it are in
``people``; which participant a phone is, in ``phones``)."""

from __future__ import annotations

from typing import Any

from facilitator.agenda.model import SessionKind
from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import SessionState, evolve
from facilitator.session.values import Phase

Events = tuple[e.Event, ...]


def decide_create(state: SessionState | None, cmd: c.CreateSession) -> Events:
    if state is not None:
        raise SessionError(ErrorCode.SESSION_EXISTS)
    checks.new_id(cmd.session_id, (), "session_id")
    if not isinstance(cmd.kind, SessionKind):
        raise SessionError(ErrorCode.INVALID_VALUE, field="kind", reason=str(cmd.kind))
    if len(cmd.join_code) != 6 or not cmd.join_code.isalnum():
        raise SessionError(ErrorCode.INVALID_VALUE, field="join_code", reason="6 letters/digits")
    if not (
        4 <= len(cmd.numeric_code) <= 8
        and cmd.numeric_code.isascii()
        and cmd.numeric_code.isdigit()
    ):
        raise SessionError(ErrorCode.INVALID_VALUE, field="numeric_code", reason="4-8 digits")
    if len(cmd.item_ids) != len(cmd.items) or len(set(cmd.item_ids)) != len(cmd.item_ids):
        raise SessionError(ErrorCode.INVALID_VALUE, field="item_ids", reason="one id per item")
    if cmd.speaking_time_s <= 0 or cmd.max_turns_per_item < 0:
        raise SessionError(ErrorCode.INVALID_VALUE, field="speaking_time", reason="positive")
    for spec in cmd.items:
        checks.text(spec.title, "item title", checks.TITLE_MAX)
        checks.time_box(spec.time_box_s)
    refs = [f.ref for f in cmd.follow_ups]
    ids = [spec.issue_id for spec in cmd.intake_issues]
    if len(set(ids)) != len(ids) or len({s.ref for s in cmd.intake_issues}) != len(ids):
        raise SessionError(ErrorCode.INVALID_VALUE, field="intake_issues", reason="duplicate")
    for intake in cmd.intake_issues:
        checks.text(intake.text, "issue", checks.ISSUE_MAX)
    if len(set(refs)) != len(refs):
        raise SessionError(ErrorCode.INVALID_VALUE, field="follow_ups", reason="duplicate ref")
    return (
        e.SessionCreated(
            at=cmd.at,
            session_id=cmd.session_id,
            kind=cmd.kind,
            title=checks.text(cmd.title, "title", checks.TITLE_MAX),
            join_code=cmd.join_code.upper(),
            numeric_code=cmd.numeric_code,
            place=checks.text(cmd.place, "place", checks.TITLE_MAX, required=False),
            moderator=checks.text(cmd.moderator, "moderator", checks.NAME_MAX, required=False),
            recorder=checks.text(cmd.recorder, "recorder", checks.NAME_MAX, required=False),
            date=cmd.date,
            lang=cmd.lang,
            anonymous=cmd.anonymous,
            speaking_time_s=cmd.speaking_time_s,
            max_turns_per_item=cmd.max_turns_per_item,
            items=cmd.items,
            item_ids=cmd.item_ids,
            follow_ups=cmd.follow_ups,
            quorum=checks.quorum(cmd.quorum),
            categories=checks.categories(tuple(cmd.categories)),
            intake_issues=cmd.intake_issues,
        ),
    )


def decide_update(state: SessionState, cmd: c.UpdateSession) -> Events:
    checks.changeable(state)

    def pick(value: str | None, current: str, field: str, limit: int, required: bool) -> str:
        return current if value is None else checks.text(value, field, limit, required=required)

    return (
        e.SessionUpdated(
            at=cmd.at,
            title=pick(cmd.title, state.title, "title", checks.TITLE_MAX, True),
            place=pick(cmd.place, state.place, "place", checks.TITLE_MAX, False),
            moderator=pick(cmd.moderator, state.moderator, "moderator", checks.NAME_MAX, False),
            recorder=pick(cmd.recorder, state.recorder, "recorder", checks.NAME_MAX, False),
        ),
    )


def decide_open(state: SessionState, cmd: c.OpenSession) -> Events:
    checks.changeable(state)
    if state.phase is Phase.OPEN:
        raise SessionError(ErrorCode.ALREADY_OPEN)
    return (e.SessionOpened(at=cmd.at),)


def decide_open_rating(state: SessionState, cmd: c.OpenRating) -> Events:
    checks.in_progress(state)
    return () if state.rating_open else (e.RatingOpened(at=cmd.at),)


def apply_updated(s: SessionState, ev: e.SessionUpdated) -> SessionState:
    return evolve(s, title=ev.title, place=ev.place, moderator=ev.moderator, recorder=ev.recorder)


def apply_opened(s: SessionState, ev: e.SessionOpened) -> SessionState:
    return evolve(s, phase=Phase.OPEN, opened_at=s.opened_at or ev.at)


def apply_rating_opened(s: SessionState, ev: e.RatingOpened) -> SessionState:
    return evolve(s, rating_open=True)


def apply_closed(s: SessionState, ev: e.SessionClosed) -> SessionState:
    return evolve(s, phase=Phase.CLOSED, closed_at=ev.at, rating_open=False)


DECIDE: dict[type[c.Command], Any] = {
    c.UpdateSession: decide_update,
    c.OpenSession: decide_open,
    c.OpenRating: decide_open_rating,
}

APPLY: dict[type[e.Event], Any] = {
    e.SessionUpdated: apply_updated,
    e.SessionOpened: apply_opened,
    e.RatingOpened: apply_rating_opened,
    e.SessionClosed: apply_closed,
}
