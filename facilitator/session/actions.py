"""Action items (整改事項) and claims, the review of earlier items, and satisfaction ratings."""

from __future__ import annotations

from typing import Any

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import (
    ActionItem,
    Feedback,
    FollowUp,
    SessionRating,
    SessionState,
    evolve,
)

Events = tuple[e.Event, ...]
FEEDBACK_STATUSES = ("in_progress", "done")


def decide_add(state: SessionState, cmd: c.AddActionItem) -> Events:
    checks.changeable(state)
    checks.new_id(cmd.action_id, state.actions, "action_id")
    if cmd.owner_participant_id is not None:
        checks.participant(state, cmd.owner_participant_id)
    if cmd.issue_id is not None:
        checks.issue(state, cmd.issue_id)
    if cmd.poll_id is not None:
        checks.poll(state, cmd.poll_id)
    item_id = cmd.item_id if cmd.item_id is not None else state.current_item_id
    if item_id is not None:
        checks.item(state, item_id)
    return (
        e.ActionItemAdded(
            at=cmd.at,
            action_id=cmd.action_id,
            title=checks.text(cmd.title, "title", checks.TITLE_MAX),
            measures=checks.text(cmd.measures, "measures", checks.MEASURES_MAX, required=False),
            owner=checks.text(cmd.owner, "owner", checks.OWNER_MAX, required=False),
            owner_participant_id=cmd.owner_participant_id,
            deadline=cmd.deadline,
            issue_id=cmd.issue_id,
            poll_id=cmd.poll_id,
            item_id=item_id,
        ),
    )


def decide_update(state: SessionState, cmd: c.UpdateActionItem) -> Events:
    checks.changeable(state)
    found = checks.action(state, cmd.action_id)
    deadline = None if cmd.clear_deadline else (cmd.deadline or found.deadline)
    return (
        e.ActionItemUpdated(
            at=cmd.at,
            action_id=cmd.action_id,
            title=found.title
            if cmd.title is None
            else checks.text(cmd.title, "title", checks.TITLE_MAX),
            measures=found.measures
            if cmd.measures is None
            else checks.text(cmd.measures, "measures", checks.MEASURES_MAX, required=False),
            owner=found.owner
            if cmd.owner is None
            else checks.text(cmd.owner, "owner", checks.OWNER_MAX, required=False),
            deadline=deadline,
        ),
    )


def decide_claim(state: SessionState, cmd: c.ClaimActionItem) -> Events:
    checks.changeable(state)
    found = checks.action(state, cmd.action_id)
    checks.participant(state, cmd.participant_id)
    if found.claimed_by == cmd.participant_id:
        return ()
    if found.claimed_by is not None:
        raise SessionError(ErrorCode.ALREADY_CLAIMED)
    if not _may_claim(state, found, cmd.participant_id):
        raise SessionError(ErrorCode.ACTION_HAS_OWNER, owner=found.owner)
    return (
        e.ActionItemClaimed(at=cmd.at, action_id=cmd.action_id, participant_id=cmd.participant_id),
    )


def _may_claim(state: SessionState, found: ActionItem, pid: str) -> bool:
    """An item with no owner may be claimed by anyone; an owned one only by its owner: the
    participant named as owner, or one who joined under the owner's name or category (the gas
    company's representative claims the gas company's item)."""
    if not found.owner and found.owner_participant_id is None:
        return True
    if found.owner_participant_id == pid:
        return True
    person = state.participants[pid]
    return found.owner in (person.display_name, person.category)


def _follow_up(state: SessionState, ref: str) -> FollowUp:
    found = state.follow_ups.get(ref)
    if found is None:
        raise SessionError(ErrorCode.UNKNOWN_ACTION)
    return found


def decide_feedback(state: SessionState, cmd: c.RecordFeedback) -> Events:
    checks.changeable(state)
    _follow_up(state, cmd.ref)
    if cmd.status is not None and cmd.status not in FEEDBACK_STATUSES:
        raise SessionError(ErrorCode.INVALID_VALUE, field="status", reason="in_progress or done")
    return (
        e.FeedbackRecorded(
            at=cmd.at,
            ref=cmd.ref,
            text=checks.text(cmd.text, "feedback", checks.MEASURES_MAX),
            by=checks.text(cmd.by, "by", checks.OWNER_MAX, required=False),
            status=cmd.status,
        ),
    )


def decide_open_delivery_rating(state: SessionState, cmd: c.OpenDeliveryRating) -> Events:
    checks.in_progress(state)
    found = _follow_up(state, cmd.ref)
    return () if found.rating_open else (e.DeliveryRatingOpened(at=cmd.at, ref=cmd.ref),)


