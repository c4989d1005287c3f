"""Agenda items during the session: start, pause, resume, advance, skip, defer, extend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import AgendaItem, SessionState, evolve
from facilitator.session.values import ItemStatus

Events = tuple[e.Event, ...]
_FINISHED = (ItemStatus.DONE, ItemStatus.SKIPPED, ItemStatus.DEFERRED)


def end_current(state: SessionState, at: dt.datetime) -> Events:
    """Events that wrap up the current item: the speaker's turn ends, then the item is done."""
    out: list[e.Event] = []
    speaker = state.speaker
    if speaker is not None:
        out.append(speaking_ended(speaker.entry_id, speaker.started_at, at))
    if state.current_item_id is not None:
        out.append(e.ItemCompleted(at=at, item_id=state.current_item_id))
    return tuple(out)


def speaking_ended(entry_id: str, started: dt.datetime | None, at: dt.datetime) -> e.SpeakingEnded:
    duration = max((at - started).total_seconds(), 0.0) if started else 0.0
    return e.SpeakingEnded(at=at, entry_id=entry_id, duration_s=duration)


def decide_add(state: SessionState, cmd: c.AddAgendaItem) -> Events:
    checks.changeable(state)
    checks.new_id(cmd.item_id, state.items, "item_id")
    if cmd.after_item_id is not None:
        checks.item(state, cmd.after_item_id)
    options = tuple(checks.text(o, "option", checks.OPTION_MAX) for o in cmd.options)
    if len(options) == 1 or len(options) > checks.MAX_OPTIONS or len(set(options)) != len(options):
        raise SessionError(ErrorCode.INVALID_VALUE, field="options", reason="2-20 distinct")
    return (
        e.AgendaItemAdded(
            at=cmd.at,
            item_id=cmd.item_id,
            title=checks.text(cmd.title, "title", checks.TITLE_MAX),
            time_box_s=checks.time_box(cmd.time_box_s),
            description=checks.text(
                cmd.description, "description", checks.MEASURES_MAX, required=False
            ),
            options=options,
            after_item_id=cmd.after_item_id,
        ),
    )


def decide_start(state: SessionState, cmd: c.StartItem) -> Events:
    checks.in_progress(state)
    if checks.item(state, cmd.item_id).status is not ItemStatus.PENDING:
        raise SessionError(ErrorCode.ITEM_NOT_PENDING)
    return (*end_current(state, cmd.at), e.ItemStarted(at=cmd.at, item_id=cmd.item_id))


def decide_pause(state: SessionState, cmd: c.PauseItem) -> Events:
    checks.in_progress(state)
    current = state.current_item
    if current is None:
        raise SessionError(ErrorCode.NO_CURRENT_ITEM)
    if current.status is not ItemStatus.ACTIVE:
        raise SessionError(ErrorCode.ITEM_NOT_ACTIVE)
    return (e.ItemPaused(at=cmd.at, item_id=current.item_id),)


def decide_resume(state: SessionState, cmd: c.ResumeItem) -> Events:
    checks.in_progress(state)
    current = state.current_item
    if current is None:
        raise SessionError(ErrorCode.NO_CURRENT_ITEM)
    if current.status is not ItemStatus.PAUSED:
        raise SessionError(ErrorCode.ITEM_NOT_PAUSED)
    return (e.ItemResumed(at=cmd.at, item_id=current.item_id),)


def decide_advance(state: SessionState, cmd: c.AdvanceAgenda) -> Events:
    checks.in_progress(state)
    following = next_pending(state)
    if following is None and state.current_item_id is None:
        raise SessionError(ErrorCode.NO_NEXT_ITEM)
    started = () if following is None else (e.ItemStarted(at=cmd.at, item_id=following),)
    return (*end_current(state, cmd.at), *started)


def next_pending(state: SessionState) -> str | None:
    """The first pending item after the current one, else the first pending item at all."""
    order = state.item_order
    start = order.index(state.current_item_id) + 1 if state.current_item_id else 0
    for item_id in (*order[start:], *order[:start]):
        if state.items[item_id].status is ItemStatus.PENDING:
            return item_id
    return None


def _set_aside(state: SessionState, item_id: str, at: dt.datetime) -> Events:
    """Before an item is skipped or deferred: end a turn on it, if it is the current item."""
    if state.current_item_id != item_id or state.speaker is None:
        return ()
    speaker = state.speaker
    return (speaking_ended(speaker.entry_id, speaker.started_at, at),)


def decide_skip(state: SessionState, cmd: c.SkipItem) -> Events:
    checks.changeable(state)
    if checks.item(state, cmd.item_id).status in _FINISHED:
        raise SessionError(ErrorCode.ITEM_NOT_PENDING)
    return (*_set_aside(state, cmd.item_id, cmd.at), e.ItemSkipped(at=cmd.at, item_id=cmd.item_id))


