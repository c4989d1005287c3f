"""The speaker queue with the speaking timer, and the opinions recorded under the current item."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.session.speakers import waiting
from facilitator.session.values import Stance
from facilitator.tui.view import View, clock
from facilitator.tui.widgets.colors import BAD, BAD_STYLE, GOOD, OK_STYLE

_STANCE_MARK = {Stance.FOR: ("+", GOOD), Stance.AGAINST: ("−", BAD), Stance.NEUTRAL: ("=", "")}
OPINIONS_SHOWN = 6  # the latest few; the minutes keep them all


def queue_text(view: View) -> Text:
    tr, state = view.tr, view.state
    text = Text()
    speaker = state.speaker
    if speaker is not None and speaker.started_at is not None:
        spoken = (view.now - speaker.started_at).total_seconds()
        over = spoken > state.speaking_time_s
        text.append(tr("console.queue.speaking", name=speaker.name), "bold")
        limit = clock(state.speaking_time_s)
        text.append(f"  {clock(spoken)} / {limit}\n", BAD_STYLE if over else OK_STYLE)
    else:
        text.append(tr("console.queue.nobody") + "\n", "dim")
    people = waiting(state)
    for place, entry in enumerate(people, start=1):
        text.append(f"{place}. {entry.name}\n")
    if not people:
        text.append(tr("console.queue.empty"), "dim")
    text.rstrip()
    return text


def opinions_text(view: View) -> Text:
    tr, state = view.tr, view.state
    here = [o for o in state.opinions if o.item_id == state.current_item_id]
    text = Text()
    for opinion in here[-OPINIONS_SHOWN:]:
        mark, style = _STANCE_MARK[opinion.stance]
        text.append(f"{mark} ", style or "bold")
        text.append(opinion.text)
        if opinion.speaker:
            text.append(f"  — {opinion.speaker}", "dim")
        text.append("\n")
    if not here:
        text.append(tr("console.opinions.empty"), "dim")
    text.rstrip()
    return text


class SpeakerPanel(Static):
    """Who has the floor (with a timer against the speaking time) and who waits."""

    def show(self, view: View) -> None:
        self.update(queue_text(view))


class OpinionPanel(Static):
    """The latest opinions of the current item, marked for / against / neutral."""

    def show(self, view: View) -> None:
        self.update(opinions_text(view))
