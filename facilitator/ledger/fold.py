"""``build_ledger``: every session's log plus the between-session updates -> the ledger.

Each session contributes its action items as they stood when it ended (title, measures, owner,
deadline, claim), and, in later sessions, the review of earlier items (feedback with a status,
residents' delivery ratings). Reviews and ledger-only updates are applied in time order, ties
broken by session order and log position, so the result never depends on the order of a mapping.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from facilitator.ledger.model import (
    Entry,
    FeedbackEntry,
    IssueFact,
    Ledger,
    LedgerUpdate,
    Rating,
    SessionSummary,
    Status,
)
from facilitator.session import events as e
from facilitator.session import fold
from facilitator.session.review import ReopenPolicy, judge
from facilitator.session.state import Issue, SessionState

DEFAULT_POLICY = ReopenPolicy()  # the same as session.review.DEFAULT_POLICY
_Step = tuple[tuple[Any, ...], str, Any]  # (sort key, kind, payload)


def ref_of(session_id: str, action_id: str) -> str:
    """The ledger reference of an action item: stable across sessions."""
    return f"{session_id}/{action_id}"


def _utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC) if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _raised_by(state: SessionState, issue: Issue | None) -> str:
    """The category of whoever raised ``issue`` ("" when unknown or not given)."""
    person = (
        state.participants.get(issue.participant_id) if issue and issue.participant_id else None
    )
    return person.category if person else ""


def _entries(state: SessionState) -> list[Entry]:
    day = state.date or (state.opened_at or state.created_at).date()
    out = []
    for action in sorted(state.actions.values(), key=lambda a: a.number):
        issue = state.issues.get(action.issue_id) if action.issue_id else None
        # The building an item concerns is its issue's, or its named owner's; never that of
        # whoever claimed it (a 3號樓 resident claiming a community item does not make it 3號樓's).
        owner_id = action.owner_participant_id
        person = state.participants.get(owner_id) if owner_id else None
        building = (issue.building if issue else "") or (person.building if person else "")
        out.append(
            Entry(
                ref=ref_of(state.session_id, action.action_id),
                session_id=state.session_id,
                action_id=action.action_id,
                place=state.place,
                session_title=state.title,
                session_date=day,
                title=action.title,
                measures=action.measures,
                owner=action.owner,
                deadline=action.deadline,
                building=building,
                category=issue.category if issue else "",
                issue_id=action.issue_id,
                created_at=action.created_at,
                status=Status.CLAIMED if action.owner or action.claimed_by else Status.UNCLAIMED,
                raised_by=_raised_by(state, issue),
            )
        )
    return out


def _summary(state: SessionState, entries: list[Entry]) -> SessionSummary:
    issues = tuple(
        IssueFact(
            issue_id=i.issue_id,
            building=i.building,
            category=i.category,
            status=i.status.value,
            action_refs=tuple(x.ref for x in entries if x.issue_id == i.issue_id),
            raised_by=_raised_by(state, i),
            intake_ref=i.intake_ref,
        )
        for i in sorted(state.issues.values(), key=lambda i: i.number)
    )
    ratings = tuple(r.stars for _, r in sorted(state.ratings.items(), key=lambda kv: kv[0]))
    return SessionSummary(
        session_id=state.session_id,
        kind=state.kind.value,
        title=state.title,
        place=state.place,
        date=state.date or (state.opened_at or state.created_at).date(),
        held=state.opened_at is not None,
        issues=issues,
        ratings=ratings,
        categories=state.categories,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class SessionPart:
    """What one session's whole log gives the ledger: its items, its summary and its reviews in
    log order. Folding a log is the costly part of a rebuild, so callers that rebuild often (the
    public page) keep parts while a session's log has not grown."""

    entries: tuple[Entry, ...]
    summary: SessionSummary
    steps: tuple[tuple[dt.datetime, int, str, Any], ...]  # (when, log position, kind, payload)


def session_part(events: Sequence[e.Event]) -> SessionPart | None:
    """The part of a session's log (``None`` for a log without its ``SessionCreated``)."""
    state = fold(events)
    if state is None:
        return None
    created = _entries(state)
    reviewed = tuple(state.follow_ups)
    rated: dict[str, None] = {}
    steps: list[tuple[dt.datetime, int, str, Any]] = []
    for seq, event in enumerate(events):
        if isinstance(event, e.FeedbackRecorded | e.DeliveryRated):
            steps.append((_utc(event.at), seq, state.session_id, event))
        if isinstance(event, e.DeliveryRated):
            rated[event.ref] = None
        if isinstance(event, e.SessionClosed):
            payload = (tuple(rated), reviewed, event.at.date())
            steps.append((_utc(event.at), seq, "closed", payload))
    return SessionPart(tuple(created), _summary(state, created), tuple(steps))


def build_ledger(
    logs: Iterable[Sequence[e.Event]],
    updates: Sequence[LedgerUpdate] = (),
    *,
    policy: ReopenPolicy = DEFAULT_POLICY,
    more: Iterable[Entry] = (),
) -> Ledger:
    """The ledger of every session in ``logs`` (each a whole session log) and ``updates``;
    ``more`` are items made elsewhere (a place's intake: :mod:`facilitator.ledger.intake`)."""
    parts = [part for part in map(session_part, logs) if part is not None]
    return ledger_from_parts(parts, updates, policy=policy, more=more)


