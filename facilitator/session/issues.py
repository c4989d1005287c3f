"""Issues (訴求/議題): raise, support, screen, merge, classify, prioritise, promote, resolve."""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import Issue, SessionState, evolve
from facilitator.session.values import (
    URGENCY_RANK,
    IssueSource,
    IssueStatus,
    Scope,
    Urgency,
)

Events = tuple[e.Event, ...]
_SCREENABLE = (IssueStatus.NEW, IssueStatus.ACCEPTED)


def decide_raise(state: SessionState, cmd: c.RaiseIssue) -> Events:
    checks.changeable(state)
    checks.new_id(cmd.issue_id, state.issues, "issue_id")
    if not isinstance(cmd.source, IssueSource):
        raise SessionError(ErrorCode.INVALID_VALUE, field="source", reason=str(cmd.source))
    if cmd.participant_id is not None:
        checks.participant(state, cmd.participant_id)
    return (
        e.IssueRaised(
            at=cmd.at,
            issue_id=cmd.issue_id,
            text=checks.text(cmd.text, "issue", checks.ISSUE_MAX),
            source=cmd.source,
            participant_id=cmd.participant_id,
            on_behalf_of=checks.text(cmd.on_behalf_of, "name", checks.NAME_MAX, required=False),
            building=checks.text(cmd.building, "building", checks.LABEL_MAX, required=False),
            item_id=state.current_item_id,
        ),
    )


def decide_support(state: SessionState, cmd: c.SupportIssue) -> Events:
    checks.changeable(state)
    checks.participant(state, cmd.participant_id)
    target = checks.root_issue(state, cmd.issue_id)  # supporting a duplicate supports its twin
    if not target.is_open:
        raise SessionError(ErrorCode.ISSUE_NOT_OPEN)
    if cmd.participant_id in target.supporters or any(
        state.devices.get(key) == cmd.participant_id for key in target.home_supporters
    ):  # supported from home before tonight: already counted
        raise SessionError(ErrorCode.ALREADY_SUPPORTED)
    return (
        e.IssueSupported(at=cmd.at, issue_id=target.issue_id, participant_id=cmd.participant_id),
    )


def decide_withdraw(state: SessionState, cmd: c.WithdrawSupport) -> Events:
    checks.changeable(state)
    checks.participant(state, cmd.participant_id)
    target = checks.root_issue(state, cmd.issue_id)
    if cmd.participant_id not in target.supporters:
        raise SessionError(ErrorCode.NOT_SUPPORTED)
    return (
        e.SupportWithdrawn(at=cmd.at, issue_id=target.issue_id, participant_id=cmd.participant_id),
    )


def decide_accept(state: SessionState, cmd: c.AcceptIssue) -> Events:
    checks.changeable(state)
    if checks.issue(state, cmd.issue_id).status is not IssueStatus.NEW:
        raise SessionError(ErrorCode.ISSUE_SCREENED)
    return (e.IssueAccepted(at=cmd.at, issue_id=cmd.issue_id),)


def decide_reject(state: SessionState, cmd: c.RejectIssue) -> Events:
    checks.changeable(state)
    if checks.issue(state, cmd.issue_id).status not in _SCREENABLE:
        raise SessionError(ErrorCode.ISSUE_SCREENED)
    reason = checks.text(cmd.reason, "reason", checks.REASON_MAX)
    return (e.IssueRejected(at=cmd.at, issue_id=cmd.issue_id, reason=reason),)


def decide_merge(state: SessionState, cmd: c.MergeIssues) -> Events:
    checks.changeable(state)
    duplicate = checks.issue(state, cmd.issue_id)
    target = checks.root_issue(state, cmd.into_issue_id)
    if target.issue_id == duplicate.issue_id:
        raise SessionError(ErrorCode.MERGE_INTO_SELF)
    if duplicate.status not in _SCREENABLE or not target.is_open:
        raise SessionError(ErrorCode.ISSUE_NOT_OPEN)
    return (e.IssuesMerged(at=cmd.at, issue_id=cmd.issue_id, into_issue_id=target.issue_id),)


