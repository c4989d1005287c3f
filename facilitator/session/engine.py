"""The engine: ``decide`` (command -> events), ``apply`` (state + event -> state), and a small
stateful wrapper. No I/O and no clock: time and ids arrive on the commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from immutables import Map

from facilitator.session import actions, issues, items, meeting, people, phones, speakers, votes
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.checks import in_progress
from facilitator.session.decision import decide_outcome
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.issues import intake_issue
from facilitator.session.state import AgendaItem, FollowUp, SessionState, evolve

Events = tuple[e.Event, ...]


def _decide_close(state: SessionState, cmd: c.CloseSession) -> Events:
    """Closing: an open poll is closed first (with its decision), then the floor and the item."""
    in_progress(state)
    out: list[e.Event] = []
    poll = state.open_poll
    if poll is not None:
        out.append(
            e.PollClosed(at=cmd.at, poll_id=poll.poll_id, decision=decide_outcome(state, poll))
        )
    out.extend(items.end_current(state, cmd.at))
    out.append(e.SessionClosed(at=cmd.at))
    return tuple(out)


def _apply_created(ev: e.SessionCreated) -> SessionState:
    agenda = Map(
        {
            item_id: AgendaItem(
                item_id=item_id,
                number=n,
                title=spec.title,
                time_box_s=spec.time_box_s,
                description=spec.description,
                options=spec.options,
            )
            for n, (item_id, spec) in enumerate(zip(ev.item_ids, ev.items, strict=True), start=1)
        }
    )
    follow_ups = Map(
        {
            f.ref: FollowUp(
                ref=f.ref,
                number=n,
                title=f.title,
                owner=f.owner,
                deadline=f.deadline,
                status=f.status,
                overdue=f.overdue,
                origin=f.origin,
                home_ratings=f.home_ratings,
            )
            for n, f in enumerate(ev.follow_ups, start=1)
        }
    )
    return SessionState(
        session_id=ev.session_id,
        kind=ev.kind,
        title=ev.title,
        place=ev.place,
        moderator=ev.moderator,
        recorder=ev.recorder,
        date=ev.date,
        lang=ev.lang,
        join_code=ev.join_code,
        numeric_code=ev.numeric_code,
        anonymous=ev.anonymous,
        speaking_time_s=ev.speaking_time_s,
        max_turns_per_item=ev.max_turns_per_item,
        created_at=ev.at,
        quorum=ev.quorum,
        categories=ev.categories,
        items=agenda,
        item_order=ev.item_ids,
        follow_ups=follow_ups,
        issues=Map(
            {
                spec.issue_id: intake_issue(n, spec, ev.at)
                for n, spec in enumerate(ev.intake_issues, start=1)
            }
        ),
    )


_DECIDE: dict[type[c.Command], Callable[[SessionState, Any], Events]] = {
    c.CloseSession: _decide_close,
    **meeting.DECIDE,
    **people.DECIDE,
    **phones.DECIDE,
    **issues.DECIDE,
    **items.DECIDE,
    **speakers.DECIDE,
    **votes.DECIDE,
    **actions.DECIDE,
}

_APPLY: dict[type[e.Event], Callable[[SessionState, Any], SessionState]] = {
    **meeting.APPLY,
    **people.APPLY,
    **phones.APPLY,
    **issues.APPLY,
    **items.APPLY,
    **speakers.APPLY,
    **votes.APPLY,
    **actions.APPLY,
}

COMMAND_TYPES: tuple[type[c.Command], ...] = (c.CreateSession, *_DECIDE)
"""Every command the engine understands."""


def decide(state: SessionState | None, command: c.Command) -> Events:
    """The events ``command`` causes, or a :class:`SessionError`; never changes ``state``."""
    if isinstance(command, c.CreateSession):
        return meeting.decide_create(state, command)
    if state is None:
        raise SessionError(ErrorCode.SESSION_NOT_CREATED)
    handler = _DECIDE.get(type(command))
    if handler is None:
        raise SessionError(ErrorCode.INVALID_VALUE, field="command", reason=type(command).__name__)
    return handler(state, command)


def apply(state: SessionState | None, event: e.Event) -> SessionState:
    """Fold one event into the state."""
    if isinstance(event, e.SessionCreated):
        return evolve(_apply_created(event), version=1)
    if state is None:
        raise ValueError(f"{type(event).__name__} before SessionCreated")
    folded = _APPLY[type(event)](state, event)
    if folded is state:  # every fold makes a new record; never bump a shared one in place
        raise AssertionError(f"{type(event).__name__} did not produce a new state")
    # ``folded`` is fresh and not yet seen by anyone: setting its counter avoids a second copy
    object.__setattr__(folded, "version", state.version + 1)
    return folded


def fold(events: Iterable[e.Event], state: SessionState | None = None) -> SessionState | None:
    """Replay ``events`` on top of ``state`` (from nothing by default)."""
    for event in events:
        state = apply(state, event)
    return state


class SessionEngine:
    """Holds the current state of one session and runs commands against it."""

    def __init__(self, state: SessionState | None = None) -> None:
        self._state = state

    @classmethod
    def replay(cls, events: Iterable[e.Event]) -> SessionEngine:
        return cls(fold(events))

    @property
    def state(self) -> SessionState:
        if self._state is None:
            raise SessionError(ErrorCode.SESSION_NOT_CREATED)
        return self._state

    @property
    def created(self) -> bool:
        return self._state is not None

    def decide(self, command: c.Command) -> Events:
        """The events ``command`` would cause, without applying them."""
        return decide(self._state, command)

    def apply(self, events: Iterable[e.Event]) -> SessionState:
        """Fold events that are now durable (the hub calls this after the log append)."""
        self._state = fold(events, self._state)
        return self.state

    def handle(self, command: c.Command) -> Events:
        """Decide and apply at once: for tests, tools and replays without a log."""
        events = self.decide(command)
        self.apply(events)
        return events