def ledger_from_parts(
    parts: Sequence[SessionPart],
    updates: Sequence[LedgerUpdate] = (),
    *,
    policy: ReopenPolicy = DEFAULT_POLICY,
    more: Iterable[Entry] = (),
) -> Ledger:
    """:func:`build_ledger` from the sessions' parts, in session order."""
    entries: dict[str, Entry] = {x.ref: x for x in more}
    steps: list[_Step] = []
    for index, part in enumerate(parts):
        entries.update((x.ref, x) for x in part.entries)
        steps.extend(((at, index, seq), kind, payload) for at, seq, kind, payload in part.steps)
    for n, update in enumerate(updates):
        steps.append(((_utc(update.at), len(parts) + 1, n), "ledger", update))
    for _, source, payload in sorted(steps, key=lambda s: s[0]):
        if source == "closed":
            rated_refs, reviewed_refs, day = payload
            _close(entries, rated_refs, reviewed_refs, day, policy)
        elif isinstance(payload, LedgerUpdate):
            _apply_update(entries, payload, policy)
        else:
            _apply_review(entries, source, payload)
    ordered = sorted(entries.values(), key=lambda x: (x.session_date, x.created_at, x.ref))
    sessions = sorted((p.summary for p in parts), key=lambda s: (s.date, s.session_id))
    return Ledger(entries=tuple(ordered), sessions=tuple(sessions), policy=policy)


def _put(entries: dict[str, Entry], entry: Entry, **changes: Any) -> None:
    entries[entry.ref] = dataclasses.replace(entry, **changes)


def _set_status(entries: dict[str, Entry], entry: Entry, status: str, at: dt.datetime) -> None:
    if status == Status.DONE:
        if entry.status is Status.DONE:
            return
        day = at.date()
        on_time = None if entry.deadline is None else day <= entry.deadline
        _put(entries, entry, status=Status.DONE, done_on=day, on_time=on_time, round=())
        _put(entries, entries[entry.ref], accepted=False, reviewed_after_done=False)
    else:
        _put(entries, entry, status=Status(status), done_on=None, on_time=None, round=())


def _apply_review(entries: dict[str, Entry], session_id: str, event: e.Event) -> None:
    if isinstance(event, e.FeedbackRecorded):
        entry = entries.get(event.ref)
        if entry is None:
            return
        note = FeedbackEntry(event.at, event.text, event.by, event.status, session_id)
        _put(entries, entry, feedback=(*entry.feedback, note))
        if event.status:
            _set_status(entries, entries[event.ref], event.status, event.at)
    elif isinstance(event, e.DeliveryRated):
        rater = f"{session_id}:{event.participant_id}"
        _rate(entries, event.ref, Rating(event.at, rater, event.stars))


def _rate(entries: dict[str, Entry], ref: str, rating: Rating) -> None:
    entry = entries.get(ref)
    if entry is None:
        return
    changes: dict[str, Any] = {"ratings": (*entry.ratings, rating)}
    if entry.status is Status.DONE:
        kept = tuple(r for r in entry.round if r.rater != rating.rater)
        changes["round"] = (*kept, rating)
    _put(entries, entry, **changes)


def _judge(entries: dict[str, Entry], ref: str, day: dt.date, policy: ReopenPolicy) -> None:
    entry = entries[ref]
    average = entry.average
    verdict = judge([r.stars for r in entry.round], policy)
    if entry.status is not Status.DONE or average is None or verdict is None:
        return
    if verdict:
        _put(entries, entry, accepted=True)
        return
    _put(
        entries,
        entry,
        status=Status.IN_PROGRESS,
        deadline=day + dt.timedelta(days=policy.reopen_days),
        done_on=None,
        on_time=None,
        round=(),
        reopened=entry.reopened + 1,
        accepted=False,
    )


def _close(
    entries: dict[str, Entry],
    rated: tuple[str, ...],
    reviewed: tuple[str, ...],
    day: dt.date,
    policy: ReopenPolicy,
) -> None:
    for ref in reviewed:
        entry = entries.get(ref)
        if entry is not None and entry.status is Status.DONE:
            _put(entries, entry, reviewed_after_done=True)
    for ref in rated:
        if ref in entries:
            _judge(entries, ref, day, policy)


def _apply_update(entries: dict[str, Entry], update: LedgerUpdate, policy: ReopenPolicy) -> None:
    entry = entries.get(update.ref)
    if entry is None:
        return
    if update.kind == "status":
        if update.deadline is not None:
            _put(entries, entry, deadline=update.deadline)
        if update.status:
            note = FeedbackEntry(update.at, update.text, update.by, update.status, "ledger")
            _put(entries, entries[update.ref], feedback=(*entries[update.ref].feedback, note))
            _set_status(entries, entries[update.ref], update.status, update.at)
    elif update.kind == "feedback":
        note = FeedbackEntry(update.at, update.text, update.by, None, "ledger")
        _put(entries, entry, feedback=(*entry.feedback, note))
    elif update.kind == "rating":
        rater = f"ledger:{update.by}" if update.by else f"ledger:@{update.at.isoformat()}"
        _rate(entries, update.ref, Rating(update.at, rater, update.stars))
        _judge(entries, update.ref, update.at.date(), policy)