def decide_classify(state: SessionState, cmd: c.ClassifyIssue) -> Events:
    checks.changeable(state)
    found = checks.issue(state, cmd.issue_id)
    if cmd.scope is not None and not isinstance(cmd.scope, Scope):
        raise SessionError(ErrorCode.INVALID_VALUE, field="scope", reason=str(cmd.scope))
    if cmd.urgency is not None and not isinstance(cmd.urgency, Urgency):
        raise SessionError(ErrorCode.INVALID_VALUE, field="urgency", reason=str(cmd.urgency))
    category = found.category
    if cmd.category is not None:
        category = checks.text(cmd.category, "category", checks.LABEL_MAX, required=False)
    return (
        e.IssueClassified(
            at=cmd.at,
            issue_id=cmd.issue_id,
            category=category,
            scope=found.scope if cmd.scope is None else cmd.scope,
            urgency=found.urgency if cmd.urgency is None else cmd.urgency,
        ),
    )


def decide_prioritize(state: SessionState, cmd: c.PrioritizeIssues) -> Events:
    checks.changeable(state)
    if len(set(cmd.issue_ids)) != len(cmd.issue_ids):
        raise SessionError(ErrorCode.INVALID_VALUE, field="order", reason="an issue twice")
    for issue_id in cmd.issue_ids:
        if not checks.issue(state, issue_id).is_open:
            raise SessionError(ErrorCode.ISSUE_NOT_OPEN)
    return (e.IssuesPrioritized(at=cmd.at, issue_ids=tuple(cmd.issue_ids)),)


def decide_promote(state: SessionState, cmd: c.PromoteIssue) -> Events:
    checks.changeable(state)
    found = checks.issue(state, cmd.issue_id)
    if found.status not in _SCREENABLE:
        raise SessionError(ErrorCode.ISSUE_NOT_OPEN)
    checks.new_id(cmd.item_id, state.items, "item_id")
    added = e.AgendaItemAdded(
        at=cmd.at,
        item_id=cmd.item_id,
        title=found.text[: checks.TITLE_MAX],
        time_box_s=checks.time_box(cmd.time_box_s),
        description="",
        options=(),
        after_item_id=state.current_item_id,
        issue_id=cmd.issue_id,
    )
    return added, e.IssuePromoted(at=cmd.at, issue_id=cmd.issue_id, item_id=cmd.item_id)


def decide_resolve(state: SessionState, cmd: c.ResolveIssue) -> Events:
    checks.changeable(state)
    if not checks.issue(state, cmd.issue_id).is_open:
        raise SessionError(ErrorCode.ISSUE_NOT_OPEN)
    note = checks.text(cmd.note, "note", checks.REASON_MAX, required=False)
    return (e.IssueResolved(at=cmd.at, issue_id=cmd.issue_id, note=note),)


def board_order(state: SessionState) -> list[Issue]:
    """Open issues as the board shows them: the moderator's priority first, then by supports and
    urgency, then oldest first."""
    rank = {issue_id: i for i, issue_id in enumerate(state.priority)}
    open_issues = [i for i in state.issues.values() if i.is_open]
    return sorted(
        open_issues,
        key=lambda i: (
            rank.get(i.issue_id, len(rank)),
            -i.support_count,
            -URGENCY_RANK[i.urgency],
            i.number,
        ),
    )


# --- folding -----------------------------------------------------------------------------------


def _put(s: SessionState, found: Issue, **changes: Any) -> SessionState:
    return evolve(s, issues=s.issues.set(found.issue_id, evolve(found, **changes)))


def apply_raised(s: SessionState, ev: e.IssueRaised) -> SessionState:
    found = Issue(
        issue_id=ev.issue_id,
        number=len(s.issues) + 1,
        text=ev.text,
        source=ev.source,
        participant_id=ev.participant_id,
        on_behalf_of=ev.on_behalf_of,
        building=ev.building,
        item_id=ev.item_id,
        raised_at=ev.at,
    )
    if ev.participant_id is not None:  # whoever raises an issue supports it
        found = evolve(found, supporters=found.supporters.set(ev.participant_id, ev.at))
    return evolve(s, issues=s.issues.set(ev.issue_id, found))


