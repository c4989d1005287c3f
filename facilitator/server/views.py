"""What each role may see, as plain JSON-ready dicts built from one immutable state.

The public view goes to every phone and every display; it never holds a device key, a participant
id, or who cast which ballot. What belongs to one phone (its ballots, supports, queue place, claims
and ratings) is in :func:`me_view` and is sent to that phone only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.session.decision import QuorumStatus, decision_quorum, quorum_status, settled
from facilitator.session.issues import board_order
from facilitator.session.speakers import position, waiting
from facilitator.session.state import Poll, SessionState, options_for
from facilitator.session.values import PollStatus, QueueStatus, QuorumRule

JSON = dict[str, Any]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _quorum(status: QuorumStatus | None) -> JSON | None:
    if status is None or status.rule is QuorumRule.NONE:
        return None
    return {
        "counted": status.counted,
        "required": status.required,
        "present": status.present,
        "met": status.met,
        "counts_voters": status.counts_voters,
    }


def _poll(state: SessionState, poll: Poll, *, reveal: bool = False) -> JSON:
    """A poll as phones, displays and moderators see it. While a poll with ``hide_tally`` is
    open, ``totals`` is ``null`` unless ``reveal`` (the moderator's view)."""
    decision = settled(poll.decision, poll) if poll.decision else None
    hidden = poll.hide_tally and poll.status is PollStatus.OPEN and not reveal
    live = quorum_status(state, poll) if poll.status is PollStatus.OPEN else None
    return {
        "id": poll.poll_id,
        "number": poll.number,
        "question": poll.question,
        "kind": poll.kind.value,
        "options": list(options_for(poll.kind, poll.options)),
        "max_choices": poll.max_choices,
        "secret": poll.secret,
        "changeable": poll.changeable,
        "hide_tally": poll.hide_tally,
        "status": poll.status.value,
        "voters": poll.voters,
        "totals": None if hidden else list(poll.totals),
        "quorum_rule": {
            "rule": poll.quorum.rule.value,
            "count": poll.quorum.count,
            "num": poll.quorum.num,
            "den": poll.quorum.den,
        },
        "threshold": {
            "rule": poll.threshold.rule.value,
            "num": poll.threshold.num,
            "den": poll.threshold.den,
        },
        "quorum": _quorum(decision_quorum(decision) if decision else live),
        "outcome": decision.outcome.value if decision else None,
        "winner": decision.winner if decision else None,
        "tied": list(decision.tied) if decision else [],
        "votes_cast": decision.votes_cast if decision else None,
        "needed": decision.needed if decision else None,
    }


def _name(state: SessionState, pid: str | None) -> str:
    person = state.participants.get(pid) if pid else None
    return person.display_name if person else ""


def public_view(state: SessionState, *, reveal: bool = False) -> JSON:
    """The snapshot every phone and display receives (``seq`` is the state's version);
    ``reveal``: with the running counts of a poll that hides them (for the moderator)."""
    item = state.current_item
    speaker = state.speaker
    last_poll = next(
        (
            state.polls[p]
            for p in reversed(state.poll_order)
            if state.polls[p].status is PollStatus.CLOSED
        ),
        None,
    )
    ratings = [r.stars for r in state.ratings.values()]
    return {
        "seq": state.version,
        "session": {
            "title": state.title,
            "kind": state.kind.value,
            "place": state.place,
            "date": _iso(state.date),
            "phase": state.phase.value,
            "lang": state.lang,
            "rating_open": state.rating_open,
            "categories": list(state.categories),
        },
        "present": state.present,
        "item": None
        if item is None
        else {
            "id": item.item_id,
            "number": item.number,
            "title": item.title,
            "status": item.status.value,
            "time_box_s": item.time_box_s,
            "description": item.description,
            # the display runs the countdown itself between snapshots
            "started_at": _iso(item.started_at),
            "elapsed_before_s": round(item.elapsed_before_s, 1),
        },
        "agenda": [
            {"id": i.item_id, "number": i.number, "title": i.title, "status": i.status.value}
            for i in (state.items[k] for k in state.item_order)
        ],
        "issues": [
            {
                "id": i.issue_id,
                "number": i.number,
                "text": i.text,
                "status": i.status.value,
                "supports": i.support_count,
                "building": i.building,
            }
            for i in board_order(state)
        ],
        "queue": [{"name": q.name, "status": q.status.value} for q in waiting(state)],
        "speaker": None
        if speaker is None
        else {
            "name": speaker.name,
            "started_at": _iso(speaker.started_at),
            "limit_s": state.speaking_time_s,
        },
        "poll": _poll(state, state.open_poll, reveal=reveal) if state.open_poll else None,
        "last_poll": _poll(state, last_poll) if last_poll else None,
        "actions": [
            {
                "id": a.action_id,
                "number": a.number,
                "title": a.title,
                "owner": a.owner,
                "deadline": _iso(a.deadline),
                "claimed": a.claimed_by is not None,
                "claimed_by": _name(state, a.claimed_by),
            }
            for a in sorted(state.actions.values(), key=lambda a: a.number)
        ],
        "follow_ups": [
            {
                "ref": f.ref,
                "number": f.number,
                "title": f.title,
                "owner": f.owner,
                "deadline": _iso(f.deadline),
                "status": f.status,
                "overdue": f.overdue,
                "rating_open": f.rating_open,
                "ratings": len(f.ratings),
            }
            for f in sorted(state.follow_ups.values(), key=lambda f: f.number)
        ],
        "rating": {
            "open": state.rating_open,
            "count": len(ratings),
            "average": round(sum(ratings) / len(ratings), 2) if ratings else None,
        },
    }


def display_view(state: SessionState, join: JSON) -> JSON:
    """The projector's snapshot: the public view plus how to join (URL and codes)."""
    return {**public_view(state), "join": join}


def roster_view(state: SessionState) -> list[JSON]:
    """Every participant, for the moderator's clients (changes only when someone joins or
    checks in or out, so the broadcaster keeps it between snapshots)."""
    return [
        {
            "id": p.participant_id,
            "number": p.number,
            "name": p.display_name,
            "category": p.category,
            "building": p.building,
            "unit": p.unit,
            "checked_in": p.checked_in,
            "has_device": p.has_device,
        }
        for p in sorted(state.participants.values(), key=lambda p: p.number)
    ]


def moderator_view(state: SessionState, roster: list[JSON] | None = None) -> JSON:
    """Everything the moderator's remote clients need, still without device keys.

    ``roster`` is :func:`roster_view` of this state when the caller already has it.
    """
    view = public_view(state, reveal=True)
    view["session"]["join_code"] = state.join_code
    view["session"]["numeric_code"] = state.numeric_code
    view["roster"] = roster if roster is not None else roster_view(state)
    view["all_issues"] = [
        {
            "id": i.issue_id,
            "number": i.number,
            "status": i.status.value,
            "supports": i.support_count,
        }
        for i in sorted(state.issues.values(), key=lambda i: i.number)
    ]
    view["polls"] = [_poll(state, state.polls[p], reveal=True) for p in state.poll_order]
    view["queue_ids"] = [q.entry_id for q in waiting(state)]
    return view


def me_view(state: SessionState, pid: str) -> JSON:
    """One phone's own data: sent only to that phone (ack of its actions, ``me`` messages)."""
    person = state.participants.get(pid)
    if person is None:
        return {"joined": False}
    hand = next(
        (
            q
            for q in state.queue
            if q.participant_id == pid
            and q.item_id == state.current_item_id
            and q.status in (QueueStatus.WAITING, QueueStatus.SPEAKING)
        ),
        None,
    )
    rating = state.ratings.get(pid)
    return {
        "joined": True,
        "id": pid,
        "number": person.number,
        "name": person.display_name,
        "building": person.building,
        "category": person.category,
        "checked_in": person.checked_in,
        "ballots": {
            poll_id: list(ballot.choices)
            for poll_id in state.poll_order
            if (ballot := state.polls[poll_id].ballots.get(pid)) is not None
        },
        "supports": sorted(
            i.issue_id
            for i in state.issues.values()
            if pid in i.supporters  # or supported from home before the session (碼上議)
            or any(state.devices.get(key) == pid for key in i.home_supporters)
        ),
        "raised": sorted(i.issue_id for i in state.issues.values() if i.participant_id == pid),
        "hand": None
        if hand is None
        else {"status": hand.status.value, "position": position(state, pid)},
        "claims": sorted(a.action_id for a in state.actions.values() if a.claimed_by == pid),
        "rating": None if rating is None else {"stars": rating.stars, "comment": rating.comment},
        "delivery_ratings": {
            f.ref: stars for f in state.follow_ups.values() if (stars := f.ratings.get(pid))
        },
    }
