"""Turn an :class:`~facilitator.tui.intents.Intent` into engine commands, using the latest state.

Numbers typed by the moderator are the numbers the console shows (issue #3, item 2, action 1);
names are matched against participants' display names so that a resident queued by name keeps
their identity (their phone sees its place). Anything that cannot be found raises a
:class:`CommandLineError` before a command is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from facilitator.session import commands as c
from facilitator.session.state import Participant, SessionState
from facilitator.session.values import YES_NO_ABSTAIN_OPTIONS, IssueSource, PollKind, QueueStatus
from facilitator.tui import intents as i
from facilitator.tui.commandline import CommandLineError

NewId = Callable[[str], str]
Commands = tuple[c.Command, ...]

_CHOICE_ALIASES = {
    "yes": "yes", "y": "yes", "贊成": "yes", "赞成": "yes", "是": "yes",
    "no": "no", "n": "no", "反對": "no", "反对": "no", "否": "no",
    "abstain": "abstain", "a": "abstain", "棄權": "abstain", "弃权": "abstain",
}  # fmt: skip
_SIMPLE: dict[str, Callable[[dt.datetime], c.Command]] = {
    "open": lambda at: c.OpenSession(at=at),
    "next": lambda at: c.AdvanceAgenda(at=at),
    "pause": lambda at: c.PauseItem(at=at),
    "resume": lambda at: c.ResumeItem(at=at),
    "done": lambda at: c.EndSpeaking(at=at),
    "rating": lambda at: c.OpenRating(at=at),
    "end": lambda at: c.CloseSession(at=at),
}


def person(state: SessionState, name: str) -> Participant | None:
    """The participant called ``name`` (checked-in people first), if any."""
    matches = [p for p in state.participants.values() if p.display_name == name]
    matches.sort(key=lambda p: (not p.checked_in, p.number))
    return matches[0] if matches else None


def issue_id(state: SessionState, number: int) -> str:
    for found in state.issues.values():
        if found.number == number:
            return found.issue_id
    raise CommandLineError("no_issue", {"number": number})


def item_id(state: SessionState, number: int) -> str:
    for found in state.items.values():
        if found.number == number:
            return found.item_id
    raise CommandLineError("no_item", {"number": number})


def action_id(state: SessionState, number: int) -> str:
    for found in state.actions.values():
        if found.number == number:
            return found.action_id
    raise CommandLineError("no_action", {"number": number})


def open_poll_id(state: SessionState) -> str:
    if state.open_poll_id is None:
        raise CommandLineError("no_poll")
    return state.open_poll_id


def choice_key(state: SessionState, typed: str) -> str:
    """The option key of the open poll that ``typed`` names (a word, a label or a number)."""
    poll = state.polls[open_poll_id(state)]
    keys = YES_NO_ABSTAIN_OPTIONS if poll.kind is PollKind.YES_NO_ABSTAIN else poll.options
    if poll.kind is PollKind.YES_NO_ABSTAIN and typed.lower() in _CHOICE_ALIASES:
        return _CHOICE_ALIASES[typed.lower()]
    if typed in keys:
        return typed
    if typed.isdecimal() and 1 <= int(typed) <= len(keys):
        return keys[int(typed) - 1]
    raise CommandLineError("no_choice", {"choice": typed})


def _roster_entry(state: SessionState, name: str) -> str:
    """The roster entry (no phone yet) called ``name``."""
    for found in sorted(state.participants.values(), key=lambda p: p.number):
        if found.display_name == name and not found.has_device:
            return found.participant_id
    raise CommandLineError("no_roster_entry", {"name": name})


def _phone(state: SessionState, name: str) -> str:
    """The one participant called ``name`` who joined from a phone."""
    found = [p for p in state.participants.values() if p.display_name == name and p.has_device]
    if len(found) != 1:
        raise CommandLineError("no_phone" if not found else "two_phones", {"name": name})
    return found[0].participant_id


def roster_ids(state: SessionState, name: str) -> list[str]:
    """Who ``invite [NAME]`` prints cards for: the entry ``name``, or all without a phone."""
    if name:
        return [_roster_entry(state, name)]
    entries = sorted(state.participants.values(), key=lambda p: p.number)
    return [p.participant_id for p in entries if not p.has_device]


def _queue_entry(state: SessionState, name: str) -> str:
    found = person(state, name)
    for entry in state.queue:
        named = entry.participant_id == found.participant_id if found else entry.name == name
        if entry.item_id == state.current_item_id and entry.status is QueueStatus.WAITING and named:
            return entry.entry_id
    raise CommandLineError("not_queued", {"name": name})


def to_commands(
    intent: i.Intent, state: SessionState, *, at: dt.datetime, new_id: NewId, moderator: str
) -> Commands:
    """The engine commands that carry out ``intent`` (usually one)."""
    match intent:
        case i.Simple("close"):
            return (c.ClosePoll(at=at, poll_id=open_poll_id(state)),)
        case i.Simple(verb):
            return (_SIMPLE[verb](at),)
        case i.ItemAction("start", number):
            return (c.StartItem(at=at, item_id=item_id(state, number)),)
        case i.ItemAction("skip", number):
            return (c.SkipItem(at=at, item_id=item_id(state, number)),)
        case i.ItemAction(_, number):
            return (c.DeferItem(at=at, item_id=item_id(state, number)),)
        case i.Extend(minutes):
            if state.current_item_id is None:
                raise CommandLineError("no_current_item")
            return (c.ExtendItem(at=at, item_id=state.current_item_id, seconds=minutes * 60),)
        case i.WalkIns(count):
            return (c.SetWalkInCount(at=at, count=count),)
        case i.Roster(name, category):
            pid = new_id("p-")
            add = c.AddRosterEntry(
                at=at, participant_id=pid, display_name=name, category=category, check_in=True
            )
            return (add,)
        case i.Link(phone, roster):
            return (
                c.LinkDevice(
                    at=at,
                    participant_id=_roster_entry(state, roster),
                    from_participant_id=_phone(state, phone),
                ),
            )
        case i.Revoke(name):
            return (c.RevokeDevices(at=at, participant_id=_phone(state, name)),)
        case i.RaiseIssue(text, who):
            found = person(state, who) if who else None
            return (
                c.RaiseIssue(
                    at=at,
                    issue_id=new_id("i-"),
                    text=text,
                    source=IssueSource.MODERATOR,
                    participant_id=found.participant_id if found else None,
                    on_behalf_of=who,
                ),
            )
        case i.IssueAction(verb, number, text, minutes):
            return (
                _issue_command(
                    state,
                    verb,
                    issue_id(state, number),
                    text=text,
                    minutes=minutes,
                    at=at,
                    new_id=new_id,
                ),
            )
        case i.Merge(number, into):
            duplicate, target = issue_id(state, number), issue_id(state, into)
            return (c.MergeIssues(at=at, issue_id=duplicate, into_issue_id=target),)
        case i.Classify(number, urgency, category):
            target = issue_id(state, number)
            return (c.ClassifyIssue(at=at, issue_id=target, urgency=urgency, category=category),)
        case _:
            return _floor_and_votes(intent, state, at=at, new_id=new_id, moderator=moderator)


def _issue_command(
    state: SessionState,
    verb: str,
    iid: str,
    *,
    text: str,
    minutes: int | None,
    at: dt.datetime,
    new_id: NewId,
) -> c.Command:
    if verb == "accept":
        return c.AcceptIssue(at=at, issue_id=iid)
    if verb == "reject":
        return c.RejectIssue(at=at, issue_id=iid, reason=text)
    if verb == "resolve":
        return c.ResolveIssue(at=at, issue_id=iid, note=text)
    seconds = minutes * 60 if minutes is not None else None
    return c.PromoteIssue(at=at, issue_id=iid, item_id=new_id("a-"), time_box_s=seconds)


def _floor_and_votes(
    intent: i.Intent, state: SessionState, *, at: dt.datetime, new_id: NewId, moderator: str
) -> Commands:
    match intent:
        case i.Queue(name, False):
            found = person(state, name)
            pid = found.participant_id if found else None
            return (c.RaiseHand(at=at, entry_id=new_id("q-"), participant_id=pid, name=name),)
        case i.Queue(name, True):
            return (c.LowerHand(at=at, entry_id=_queue_entry(state, name)),)
        case i.Grant(name):
            entry = _queue_entry(state, name) if name else None
            return (c.GrantFloor(at=at, entry_id=entry),)
        case i.Opinion(stance, text, speaker):
            found = person(state, speaker) if speaker else None
            return (
                c.RecordOpinion(
                    at=at,
                    opinion_id=new_id("o-"),
                    stance=stance,
                    text=text,
                    speaker=speaker,
                    participant_id=found.participant_id if found else None,
                ),
            )
        case i.Vote(question, kind, options, max_choices, secret, quorum, threshold, hide_tally):
            return (
                c.OpenPoll(
                    at=at,
                    poll_id=new_id("v-"),
                    question=question,
                    kind=kind,
                    options=options,
                    max_choices=max_choices,
                    secret=secret,
                    quorum=quorum,
                    threshold=threshold,
                    hide_tally=hide_tally,
                ),
            )
        case i.Hands(counts):
            keyed = tuple((choice_key(state, key), n) for key, n in counts)
            return (c.RecordHandCount(at=at, poll_id=open_poll_id(state), counts=keyed),)
        case i.Proxy(name, choices, by):
            found = person(state, name)
            if found is None:
                raise CommandLineError("no_person", {"name": name})
            keys = tuple(choice_key(state, ch) for ch in choices)
            poll = open_poll_id(state)
            return (
                c.CastProxyBallot(
                    at=at,
                    poll_id=poll,
                    participant_id=found.participant_id,
                    choices=keys,
                    cast_by=by or moderator,
                ),
            )
        case i.Cancel(reason):
            return (c.CancelPoll(at=at, poll_id=open_poll_id(state), reason=reason),)
        case i.Action(title, owner, due):
            found = person(state, owner) if owner else None
            return (
                c.AddActionItem(
                    at=at,
                    action_id=new_id("x-"),
                    title=title,
                    owner=owner,
                    deadline=due,
                    owner_participant_id=found.participant_id if found else None,
                ),
            )
        case i.Assign(number, owner, due):
            aid = action_id(state, number)
            return (c.UpdateActionItem(at=at, action_id=aid, owner=owner or None, deadline=due),)
    raise CommandLineError("unknown", {"verb": type(intent).__name__})