def decide_defer(state: SessionState, cmd: c.DeferItem) -> Events:
    checks.changeable(state)
    if checks.item(state, cmd.item_id).status in _FINISHED:
        raise SessionError(ErrorCode.ITEM_NOT_PENDING)
    return (*_set_aside(state, cmd.item_id, cmd.at), e.ItemDeferred(at=cmd.at, item_id=cmd.item_id))


def decide_extend(state: SessionState, cmd: c.ExtendItem) -> Events:
    checks.changeable(state)
    found = checks.item(state, cmd.item_id)
    if found.status in _FINISHED:
        raise SessionError(ErrorCode.ITEM_NOT_PENDING)
    if isinstance(cmd.seconds, bool) or not isinstance(cmd.seconds, int) or cmd.seconds == 0:
        raise SessionError(ErrorCode.INVALID_VALUE, field="seconds", reason="not zero")
    checks.time_box((found.time_box_s or 0) + cmd.seconds)
    return (e.ItemExtended(at=cmd.at, item_id=cmd.item_id, seconds=cmd.seconds),)


# --- folding -----------------------------------------------------------------------------------


def _put(s: SessionState, item_id: str, **changes: Any) -> SessionState:
    updated = evolve(s.items[item_id], **changes)
    return evolve(s, items=s.items.set(item_id, updated))


def _stop(found: AgendaItem, at: dt.datetime) -> dict[str, Any]:
    """Fields that bank the running stretch of an item."""
    return {"elapsed_before_s": found.elapsed_s(at), "started_at": None}


def apply_added(s: SessionState, ev: e.AgendaItemAdded) -> SessionState:
    found = AgendaItem(
        item_id=ev.item_id,
        number=len(s.items) + 1,
        title=ev.title,
        time_box_s=ev.time_box_s,
        description=ev.description,
        options=ev.options,
        issue_id=ev.issue_id,
    )
    order = s.item_order
    position = order.index(ev.after_item_id) + 1 if ev.after_item_id else len(order)
    return evolve(
        s,
        items=s.items.set(ev.item_id, found),
        item_order=(*order[:position], ev.item_id, *order[position:]),
    )


def apply_started(s: SessionState, ev: e.ItemStarted) -> SessionState:
    found = s.items[ev.item_id]
    s = _put(
        s,
        ev.item_id,
        status=ItemStatus.ACTIVE,
        started_at=ev.at,
        first_started_at=found.first_started_at or ev.at,
    )
    return evolve(s, current_item_id=ev.item_id)


def apply_paused(s: SessionState, ev: e.ItemPaused) -> SessionState:
    return _put(s, ev.item_id, status=ItemStatus.PAUSED, **_stop(s.items[ev.item_id], ev.at))


def apply_resumed(s: SessionState, ev: e.ItemResumed) -> SessionState:
    return _put(s, ev.item_id, status=ItemStatus.ACTIVE, started_at=ev.at)


def _finish(s: SessionState, item_id: str, status: ItemStatus, at: dt.datetime) -> SessionState:
    s = _put(s, item_id, status=status, ended_at=at, **_stop(s.items[item_id], at))
    if s.current_item_id == item_id:
        s = evolve(s, current_item_id=None)
    return s


def apply_completed(s: SessionState, ev: e.ItemCompleted) -> SessionState:
    return _finish(s, ev.item_id, ItemStatus.DONE, ev.at)


def apply_skipped(s: SessionState, ev: e.ItemSkipped) -> SessionState:
    return _finish(s, ev.item_id, ItemStatus.SKIPPED, ev.at)


def apply_deferred(s: SessionState, ev: e.ItemDeferred) -> SessionState:
    return _finish(s, ev.item_id, ItemStatus.DEFERRED, ev.at)


def apply_extended(s: SessionState, ev: e.ItemExtended) -> SessionState:
    found = s.items[ev.item_id]
    return _put(s, ev.item_id, time_box_s=(found.time_box_s or 0) + ev.seconds)


DECIDE: dict[type[c.Command], Any] = {
    c.AddAgendaItem: decide_add,
    c.StartItem: decide_start,
    c.PauseItem: decide_pause,
    c.ResumeItem: decide_resume,
    c.AdvanceAgenda: decide_advance,
    c.SkipItem: decide_skip,
    c.DeferItem: decide_defer,
    c.ExtendItem: decide_extend,
}

APPLY: dict[type[e.Event], Any] = {
    e.AgendaItemAdded: apply_added,
    e.ItemStarted: apply_started,
    e.ItemPaused: apply_paused,
    e.ItemResumed: apply_resumed,
    e.ItemCompleted: apply_completed,
    e.ItemSkipped: apply_skipped,
    e.ItemDeferred: apply_deferred,
    e.ItemExtended: apply_extended,
}
