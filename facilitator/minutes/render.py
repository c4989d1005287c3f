"""``render_minutes``: a session's events -> Markdown minutes, as a good secretary writes them.

The minutes are a pure function of the log: no clock, no randomness, nothing ordered by a hash.
Times are shown in the offset the events carry (the moderator's local time). All participant text
goes through :mod:`facilitator.minutes.escape`, so it reads as written and cannot become structure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from facilitator.minutes import closing
from facilitator.minutes.escape import escape_inline, table
from facilitator.minutes.facts import Facts, gather, hm, zone
from facilitator.minutes.items import issues_table, item_lines, listed_issues
from facilitator.minutes.polls import poll_lines, polls_of
from facilitator.session.events import Event
from facilitator.session.people import by_category

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def render_minutes(events: Sequence[Event], lang: str) -> str:
    """The minutes of one session (its whole log, from ``SessionCreated``) in ``lang``.

    ``lang`` is one of zh-Hant, zh-Hans, en (other tags are matched to the nearest). Participant
    text is never translated. The same events always give the same text, byte for byte.
    """
    facts = gather(events, lang)
    return minutes_from_facts(facts)


def minutes_from_facts(facts: Facts) -> str:
    """The minutes from already gathered facts (the HTML page uses the same facts)."""
    tr = facts.tr
    lines = [f"# {tr('minutes.title', title=escape_inline(facts.state.title))}", ""]
    lines += header(facts) + attendance(facts)
    before = listed_issues(facts, None)
    if before:
        lines += [f"## {tr('minutes.heading.issues_before')}", "", *issues_table(facts, before)]
    lines += [f"## {tr('minutes.heading.agenda')}", ""]
    for item_id in facts.state.item_order:
        lines += item_lines(facts, facts.state.items[item_id])
    loose = polls_of(facts, None)
    if loose:
        lines += [f"### {tr('minutes.heading.other_polls')}", ""]
        for poll in loose:
            lines += poll_lines(facts, poll)
    lines += closing.decisions(facts) + closing.action_items(facts)
    lines += closing.carried_over(facts) + closing.moderation(facts)
    lines += closing.satisfaction(facts) + closing.follow_ups(facts)
    lines += ["---", "", tr("minutes.generated")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def header(facts: Facts) -> list[str]:
    """Kind, date, start and end, place, moderator and recorder."""
    tr, state = facts.tr, facts.state
    day = state.date or (state.opened_at or state.created_at).date()
    weekday = tr(f"minutes.weekday.{_WEEKDAYS[day.weekday()]}")
    if state.opened_at is None:
        when = tr("minutes.not_opened")
    elif state.closed_at is None:
        when = tr("minutes.time_from", start=hm(state.opened_at), zone=zone(state.opened_at))
    else:
        start, end = hm(state.opened_at), hm(state.closed_at)
        when = tr("minutes.time_range", start=start, end=end, zone=zone(state.opened_at))
    none = tr("minutes.none")
    fields = (
        ("minutes.meta.kind", facts.term("kind", state.kind.value)),
        ("minutes.meta.date", tr("minutes.date", date=day.isoformat(), weekday=weekday)),
        ("minutes.meta.time", when),
        ("minutes.meta.place", escape_inline(state.place) or none),
        ("minutes.meta.moderator", escape_inline(state.moderator) or none),
        ("minutes.meta.recorder", escape_inline(state.recorder) or none),
    )
    return [*(f"- **{tr(k)}**{facts.colon()}{v}" for k, v in fields), ""]


def attendance(facts: Facts) -> list[str]:
    """Who was there: counts, by category and building, names unless the session is anonymous."""
    tr, state = facts.tr, facts.state
    came = [state.participants[p] for p in facts.ever_checked_in]
    out = [f"## {tr('minutes.heading.attendance')}", ""]
    summary = [
        tr("minutes.attendance.roster", roster=len(state.participants), checked_in=len(came))
    ]
    if state.walk_ins:
        present = len(came) + state.walk_ins
        # one walk-in is "another person", not "another 1 person": a sentence of its own
        key = "minutes.attendance.walk_in" if state.walk_ins == 1 else "minutes.attendance.walk_ins"
        summary.append(tr(key, count=state.walk_ins, present=present))
    out += [facts.sentences(summary), ""]
    for column, key in (("term.category", "category"), ("term.building", "building")):
        counts = Counter(getattr(p, key) for p in came)
        if len(counts) < 2 and "" in counts and not (key == "category" and state.categories):
            continue  # nobody gave one: no table of blanks
        if key == "category":  # the place's own categories, in its order
            rows = by_category(state, (p.category for p in came))
        else:
            rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == "", kv[0]))
        cells = [
            (facts.term(key, value) if value else tr("minutes.unspecified"), str(n))
            for value, n in rows
        ]
        out += [*table((tr(column), tr("minutes.col.checked_in")), cells, "lr"), ""]
    if state.anonymous:
        return [*out, tr("minutes.attendance.anonymous"), ""]
    if came:
        names = facts.sep().join(_who(facts, p.participant_id) for p in came)
        out += [tr("minutes.attendance.names", names=names), ""]
    absent = [p for p in facts.people() if p.participant_id not in set(facts.ever_checked_in)]
    if absent:
        names = facts.sep().join(_who(facts, p.participant_id) for p in absent)
        out += [tr("minutes.attendance.absent", names=names), ""]
    return out


def _who(facts: Facts, participant_id: str) -> str:
    """A name with the person's category when it is one of the 7+X roles (or free text)."""
    person = facts.state.participants[participant_id]
    name = facts.name(participant_id)
    if not person.category:
        return name
    return facts.paren(name, facts.term("category", person.category))
