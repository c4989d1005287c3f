"""The closing sections of the minutes: decisions, action items, what was carried over, the
moderation log, satisfaction, and the review of earlier promises."""

from __future__ import annotations

import datetime as dt

from facilitator.minutes.escape import escape_cell, escape_inline, table
from facilitator.minutes.facts import Facts, hm, one_decimal, percent
from facilitator.minutes.polls import charted, option_label, verdict
from facilitator.session.decision import settled
from facilitator.session.review import DEFAULT_POLICY, judge
from facilitator.session.state import options_for
from facilitator.session.values import IssueStatus, ItemStatus

SATISFIED_STARS = 4
"""A rating of at least this many stars (of 5) counts as satisfied (滿意率)."""


def decisions(facts: Facts) -> list[str]:
    """Every closed poll's decision in one list, as the minutes' summary of what was decided."""
    tr = facts.tr
    closed = [p for p in charted(facts) if p.decision is not None]
    if not closed:
        return []
    out = [f"## {tr('minutes.heading.decisions')}", ""]
    for poll in closed:
        assert poll.decision is not None
        outcome = verdict(facts, poll, settled(poll.decision, poll))
        counts = facts.sep().join(
            tr("minutes.count_of", label=escape_inline(option_label(facts, poll, o)), count=n)
            for o, n in zip(options_for(poll.kind, poll.options), poll.totals, strict=True)
        )
        question = escape_inline(poll.question)
        line = tr("minutes.decision_line", question=question, outcome=outcome, counts=counts)
        out.append(f"- {line}")
    return [*out, ""]


def action_items(facts: Facts) -> list[str]:
    """The table of action items: what, measures, owner, deadline, claim."""
    tr = facts.tr
    out = [f"## {tr('minutes.heading.action_items')}", ""]
    actions = sorted(facts.state.actions.values(), key=lambda a: a.number)
    if not actions:
        return [*out, tr("minutes.none"), ""]
    header = tuple(
        tr(k)
        for k in (
            "minutes.col.no",
            "minutes.col.item",
            "term.measures",
            "term.owner",
            "term.deadline",
            "minutes.col.claim",
        )
    )
    rows = []
    for action in actions:
        claim = tr("term.action_status.open")
        if action.claimed_at is not None:
            who = facts.name(action.claimed_by)
            key = "minutes.claimed_by" if who else "minutes.claimed_at"
            claim = tr(key, name=who, time=hm(action.claimed_at))
        elif action.owner:
            claim = tr("minutes.assigned")
        deadline = action.deadline.isoformat() if action.deadline else tr("minutes.no_deadline")
        rows.append(
            (
                str(action.number),
                escape_cell(action.title),
                escape_cell(action.measures),
                escape_cell(action.owner),
                deadline,
                claim,
            )
        )
    return [*out, *table(header, rows), "", tr("minutes.action_items.ledger"), ""]


def carried_over(facts: Facts) -> list[str]:
    """Agenda items not reached, and open issues neither discussed under a finished item nor
    turned into an action item: they go to the next session."""
    tr, state = facts.tr, facts.state
    items = [
        state.items[i]
        for i in state.item_order
        if state.items[i].status in (ItemStatus.PENDING, ItemStatus.DEFERRED)
    ]
    handled = {a.issue_id for a in state.actions.values() if a.issue_id}
    discussed = {i for i in state.item_order if state.items[i].status is ItemStatus.DONE}
    issues = [
        i
        for i in facts.issues()
        if i.issue_id not in handled
        and (
            (i.status in (IssueStatus.NEW, IssueStatus.ACCEPTED) and i.item_id not in discussed)
            or (i.status is IssueStatus.PROMOTED and i.promoted_item_id not in discussed)
        )
    ]
    if not items and not issues:
        return []
    out = [f"## {tr('minutes.heading.carried_over')}", ""]
    for item in items:
        title = escape_inline(item.title)
        out.append("- " + tr("minutes.carried.item", number=item.number, title=title))
    for issue in issues:
        text = escape_inline(issue.text)
        line = tr(
            "minutes.carried.issue", number=issue.number, text=text, count=issue.support_count
        )
        out.append(f"- {line}")
    return [*out, ""]


def moderation(facts: Facts) -> list[str]:
    """Merges, rejections with reasons, settlements, promotions, deferrals and skips, in order."""
    tr, state = facts.tr, facts.state
    if not facts.moderation:
        return []
    out = [f"## {tr('minutes.heading.moderation')}", ""]
    for entry in facts.moderation:
        params: dict[str, object] = {"time": hm(entry.at), "detail": escape_inline(entry.detail)}
        if entry.kind in ("deferred", "skipped"):
            item = state.items[entry.subject]
            params.update(number=item.number, title=escape_inline(item.title))
        else:
            params["number"] = state.issues[entry.subject].number
        if entry.kind == "merged":
            params["into"] = state.issues[entry.detail].number
        if entry.kind == "promoted":
            params["title"] = escape_inline(state.items[entry.detail].title)
        key = f"minutes.log.{entry.kind}"
        if entry.kind == "resolved" and not entry.detail:
            key = "minutes.log.resolved_plain"
        out.append(f"- {tr(key, **params)}")
    return [*out, ""]


