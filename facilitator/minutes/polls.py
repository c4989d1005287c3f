"""One poll in the minutes: the question, the counts per option and channel, the rules and the
decision, stated with its numbers the way the engine decided it (see session/decision.py)."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.minutes.escape import escape_cell, escape_inline, table
from facilitator.minutes.facts import Facts
from facilitator.minutes.rules import outcome_text, quorum_text, threshold_text
from facilitator.session.decision import settled
from facilitator.session.events import Decision
from facilitator.session.state import Poll, options_for
from facilitator.session.values import PollKind, PollStatus, QuorumRule, ThresholdRule


@dataclass(frozen=True, slots=True)
class Bars:
    """A poll's totals for the bar chart of the HTML page (labels are raw participant text)."""

    title: str
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    winner: int | None


def option_label(facts: Facts, poll: Poll, option: str) -> str:
    """yes / no / abstain in the session's language; a proposal's own options as written."""
    if poll.kind is PollKind.YES_NO_ABSTAIN:
        return facts.tr(f"term.vote.{option}")
    return option


def verdict(facts: Facts, poll: Poll, decision: Decision) -> str:
    """What was decided, in words (escaped): with the chosen option, or the tied ones."""

    def quoted(option: str) -> str:
        text = escape_inline(option_label(facts, poll, option))
        return f"“{text}”" if facts.lang == "en" else f"「{text}」"

    def listed(items: list[str]) -> str:
        if facts.lang == "en" and len(items) > 1:
            return ", ".join(items[:-1]) + " and " + items[-1]
        return facts.sep().join(items)

    def bare(option: str) -> str:  # the catalog quotes the one chosen option itself
        return escape_inline(option_label(facts, poll, option))

    if decision.tied and poll.kind is not PollKind.YES_NO_ABSTAIN:
        return outcome_text(facts.tr, decision, poll.kind, quoted, listed)
    return outcome_text(facts.tr, decision, poll.kind, bare, listed)


def charted(facts: Facts) -> list[Poll]:
    """The polls that get a results table (and a chart), in the order the minutes show them."""
    order = [*facts.state.item_order, None]
    return [p for item_id in order for p in polls_of(facts, item_id, cancelled=False)]


def polls_of(facts: Facts, item_id: str | None, *, cancelled: bool = True) -> list[Poll]:
    """The item's polls (``None``: polls held outside any item), cancelled ones when asked."""
    known = set(facts.state.item_order)
    return [
        p
        for p in facts.polls()
        if (cancelled or p.status is not PollStatus.CANCELLED)
        and (p.item_id == item_id or (item_id is None and p.item_id not in known))
    ]


def bars(facts: Facts, poll: Poll) -> Bars:
    """The chart data of ``poll``."""
    labels = tuple(option_label(facts, poll, o) for o in options_for(poll.kind, poll.options))
    winner = None
    if poll.decision is not None and poll.decision.winner is not None:
        winner = options_for(poll.kind, poll.options).index(poll.decision.winner)
    title = facts.tr("minutes.poll.heading", number=poll.number, question=poll.question)
    return Bars(title, labels, poll.totals, winner)


def poll_lines(facts: Facts, poll: Poll) -> list[str]:
    """The Markdown of one poll (a cancelled one is a single line)."""
    tr = facts.tr
    question = escape_inline(poll.question)
    out = [f"**{tr('minutes.poll.heading', number=poll.number, question=question)}**", ""]
    if poll.status is PollStatus.CANCELLED:
        key = "minutes.poll.cancelled" if poll.cancel_reason else "minutes.poll.cancelled_plain"
        return [*out, tr(key, reason=escape_inline(poll.cancel_reason)), ""]
    secrecy = tr("term.secret_ballot" if poll.secret else "term.named_ballot")
    kind = tr(f"term.poll_kind.{poll.kind.value}")
    if poll.kind is PollKind.MULTI:
        kind = facts.paren(kind, tr("minutes.poll.max_choices", max=poll.max_choices))
    meta = tr("minutes.poll.meta", kind=kind, secrecy=secrecy)
    header = tuple(
        tr(k)
        for k in (
            "minutes.col.option",
            "minutes.col.phone",
            "minutes.col.hands",
            "minutes.col.proxy",
            "minutes.col.total",
        )
    )
    rows = [
        (escape_cell(option_label(facts, poll, option)), str(a), str(b), str(c), f"**{a + b + c}**")
        for option, a, b, c in zip(
            options_for(poll.kind, poll.options), poll.phone, poll.hands, poll.proxy, strict=True
        )
    ]
    out += [meta, "", *table(header, rows, "lrrrr"), ""]
    out += _proxies(facts, poll) + _named(facts, poll)
    if poll.decision is None:
        return [*out, tr("minutes.poll.open"), ""]
    decision = settled(poll.decision, poll)
    rule, threshold = decision.quorum, decision.threshold
    quorum = quorum_text(tr, rule)
    numbers_key = "minutes.poll.numbers"
    if threshold.rule is ThresholdRule.MAJORITY_OF_PRESENT:
        numbers_key = "minutes.poll.numbers_present"
    rules = [
        tr("minutes.poll.quorum_none", rule=quorum)
        if rule.rule is QuorumRule.NONE
        else tr("minutes.poll.quorum", rule=quorum, required=decision.quorum_required),
        tr("minutes.poll.threshold", rule=threshold_text(tr, threshold, poll.kind)),
        tr(
            numbers_key,
            voters=decision.voters,
            present=decision.present,
            cast=decision.votes_cast,
            needed=decision.needed,
        ),
    ]
    said = tr("minutes.poll.decision", outcome=verdict(facts, poll, decision))
    return [*out, facts.sentences(rules), "", said, ""]


def _proxies(facts: Facts, poll: Poll) -> list[str]:
    """Who cast each assisted ballot (the minutes must say so, even for a secret poll)."""
    lines = []
    ballots = sorted(poll.ballots.items(), key=lambda kv: (kv[1].at, kv[0]))
    for participant_id, ballot in ballots:
        if ballot.channel.value == "proxy":
            voter = facts.name(participant_id) or facts.tr("minutes.someone")
            by = escape_inline(ballot.cast_by)
            lines.append("- " + facts.tr("minutes.poll.proxy", voter=voter, by=by))
    return [*lines, ""] if lines else []


def _named(facts: Facts, poll: Poll) -> list[str]:
    """For a named (not secret) poll, who chose each option through a phone or by proxy."""
    if poll.secret or facts.state.anonymous:
        return []
    lines = []
    for option in options_for(poll.kind, poll.options):
        names = sorted(
            (facts.state.participants[pid].number, facts.name(pid))
            for pid, ballot in poll.ballots.items()
            if option in ballot.choices and pid in facts.state.participants
        )
        if names:
            label = escape_inline(option_label(facts, poll, option))
            joined = facts.sep().join(name for _, name in names)
            lines.append("- " + facts.tr("minutes.poll.named", option=label, names=joined))
    return [*lines, ""] if lines else []
