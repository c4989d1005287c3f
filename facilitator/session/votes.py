"""Polls (表決): open, ballots by phone and by proxy, hand counts, close with a decision.

A ballot changes the running per-channel counts by the difference between the new and the old
choice, so casting a vote costs the same with ten people in the square or ten thousand.
"""

from __future__ import annotations

from typing import Any

from facilitator.session import checks
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.decision import decide_outcome
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.state import Ballot, Poll, SessionState, evolve, options_for
from facilitator.session.values import (
    Channel,
    PollKind,
    PollStatus,
    Quorum,
    Threshold,
    ThresholdRule,
)

Events = tuple[e.Event, ...]


def _check_rules(quorum: Quorum, threshold: Threshold) -> None:
    checks.quorum(quorum)
    if not isinstance(threshold.rule, ThresholdRule):
        raise SessionError(ErrorCode.INVALID_VALUE, field="threshold", reason="unknown rule")
    if threshold.rule is ThresholdRule.FRACTION and not 0 < threshold.num <= threshold.den:
        raise SessionError(ErrorCode.INVALID_VALUE, field="threshold", reason="fraction 0-1")


def decide_open(state: SessionState, cmd: c.OpenPoll) -> Events:
    checks.in_progress(state)
    checks.new_id(cmd.poll_id, state.polls, "poll_id")
    if state.open_poll_id is not None:
        raise SessionError(ErrorCode.POLL_ALREADY_OPEN)
    if not isinstance(cmd.kind, PollKind):
        raise SessionError(ErrorCode.INVALID_VALUE, field="kind", reason=str(cmd.kind))
    options: tuple[str, ...] = ()
    max_choices = 1
    if cmd.kind is not PollKind.YES_NO_ABSTAIN:
        options = tuple(checks.text(o, "option", checks.OPTION_MAX) for o in cmd.options)
        if not 2 <= len(options) <= checks.MAX_OPTIONS or len(set(options)) != len(options):
            raise SessionError(ErrorCode.INVALID_VALUE, field="options", reason="2-20 distinct")
    if cmd.kind is PollKind.MULTI:
        max_choices = cmd.max_choices
        if isinstance(max_choices, bool) or not 1 <= max_choices <= len(options):
            raise SessionError(ErrorCode.INVALID_VALUE, field="max_choices", reason="1-options")
    quorum = state.quorum if cmd.quorum is None else cmd.quorum
    _check_rules(quorum, cmd.threshold)
    if cmd.hide_tally is not None and not isinstance(cmd.hide_tally, bool):
        raise SessionError(ErrorCode.INVALID_VALUE, field="hide_tally", reason="true/false")
    item_id = cmd.item_id if cmd.item_id is not None else state.current_item_id
    if item_id is not None:
        checks.item(state, item_id)
    return (
        e.PollOpened(
            at=cmd.at,
            poll_id=cmd.poll_id,
            item_id=item_id,
            question=checks.text(cmd.question, "question", checks.ISSUE_MAX),
            kind=cmd.kind,
            options=options,
            max_choices=max_choices,
            secret=cmd.secret,
            changeable=cmd.changeable,
            quorum=quorum,
            threshold=cmd.threshold,
            hide_tally=cmd.secret if cmd.hide_tally is None else cmd.hide_tally,
        ),
    )


def _choices(poll: Poll, choices: tuple[str, ...]) -> tuple[str, ...]:
    keys = options_for(poll.kind, poll.options)
    if not choices or len(set(choices)) != len(choices) or any(ch not in keys for ch in choices):
        raise SessionError(ErrorCode.INVALID_CHOICE)
    if len(choices) > poll.max_choices:
        raise SessionError(ErrorCode.TOO_MANY_CHOICES, max=poll.max_choices)
    return tuple(sorted(choices, key=keys.index))  # one spelling per ballot, whatever the order


def _ballot(state: SessionState, cmd: c.CastBallot | c.CastProxyBallot, channel: Channel) -> Events:
    checks.in_progress(state)
    poll = checks.open_poll(state, cmd.poll_id)
    checks.present_participant(state, cmd.participant_id)
    choices = _choices(poll, tuple(cmd.choices))
    cast_by = ""
    if isinstance(cmd, c.CastProxyBallot):
        cast_by = checks.text(cmd.cast_by, "cast_by", checks.NAME_MAX)
    previous = poll.ballots.get(cmd.participant_id)
    if previous is not None:
        if previous.choices == choices and previous.channel is channel:
            return ()  # the same ballot again (a retry) changes nothing
        if not poll.changeable:
            raise SessionError(ErrorCode.BALLOT_FINAL)
    elif poll.voters + 1 > state.present:
        raise SessionError(ErrorCode.OVER_CAPACITY, total=poll.voters + 1, present=state.present)
    return (
        e.BallotCast(
            at=cmd.at,
            poll_id=cmd.poll_id,
            participant_id=cmd.participant_id,
            choices=choices,
            channel=channel,
            cast_by=cast_by,
        ),
    )


def decide_cast(state: SessionState, cmd: c.CastBallot) -> Events:
    return _ballot(state, cmd, Channel.PHONE)


def decide_proxy(state: SessionState, cmd: c.CastProxyBallot) -> Events:
    return _ballot(state, cmd, Channel.PROXY)