def decide_rate_delivery(state: SessionState, cmd: c.RateDelivery) -> Events:
    checks.in_progress(state)
    found = _follow_up(state, cmd.ref)
    checks.participant(state, cmd.participant_id)
    stars = checks.stars(cmd.stars)
    if not found.rating_open:
        raise SessionError(ErrorCode.RATING_NOT_OPEN)
    if found.ratings.get(cmd.participant_id) == stars:
        return ()
    return (
        e.DeliveryRated(at=cmd.at, ref=cmd.ref, participant_id=cmd.participant_id, stars=stars),
    )


def decide_rate_session(state: SessionState, cmd: c.RateSession) -> Events:
    """Like a delivery rating: only once the moderator has opened the rating (OpenRating)."""
    checks.in_progress(state)
    checks.participant(state, cmd.participant_id)
    stars = checks.stars(cmd.stars)
    comment = checks.text(cmd.comment, "comment", checks.COMMENT_MAX, required=False)
    if not state.rating_open:
        raise SessionError(ErrorCode.RATING_NOT_OPEN)
    previous = state.ratings.get(cmd.participant_id)
    if previous is not None and (previous.stars, previous.comment) == (stars, comment):
        return ()
    return (
        e.SessionRated(at=cmd.at, participant_id=cmd.participant_id, stars=stars, comment=comment),
    )


# --- folding -----------------------------------------------------------------------------------


def _put(s: SessionState, found: ActionItem, **changes: Any) -> SessionState:
    updated = evolve(found, **changes)
    return evolve(s, actions=s.actions.set(found.action_id, updated))


def _put_follow_up(s: SessionState, found: FollowUp, **changes: Any) -> SessionState:
    updated = evolve(found, **changes)
    return evolve(s, follow_ups=s.follow_ups.set(found.ref, updated))


def apply_added(s: SessionState, ev: e.ActionItemAdded) -> SessionState:
    found = ActionItem(
        action_id=ev.action_id,
        number=len(s.actions) + 1,
        title=ev.title,
        measures=ev.measures,
        owner=ev.owner,
        owner_participant_id=ev.owner_participant_id,
        deadline=ev.deadline,
        issue_id=ev.issue_id,
        poll_id=ev.poll_id,
        item_id=ev.item_id,
        created_at=ev.at,
    )
    return evolve(s, actions=s.actions.set(ev.action_id, found))


def apply_updated(s: SessionState, ev: e.ActionItemUpdated) -> SessionState:
    found = s.actions[ev.action_id]
    return _put(
        s, found, title=ev.title, measures=ev.measures, owner=ev.owner, deadline=ev.deadline
    )


def apply_claimed(s: SessionState, ev: e.ActionItemClaimed) -> SessionState:
    found = s.actions[ev.action_id]
    owner = found.owner or s.participants[ev.participant_id].display_name
    return _put(s, found, claimed_by=ev.participant_id, claimed_at=ev.at, owner=owner)


def apply_feedback(s: SessionState, ev: e.FeedbackRecorded) -> SessionState:
    found = s.follow_ups[ev.ref]
    entry = Feedback(at=ev.at, text=ev.text, by=ev.by, status=ev.status)
    return _put_follow_up(
        s, found, feedback=(*found.feedback, entry), status=ev.status or found.status
    )


def apply_delivery_rating_opened(s: SessionState, ev: e.DeliveryRatingOpened) -> SessionState:
    return _put_follow_up(s, s.follow_ups[ev.ref], rating_open=True)


def apply_delivery_rated(s: SessionState, ev: e.DeliveryRated) -> SessionState:
    found = s.follow_ups[ev.ref]
    return _put_follow_up(s, found, ratings=found.ratings.set(ev.participant_id, ev.stars))


def apply_session_rated(s: SessionState, ev: e.SessionRated) -> SessionState:
    rating = SessionRating(stars=ev.stars, comment=ev.comment, at=ev.at)
    return evolve(s, ratings=s.ratings.set(ev.participant_id, rating))


DECIDE: dict[type[c.Command], Any] = {
    c.AddActionItem: decide_add,
    c.UpdateActionItem: decide_update,
    c.ClaimActionItem: decide_claim,
    c.RecordFeedback: decide_feedback,
    c.OpenDeliveryRating: decide_open_delivery_rating,
    c.RateDelivery: decide_rate_delivery,
    c.RateSession: decide_rate_session,
}

APPLY: dict[type[e.Event], Any] = {
    e.ActionItemAdded: apply_added,
    e.ActionItemUpdated: apply_updated,
    e.ActionItemClaimed: apply_claimed,
    e.FeedbackRecorded: apply_feedback,
    e.DeliveryRatingOpened: apply_delivery_rating_opened,
    e.DeliveryRated: apply_delivery_rated,
    e.SessionRated: apply_session_rated,
}