def satisfaction(facts: Facts) -> list[str]:
    """The session's ratings: how many, the average, the distribution and the comments."""
    tr = facts.tr
    out = [f"## {tr('minutes.heading.satisfaction')}", ""]
    ratings = sorted(facts.state.ratings.values(), key=lambda r: (r.at, r.stars, r.comment))
    if not ratings:
        return [*out, tr("minutes.satisfaction.none"), ""]
    stars = [r.stars for r in ratings]
    satisfied = sum(1 for s in stars if s >= SATISFIED_STARS)
    out.append(
        tr(
            "minutes.satisfaction.summary",
            count=len(stars),
            average=one_decimal(sum(stars) / len(stars)),
            satisfied=satisfied,
            rate=percent(satisfied, len(stars)),
        )
    )
    rows = [("★" * n, str(stars.count(n))) for n in range(5, 0, -1)]
    out += ["", *table((tr("minutes.col.stars"), tr("minutes.col.people")), rows, "lr"), ""]
    comments = [escape_inline(r.comment) for r in ratings if r.comment]
    if comments:
        out += [tr("minutes.satisfaction.comments"), "", *(f"- {c}" for c in comments), ""]
    return out


def follow_ups(facts: Facts) -> list[str]:
    """Earlier promises reviewed in this session: status, feedback and residents' ratings."""
    tr = facts.tr
    reviewed = sorted(facts.state.follow_ups.values(), key=lambda f: f.number)
    if not reviewed:
        return []
    out = [f"## {tr('minutes.heading.follow_up')}", ""]
    header = tuple(
        tr(k)
        for k in (
            "minutes.col.no",
            "minutes.col.item",
            "term.owner",
            "term.deadline",
            "minutes.col.origin",
            "minutes.col.status",
            "minutes.col.rating",
        )
    )
    rows, notes, verdicts = [], [], []
    closed_on = facts.state.closed_at.date() if facts.state.closed_at else None
    for f in reviewed:
        status = "overdue" if f.overdue and f.status != "done" else f.status
        stars = [f.ratings[k] for k in sorted(f.ratings)]
        accepted = judge(stars) if f.status == "done" and closed_on else None
        if accepted is False and closed_on is not None:
            # The ledger reopens it when this session closes (session/review.py): say so here.
            status = "reopened"
            again = closed_on + dt.timedelta(days=DEFAULT_POLICY.reopen_days)
            verdicts.append(
                "- "
                + tr(
                    "minutes.follow_up.reopened",
                    title=escape_inline(f.title),
                    average=one_decimal(sum(stars) / len(stars)),
                    threshold=one_decimal(DEFAULT_POLICY.threshold),
                    deadline=again.isoformat(),
                )
            )
        elif accepted:
            verdicts.append("- " + tr("minutes.follow_up.accepted", title=escape_inline(f.title)))
        rating = (
            tr(
                "minutes.follow_up.rating",
                average=one_decimal(sum(stars) / len(stars)),
                count=len(stars),
            )
            if stars
            else "—"
        )
        deadline = f.deadline.isoformat() if f.deadline else tr("minutes.no_deadline")
        rows.append(
            (
                str(f.number),
                escape_cell(f.title),
                escape_cell(f.owner),
                deadline,
                escape_cell(f.origin),
                facts.term("action_status", status),
                rating,
            )
        )
        for entry in f.feedback:
            params = {"title": escape_inline(f.title), "time": hm(entry.at)}
            text = escape_inline(entry.text)
            if entry.status:
                status = facts.term("action_status", entry.status)
                text = facts.paren(text, tr("minutes.feedback_status", status=status))
            key = "minutes.feedback_entry" if entry.by else "minutes.feedback_entry_anon"
            notes.append("- " + tr(key, by=escape_inline(entry.by), text=text, **params))
    out += [*table(header, rows), ""]
    if verdicts:
        out += [*verdicts, ""]
    for f in reviewed:  # what residents said between the sessions, before this one
        if f.home_ratings:
            average = one_decimal(sum(f.home_ratings) / len(f.home_ratings))
            line = tr("minutes.follow_up.home_rating", title=escape_inline(f.title),
                      average=average, count=len(f.home_ratings))  # fmt: skip
            notes.insert(0, "- " + line)
    if notes:
        out += [f"### {tr('term.feedback')}", "", *notes, ""]
    return out