def decide_hands(state: SessionState, cmd: c.RecordHandCount) -> Events:
    checks.in_progress(state)
    poll = checks.open_poll(state, cmd.poll_id)
    keys = options_for(poll.kind, poll.options)
    given = dict(cmd.counts)
    if len(given) != len(cmd.counts) or any(k not in keys for k in given):
        raise SessionError(ErrorCode.INVALID_CHOICE)
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in given.values()):
        raise SessionError(ErrorCode.INVALID_VALUE, field="count", reason="whole numbers >= 0")
    counts = tuple(given.get(k, 0) for k in keys)
    if poll.kind is PollKind.MULTI:
        voters = max(counts) if cmd.voters is None else cmd.voters
        if not max(counts) <= voters <= sum(counts) or voters * poll.max_choices < sum(counts):
            raise SessionError(ErrorCode.INVALID_VALUE, field="voters", reason="inconsistent")
    else:
        voters = sum(counts)
        if cmd.voters is not None and cmd.voters != voters:
            raise SessionError(ErrorCode.INVALID_VALUE, field="voters", reason="not the sum")
    total = len(poll.ballots) + voters  # people who voted by phone or proxy are not hands
    if total > state.present:
        raise SessionError(ErrorCode.OVER_CAPACITY, total=total, present=state.present)
    return (e.HandCountRecorded(at=cmd.at, poll_id=cmd.poll_id, counts=counts, voters=voters),)


def decide_close(state: SessionState, cmd: c.ClosePoll) -> Events:
    checks.changeable(state)
    poll = checks.open_poll(state, cmd.poll_id)
    return (e.PollClosed(at=cmd.at, poll_id=poll.poll_id, decision=decide_outcome(state, poll)),)


def decide_cancel(state: SessionState, cmd: c.CancelPoll) -> Events:
    checks.changeable(state)
    checks.open_poll(state, cmd.poll_id)
    reason = checks.text(cmd.reason, "reason", checks.REASON_MAX, required=False)
    return (e.PollCancelled(at=cmd.at, poll_id=cmd.poll_id, reason=reason),)


# --- folding -----------------------------------------------------------------------------------


def _put(s: SessionState, poll: Poll, **changes: Any) -> SessionState:
    return evolve(s, polls=s.polls.set(poll.poll_id, evolve(poll, **changes)))


def apply_opened(s: SessionState, ev: e.PollOpened) -> SessionState:
    zeros = (0,) * len(options_for(ev.kind, ev.options))
    poll = Poll(
        poll_id=ev.poll_id,
        number=len(s.polls) + 1,
        item_id=ev.item_id,
        question=ev.question,
        kind=ev.kind,
        options=ev.options,
        max_choices=ev.max_choices,
        secret=ev.secret,
        changeable=ev.changeable,
        quorum=ev.quorum,
        threshold=ev.threshold,
        hide_tally=ev.hide_tally,
        opened_at=ev.at,
        phone=zeros,
        proxy=zeros,
        hands=zeros,
    )
    return evolve(
        s,
        polls=s.polls.set(ev.poll_id, poll),
        poll_order=(*s.poll_order, ev.poll_id),
        open_poll_id=ev.poll_id,
    )


def _shift(counts: tuple[int, ...], idx: list[int], step: int) -> tuple[int, ...]:
    out = list(counts)
    for i in idx:
        out[i] += step
    return tuple(out)


def apply_ballot(s: SessionState, ev: e.BallotCast) -> SessionState:
    poll = s.polls[ev.poll_id]
    keys = options_for(poll.kind, poll.options)
    by_channel = {Channel.PHONE: poll.phone, Channel.PROXY: poll.proxy}
    voters = {Channel.PHONE: poll.phone_voters, Channel.PROXY: poll.proxy_voters}
    previous = poll.ballots.get(ev.participant_id)
    if previous is not None:
        old = previous.channel
        by_channel[old] = _shift(by_channel[old], [keys.index(ch) for ch in previous.choices], -1)
        voters[old] -= 1
    by_channel[ev.channel] = _shift(
        by_channel[ev.channel], [keys.index(ch) for ch in ev.choices], 1
    )
    voters[ev.channel] += 1
    ballot = Ballot(choices=ev.choices, channel=ev.channel, cast_by=ev.cast_by, at=ev.at)
    return _put(
        s,
        poll,
        ballots=poll.ballots.set(ev.participant_id, ballot),
        phone=by_channel[Channel.PHONE],
        proxy=by_channel[Channel.PROXY],
        phone_voters=voters[Channel.PHONE],
        proxy_voters=voters[Channel.PROXY],
    )


def apply_hands(s: SessionState, ev: e.HandCountRecorded) -> SessionState:
    return _put(s, s.polls[ev.poll_id], hands=ev.counts, hand_voters=ev.voters)


def apply_closed(s: SessionState, ev: e.PollClosed) -> SessionState:
    s = _put(
        s, s.polls[ev.poll_id], status=PollStatus.CLOSED, decision=ev.decision, closed_at=ev.at
    )
    return evolve(s, open_poll_id=None)


def apply_cancelled(s: SessionState, ev: e.PollCancelled) -> SessionState:
    poll = s.polls[ev.poll_id]
    s = _put(s, poll, status=PollStatus.CANCELLED, cancel_reason=ev.reason, closed_at=ev.at)
    return evolve(s, open_poll_id=None)


DECIDE: dict[type[c.Command], Any] = {
    c.OpenPoll: decide_open,
    c.CastBallot: decide_cast,
    c.CastProxyBallot: decide_proxy,
    c.RecordHandCount: decide_hands,
    c.ClosePoll: decide_close,
    c.CancelPoll: decide_cancel,
}

APPLY: dict[type[e.Event], Any] = {
    e.PollOpened: apply_opened,
    e.BallotCast: apply_ballot,
    e.HandCountRecorded: apply_hands,
    e.PollClosed: apply_closed,
    e.PollCancelled: apply_cancelled,
}