def intake_issue(number: int, spec: c.IntakeIssueSpec, at: dt.datetime) -> Issue:
    """The issue a request scheduled from the intake (碼上議) becomes when the session is made."""
    return Issue(
        issue_id=spec.issue_id,
        number=number,
        text=spec.text,
        source=IssueSource.INTAKE,
        participant_id=None,
        on_behalf_of=spec.signature,
        building=spec.building,
        item_id=None,
        raised_at=spec.raised_at or at,
        status=IssueStatus.ACCEPTED,
        category=spec.category,
        intake_ref=spec.ref,
        home_supporters=tuple(dict.fromkeys(spec.supporters)),
    )


def apply_supported(s: SessionState, ev: e.IssueSupported) -> SessionState:
    found = s.issues[ev.issue_id]
    return _put(s, found, supporters=found.supporters.set(ev.participant_id, ev.at))


def apply_withdrawn(s: SessionState, ev: e.SupportWithdrawn) -> SessionState:
    found = s.issues[ev.issue_id]
    return _put(s, found, supporters=found.supporters.delete(ev.participant_id))


def apply_accepted(s: SessionState, ev: e.IssueAccepted) -> SessionState:
    return _put(s, s.issues[ev.issue_id], status=IssueStatus.ACCEPTED)


def apply_rejected(s: SessionState, ev: e.IssueRejected) -> SessionState:
    s = _put(s, s.issues[ev.issue_id], status=IssueStatus.REJECTED, reject_reason=ev.reason)
    return evolve(s, priority=tuple(i for i in s.priority if i != ev.issue_id))


def apply_merged(s: SessionState, ev: e.IssuesMerged) -> SessionState:
    duplicate, target = s.issues[ev.issue_id], s.issues[ev.into_issue_id]
    supporters = target.supporters
    with supporters.mutate() as united:  # a supporter of both is still one supporter
        for participant_id, at in duplicate.supporters.items():
            if participant_id not in united:
                united[participant_id] = at
        supporters = united.finish()
    home = tuple(dict.fromkeys((*target.home_supporters, *duplicate.home_supporters)))
    home = tuple(k for k in home if s.devices.get(k) not in supporters)  # counted once
    s = _put(
        s,
        target,
        supporters=supporters,
        home_supporters=home,
        merged_from=(*target.merged_from, ev.issue_id),
    )
    s = _put(s, duplicate, status=IssueStatus.MERGED, merged_into=ev.into_issue_id)
    return evolve(s, priority=tuple(i for i in s.priority if i != ev.issue_id))


def apply_classified(s: SessionState, ev: e.IssueClassified) -> SessionState:
    found = s.issues[ev.issue_id]
    return _put(s, found, category=ev.category, scope=ev.scope, urgency=ev.urgency)


def apply_prioritized(s: SessionState, ev: e.IssuesPrioritized) -> SessionState:
    return evolve(s, priority=ev.issue_ids)


def apply_promoted(s: SessionState, ev: e.IssuePromoted) -> SessionState:
    found = s.issues[ev.issue_id]
    return _put(s, found, status=IssueStatus.PROMOTED, promoted_item_id=ev.item_id)


def apply_resolved(s: SessionState, ev: e.IssueResolved) -> SessionState:
    s = _put(s, s.issues[ev.issue_id], status=IssueStatus.RESOLVED, resolution=ev.note)
    return evolve(s, priority=tuple(i for i in s.priority if i != ev.issue_id))


DECIDE: dict[type[c.Command], Any] = {
    c.RaiseIssue: decide_raise,
    c.SupportIssue: decide_support,
    c.WithdrawSupport: decide_withdraw,
    c.AcceptIssue: decide_accept,
    c.RejectIssue: decide_reject,
    c.MergeIssues: decide_merge,
    c.ClassifyIssue: decide_classify,
    c.PrioritizeIssues: decide_prioritize,
    c.PromoteIssue: decide_promote,
    c.ResolveIssue: decide_resolve,
}

APPLY: dict[type[e.Event], Any] = {
    e.IssueRaised: apply_raised,
    e.IssueSupported: apply_supported,
    e.SupportWithdrawn: apply_withdrawn,
    e.IssueAccepted: apply_accepted,
    e.IssueRejected: apply_rejected,
    e.IssuesMerged: apply_merged,
    e.IssueClassified: apply_classified,
    e.IssuesPrioritized: apply_prioritized,
    e.IssuePromoted: apply_promoted,
    e.IssueResolved: apply_resolved,
}

__all__ = ["APPLY", "DECIDE", "board_order"]
