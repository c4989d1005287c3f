"""The current poll: a live bar per option, channel subtotals, quorum and threshold status.

While the poll is open the panel shows what the decision *would* be if it closed now (the
engine's own rule, :func:`facilitator.session.decision.decide_outcome`), so the moderator sees
quorum and threshold before declaring. Once closed, it shows the stored decision and its rule.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.minutes.rules import has_quorum, quorum_line
from facilitator.session.decision import decide_outcome, quorum_status
from facilitator.session.state import Poll
from facilitator.session.values import Outcome, PollStatus
from facilitator.tui.view import (
    View,
    decision_text,
    option_label,
    outcome_text,
    poll_keys,
    quorum_text,
    threshold_text,
)
from facilitator.tui.widgets.colors import BAD_STYLE, BAR, OK_STYLE, WARN_STYLE

BAR_WIDTH = 20
_OUTCOME_STYLE = {
    Outcome.PASSED: OK_STYLE,
    Outcome.FAILED: BAD_STYLE,
    Outcome.NO_QUORUM: WARN_STYLE,
    Outcome.TIE: WARN_STYLE,
}


def _latest_poll(view: View) -> Poll | None:
    state = view.state
    if state.open_poll is not None:
        return state.open_poll
    return state.polls[state.poll_order[-1]] if state.poll_order else None


def poll_text(view: View) -> Text:
    tr = view.tr
    poll = _latest_poll(view)
    if poll is None:
        return Text(tr("console.poll.none"), "dim")
    kind = tr(f"term.poll_kind.{poll.kind.value}")
    secrecy = tr("term.secret_ballot" if poll.secret else "term.named_ballot")
    status = tr(f"term.poll_status.{poll.status}")
    text = Text()
    text.append(f"#{poll.number} {poll.question}\n", "bold")
    if poll.hide_tally and poll.status is PollStatus.OPEN:  # the console sees what phones do not
        secrecy += " · " + tr("console.poll.tally_hidden")
    text.append(f"{kind} · {secrecy} · {status}\n", "dim")
    totals = poll.totals
    widest = max(totals, default=0) or 1
    names = [option_label(tr, poll, key) for key in poll_keys(poll)]
    pad = max((Text(n).cell_len for n in names), default=0)
    for index, name in enumerate(names):
        filled = round(BAR_WIDTH * totals[index] / widest)
        text.append(name + " " * (pad - Text(name).cell_len) + " ")
        text.append("█" * filled, BAR)
        text.append("░" * (BAR_WIDTH - filled), "dim")
        text.append(f" {totals[index]:>4}\n", "bold")
        text.append(
            " " * (pad + 1)
            + tr(
                "console.poll.channels",
                phone=poll.phone[index],
                hands=poll.hands[index],
                proxy=poll.proxy[index],
            ),
            "dim",
        )
        text.append("\n")
    text.append(
        tr(
            "console.poll.voters",
            voters=poll.voters,
            phone=poll.phone_voters,
            hands=poll.hand_voters,
            proxy=poll.proxy_voters,
            present=view.state.present,
        )
        + "\n"
    )
    if poll.status is PollStatus.OPEN:
        decision = decide_outcome(view.state, poll)
        text.append(tr("console.poll.quorum", rule=quorum_text(tr, poll.quorum)))
        if has_quorum(poll.quorum):  # live: 「在場9人，法定人數8人：已達」
            live = quorum_status(view.state, poll)
            text.append("\n" + quorum_line(tr, live), OK_STYLE if live.met else BAD_STYLE)
        rule = threshold_text(tr, poll.threshold, poll.kind)
        text.append("\n" + tr("console.poll.threshold", rule=rule) + "\n")
        text.append(tr("console.poll.if_closed", needed=decision.needed) + " ")
        said = outcome_text(tr, poll, decision)
        text.append(said, _OUTCOME_STYLE[decision.outcome])
    elif poll.decision is not None:
        said = decision_text(tr, poll, poll.decision)
        style = _OUTCOME_STYLE[poll.decision.outcome]
        text.append(tr("console.poll.decided", decision=said), style)
    elif poll.cancel_reason:
        text.append(poll.cancel_reason, "dim")
    return text


class PollPanel(Static):
    """The open poll, or the last one with its decision."""

    def show(self, view: View) -> None:
        self.update(poll_text(view))
