"""One short line that says what a moderator's command changed, from the events it produced.

The console answers every accepted command on the status line above the command line: the
moderator sees at once that ``next`` started item 3, that ``hands`` recorded 37 voters, that
``merge 5 2`` merged. The line is built from the durable events (not from the command), so it
says what actually happened. Participant text is quoted as it was written, never interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.i18n import Translate
from facilitator.session import events as e
from facilitator.session.state import SessionState
from facilitator.tui.view import clock

MOST = 3  # events named on the line; a command that did more ends with "…"


def _short(text: str, most: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _item(state: SessionState, item_id: str | None, tr: Translate, key: str) -> str | None:
    item = state.items.get(item_id) if item_id else None
    return None if item is None else tr(key, number=item.number, title=_short(item.title))


def _issue(state: SessionState, issue_id: str) -> int:
    issue = state.issues.get(issue_id)
    return issue.number if issue is not None else 0


def _speaker(state: SessionState, entry_id: str) -> str:
    return next((q.name for q in state.queue if q.entry_id == entry_id), "")


def _person(state: SessionState, participant_id: str) -> str:
    person = state.participants.get(participant_id)
    return person.display_name if person is not None else ""


def _action(state: SessionState, action_id: str, tr: Translate, key: str) -> str:
    action = state.actions.get(action_id)
    if action is None:
        return tr(key, number="", title="")
    return tr(key, number=action.number, title=_short(action.title))


def _item_event(event: e.Event, state: SessionState, tr: Translate) -> str | None:
    keys = {
        e.ItemStarted: "done.item_started",
        e.ItemCompleted: "done.item_completed",
        e.ItemSkipped: "done.item_skipped",
        e.ItemDeferred: "done.item_deferred",
        e.ItemPaused: "done.item_paused",
        e.ItemResumed: "done.item_resumed",
        e.AgendaItemAdded: "done.item_added",
    }
    key = keys.get(type(event))
    item_id = getattr(event, "item_id", None)
    return _item(state, item_id, tr, key) if key is not None else None


_ISSUE_KEYS = {
    e.IssueRaised: "done.issue_raised",
    e.IssueAccepted: "done.issue_accepted",
    e.IssueRejected: "done.issue_rejected",
    e.IssueResolved: "done.issue_resolved",
    e.IssuePromoted: "done.issue_promoted",
}
_PLAIN_KEYS = {
    e.SessionOpened: "done.session_opened",
    e.SessionClosed: "done.session_closed",
    e.RatingOpened: "done.rating_opened",
    e.PollCancelled: "done.poll_cancelled",
    e.FeedbackRecorded: "done.feedback",
    e.DeliveryRatingOpened: "done.delivery_rating",
}


def say(event: e.Event, state: SessionState, tr: Translate) -> str | None:
    """What one event changed, for the moderator; None for events not worth a word."""
    if type(event) in _PLAIN_KEYS:
        return tr(_PLAIN_KEYS[type(event)])
    if type(event) in _ISSUE_KEYS:
        return tr(_ISSUE_KEYS[type(event)], number=_issue(state, getattr(event, "issue_id", "")))
    match event:
        case e.ItemExtended(seconds=seconds):
            return tr("done.item_extended", minutes=seconds // 60)
        case e.HandRaised(name=name):
            return tr("done.queued", name=name)
        case e.HandLowered(entry_id=entry):
            return tr("done.unqueued", name=_speaker(state, entry))
        case e.FloorGranted(entry_id=entry):
            return tr("done.floor", name=_speaker(state, entry))
        case e.SpeakingEnded(entry_id=entry, duration_s=seconds):
            return tr("done.spoke", name=_speaker(state, entry), time=clock(seconds))
        case e.OpinionRecorded(stance=stance):
            return tr("done.opinion", stance=tr(f"term.stance.{stance.value}"))
        case e.IssuesMerged(issue_id=merged, into_issue_id=into):
            number, target = _issue(state, merged), _issue(state, into)
            return tr("done.issues_merged", number=number, into=target)
        case e.IssueClassified(issue_id=issue, category=category, urgency=urgency):
            level = tr(f"term.urgency.{urgency.value}")
            return tr(
                "done.issue_classified",
                number=_issue(state, issue),
                category=category or "—",
                urgency=level,
            )
        case e.PollOpened(question=question):
            return tr("done.poll_opened", question=_short(question))
        case e.PollClosed(decision=decision):
            outcome = tr(f"term.outcome.{decision.outcome.value}")
            return tr("done.poll_closed", outcome=outcome, voters=decision.voters)
        case e.HandCountRecorded(voters=voters):
            return tr("done.hands", voters=voters, present=state.present)
        case e.BallotCast(participant_id=pid):
            return tr("done.proxy", name=_person(state, pid))
        case e.ActionItemAdded(action_id=action):
            return _action(state, action, tr, "done.action_added")
        case e.ActionItemUpdated(action_id=action):
            return _action(state, action, tr, "done.action_updated")
        case e.ParticipantJoined(display_name=name):
            return tr("done.roster", name=name)
        case e.ParticipantCheckedIn(participant_id=pid):
            return tr("done.checked_in", name=_person(state, pid))
        case e.WalkInCountSet(count=count):
            return tr("done.walk_ins", count=count, present=state.present)
        case e.DeviceLinked(participant_id=pid):
            return tr("done.linked", name=_person(state, pid))
    return _item_event(event, state, tr)


def describe(
    events: Iterable[e.Event], state: SessionState, tr: Translate, lang: str = "zh-Hant"
) -> str:
    """What ``events`` changed, in one line (``""`` when nothing worth saying happened)."""
    said: list[str] = []
    joined: set[str] = set()
    for event in events:
        if isinstance(event, e.ParticipantJoined):
            joined.add(event.participant_id)
        elif isinstance(event, e.ParticipantCheckedIn) and event.participant_id in joined:
            continue  # "added, checked in" is one thing to the moderator
        line = say(event, state, tr)
        if line and line not in said:
            said.append(line)
    separator = "；" if lang.startswith("zh") else "; "
    if len(said) > MOST:
        return separator.join(said[:MOST]) + "…"
    return separator.join(said)
