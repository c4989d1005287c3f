"""The agenda in the minutes: per item, its issues, opinions, speakers and polls."""

from __future__ import annotations

from facilitator.minutes.escape import escape_cell, escape_inline, table
from facilitator.minutes.facts import Facts, hm
from facilitator.minutes.polls import poll_lines, polls_of
from facilitator.session.state import AgendaItem, Issue
from facilitator.session.values import IssueStatus, ItemStatus, QueueStatus, Stance

_STANCES = (Stance.FOR, Stance.AGAINST, Stance.NEUTRAL)


def duration(facts: Facts, seconds: float) -> str:
    """``2分5秒`` / ``2 min 5 s``, whole seconds."""
    whole = int(seconds + 0.5)
    return facts.tr("minutes.duration", m=whole // 60, s=whole % 60)


def issue_source(facts: Facts, issue: Issue) -> str:
    """Where an issue came from: phone, paper, voice or typed in, and by whom when named."""
    source = facts.tr(f"term.source.{issue.source.value}")
    if issue.intake_ref:  # raised between sessions: its number in the place's intake (碼上議 #5)
        return f"{source} #{issue.intake_ref.rsplit('#', 1)[-1]}"
    who = facts.name(issue.participant_id)
    if not who and issue.on_behalf_of and not facts.state.anonymous:
        who = escape_inline(issue.on_behalf_of)
    return facts.tr("minutes.source_detail", source=source, detail=who) if who else source


def issues_table(facts: Facts, issues: list[Issue]) -> list[str]:
    """Issues (merged duplicates folded into the one they joined) with supports and source."""
    tr = facts.tr
    numbers = {i.issue_id: i.number for i in facts.issues()}
    with_category = any(i.category for i in issues)
    with_building = any(i.building for i in issues)
    header = [tr("minutes.col.no"), tr("minutes.col.issue"), tr("term.supporters")]
    header.append(tr("minutes.col.source"))
    header += [tr("term.building")] if with_building else []
    header += [tr("term.category")] if with_category else []
    header.append(tr("minutes.col.status"))
    rows: list[list[str]] = []
    for issue in issues:
        text = escape_cell(issue.text)
        if issue.merged_from:
            merged = facts.sep().join(f"#{numbers[m]}" for m in issue.merged_from if m in numbers)
            text = facts.paren(text, tr("minutes.issue.merged_from", numbers=merged))
        row = [f"#{issue.number}", text, str(issue.support_count), issue_source(facts, issue)]
        row += [escape_cell(issue.building)] if with_building else []
        row += [facts.term("category", issue.category) or " "] if with_category else []
        row.append(tr(f"term.issue_status.{issue.status.value}"))
        rows.append(row)
    return [*table(header, rows, "llrl" + "l" * (len(header) - 4)), ""]


def listed_issues(facts: Facts, item_id: str | None) -> list[Issue]:
    """The issues raised during an item (``None``: before the meeting), minus merged duplicates."""
    known = set(facts.state.item_order)
    return [
        i
        for i in facts.issues()
        if i.status is not IssueStatus.MERGED
        and (i.item_id == item_id or (item_id is None and i.item_id not in known))
    ]


def item_lines(facts: Facts, item: AgendaItem) -> list[str]:
    """One agenda item: heading, time, status, then what happened under it."""
    tr = facts.tr
    out = [f"### {tr('minutes.item.heading', number=item.number, title=escape_inline(item.title))}"]
    out.append("")
    facts_line: list[str] = []
    used = item.elapsed_s(item.ended_at or item.started_at or facts.state.created_at)
    if item.first_started_at is not None:
        key = "minutes.item.time" if item.time_box_s else "minutes.item.used"
        box = (item.time_box_s or 0) // 60
        facts_line.append(
            tr(key, box=box, used=duration(facts, used), start=hm(item.first_started_at))
        )
    if item.status is not ItemStatus.DONE:
        facts_line.append(
            tr("minutes.item.status", status=tr(f"term.item_status.{item.status.value}"))
        )
    if facts_line:
        out += [facts.sentences(facts_line), ""]
    issues = listed_issues(facts, item.item_id)
    if issues:
        out += [f"#### {tr('minutes.heading.issues')}", "", *issues_table(facts, issues)]
    out += _opinions(facts, item.item_id) + _speakers(facts, item.item_id)
    polls = polls_of(facts, item.item_id)
    if polls:
        out += [f"#### {tr('minutes.heading.polls')}", ""]
        for poll in polls:
            out += poll_lines(facts, poll)
    return out


def _opinions(facts: Facts, item_id: str) -> list[str]:
    opinions = [o for o in facts.state.opinions if o.item_id == item_id]
    if not opinions:
        return []
    out = [f"#### {facts.tr('minutes.heading.opinions')}", ""]
    for stance in _STANCES:
        for opinion in (o for o in opinions if o.stance is stance):
            label = facts.tr(f"term.stance.{stance.value}")
            speaker = "" if facts.state.anonymous else escape_inline(opinion.speaker)
            speaker = speaker or facts.name(opinion.participant_id)
            text = escape_inline(opinion.text)
            if speaker:
                line = facts.tr("minutes.opinion", stance=label, speaker=speaker, text=text)
            else:
                line = facts.tr("minutes.opinion_anon", stance=label, text=text)
            out.append(f"- {line}")
    return [*out, ""]


def _speakers(facts: Facts, item_id: str) -> list[str]:
    turns = [q for q in facts.state.queue if q.item_id == item_id and q.status is QueueStatus.DONE]
    if not turns:
        return []
    out = [f"#### {facts.tr('minutes.heading.speakers')}", ""]
    if facts.state.anonymous:
        return [*out, facts.tr("minutes.speakers_anon", count=len(turns)), ""]
    names = facts.sep().join(
        facts.paren(escape_inline(q.name), duration(facts, q.duration_s)) for q in turns
    )
    return [*out, facts.tr("minutes.speakers", count=len(turns), names=names), ""]
