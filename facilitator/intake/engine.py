"""The intake engine: ``decide`` (state + command -> events, or a refusal) and a small stateful
wrapper. No I/O and no clock: time and ids arrive on the commands. A refusal raises
:class:`IntakeError` before anything changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from facilitator.intake import checks
from facilitator.intake import commands as c
from facilitator.intake import events as e
from facilitator.intake.errors import IntakeCode, IntakeError
from facilitator.intake.fold import apply
from facilitator.intake.state import PlaceState
from facilitator.intake.values import SHORT_LIMIT, RequestStatus

Events = tuple[e.IntakeEvent, ...]


def _create(state: PlaceState, cmd: c.CreatePlace) -> Events:
    if state.exists:
        raise IntakeError(IntakeCode.PLACE_EXISTS)
    if not cmd.place_id or not cmd.place_id.replace("-", "").replace("_", "").isalnum():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="place_id", reason="letters_digits")
    return (
        e.PlaceCreated(
            at=cmd.at,
            place_id=cmd.place_id,
            name=checks.text(cmd.name, "name", SHORT_LIMIT),
            lang=cmd.lang,
            categories=checks.texts(cmd.categories, "category"),
            answer_within_h=checks.positive(cmd.answer_within_h, "answer_within"),
            deliver_within_d=checks.positive(cmd.deliver_within_d, "deliver_within"),
        ),
    )


def _update(state: PlaceState, cmd: c.UpdatePlace) -> Events:
    return (
        e.PlaceUpdated(
            at=cmd.at,
            name=state.name if cmd.name is None else checks.text(cmd.name, "name", SHORT_LIMIT),
            categories=(
                state.categories
                if cmd.categories is None
                else checks.texts(cmd.categories, "category")
            ),
            answer_within_h=checks.positive(
                cmd.answer_within_h or state.answer_within_h, "answer_within"
            ),
            deliver_within_d=checks.positive(
                cmd.deliver_within_d or state.deliver_within_d, "deliver_within"
            ),
        ),
    )


def _add_building(state: PlaceState, cmd: c.AddBuilding) -> Events:
    if any(b.code == cmd.code or b.name == cmd.name.strip() for b in state.buildings):
        raise IntakeError(IntakeCode.BUILDING_EXISTS, building=cmd.name)
    if not cmd.code.isalnum():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="code", reason="letters_digits")
    name = checks.text(cmd.name, "building", SHORT_LIMIT)
    return (
        e.BuildingAdded(at=cmd.at, code=cmd.code, name=name, units=checks.texts(cmd.units, "unit")),
    )


def _raise(state: PlaceState, cmd: c.RaiseRequest) -> Events:
    building = state.building(cmd.building)
    if building is None:
        raise IntakeError(IntakeCode.UNKNOWN_BUILDING, building=cmd.building)
    unit = cmd.unit.strip()
    if unit and building.units and unit not in building.units:
        raise IntakeError(IntakeCode.UNKNOWN_UNIT, building=building.name, unit=unit)
    return (
        e.RequestRaised(
            at=cmd.at,
            number=len(state.requests) + 1,
            device_key=cmd.device_key,
            building=cmd.building,
            unit=checks.text(unit, "unit", SHORT_LIMIT, required=False),
            category=checks.known_category(state, cmd.category),
            text=checks.text(cmd.text, "request"),
            contact=checks.text(cmd.contact, "contact", SHORT_LIMIT, required=False),
            photo=cmd.photo,
            signature=checks.text(cmd.signature, "name", SHORT_LIMIT, required=False),
        ),
    )


def _support(state: PlaceState, cmd: c.SupportRequest) -> Events:
    checks.known_request(state, cmd.number)
    root = state.root(cmd.number)  # supporting a merged duplicate supports what it joined
    if root.status in (RequestStatus.REJECTED,):
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=root.number, status=root.status.value)
    if cmd.device_key in root.supporters:
        raise IntakeError(IntakeCode.ALREADY_SUPPORTED, number=root.number)
    return (e.RequestSupported(at=cmd.at, number=root.number, device_key=cmd.device_key),)


def _accept(state: PlaceState, cmd: c.AcceptRequest) -> Events:
    request = checks.open_request(state, cmd.number)
    category = checks.known_category(state, cmd.category) or request.category
    return (
        e.RequestAccepted(
            at=cmd.at, number=cmd.number, category=category, urgency=cmd.urgency, by=cmd.by
        ),
    )


def _merge(state: PlaceState, cmd: c.MergeRequest) -> Events:
    if cmd.number == cmd.into:
        raise IntakeError(IntakeCode.MERGE_INTO_SELF)
    checks.open_request(state, cmd.number)
    target = checks.known_request(state, cmd.into)
    if target.status in (RequestStatus.MERGED, RequestStatus.REJECTED):
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=cmd.into, status=target.status.value)
    return (e.RequestMerged(at=cmd.at, number=cmd.number, into=cmd.into, by=cmd.by),)


def _reject(state: PlaceState, cmd: c.RejectRequest) -> Events:
    checks.open_request(state, cmd.number)
    reason = checks.text(cmd.reason, "reason")
    return (e.RequestRejected(at=cmd.at, number=cmd.number, reason=reason, by=cmd.by),)


def _answer(state: PlaceState, cmd: c.AnswerRequest) -> Events:
    request = checks.known_request(state, cmd.number)
    if request.status is RequestStatus.MERGED:
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=cmd.number, status="merged")
    text = checks.text(cmd.text, "answer")
    return (e.RequestAnswered(at=cmd.at, number=cmd.number, text=text, by=cmd.by),)


def _fix(state: PlaceState, cmd: c.FixRequest) -> Events:
    request = checks.open_request(state, cmd.number)
    if cmd.item_id in state.items or not cmd.item_id:
        raise IntakeError(IntakeCode.DUPLICATE_ITEM, item=cmd.item_id)
    deadline = cmd.deadline or cmd.at.date() + dt.timedelta(days=state.deliver_within_d)
    if deadline < cmd.at.date():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="deadline", reason="past")
    title = checks.text(cmd.title or request.text, "title")
    owner = checks.text(cmd.owner, "owner", SHORT_LIMIT)
    return (
        e.RequestFixed(
            at=cmd.at,
            number=cmd.number,
            item_id=cmd.item_id,
            title=title,
            owner=owner,
            deadline=deadline,
            by=cmd.by,
        ),
    )


def _schedule(state: PlaceState, cmd: c.ScheduleRequest) -> Events:
    checks.open_request(state, cmd.number)
    note = checks.text(cmd.note, "answer", required=False)
    return (e.RequestScheduled(at=cmd.at, number=cmd.number, by=cmd.by, note=note),)


def _take(state: PlaceState, cmd: c.TakeRequests) -> Events:
    for number in cmd.numbers:
        request = checks.known_request(state, number)
        if request.status is not RequestStatus.SCHEDULED:
            raise IntakeError(IntakeCode.REQUEST_CLOSED, number=number, status=request.status.value)
    if not cmd.numbers:
        return ()
    return (e.RequestsTaken(at=cmd.at, numbers=cmd.numbers, session_id=cmd.session_id),)


def _feedback(state: PlaceState, cmd: c.RecordItemFeedback) -> Events:
    if cmd.item_id not in state.items:
        raise IntakeError(IntakeCode.UNKNOWN_ITEM, item=cmd.item_id)
    text = checks.text(cmd.text, "feedback", required=cmd.status is None)
    return (
        e.ItemFeedbackRecorded(
            at=cmd.at, item_id=cmd.item_id, text=text, status=cmd.status, by=cmd.by
        ),
    )


def _rate(state: PlaceState, cmd: c.RateItem) -> Events:
    if type(cmd.stars) is not int or not 1 <= cmd.stars <= 5:
        raise IntakeError(IntakeCode.INVALID_RATING)
    if not cmd.ref:
        raise IntakeError(IntakeCode.UNKNOWN_ITEM, item=cmd.ref)
    return (e.ItemRated(at=cmd.at, ref=cmd.ref, device_key=cmd.device_key, stars=cmd.stars),)


_DECIDERS: dict[type[c.Command], Callable[[PlaceState, Any], Events]] = {
    c.CreatePlace: _create,
    c.UpdatePlace: _update,
    c.AddBuilding: _add_building,
    c.AddStaff: lambda s, cmd: (e.StaffAdded(at=cmd.at, name=checks.text(cmd.name, "name", 60)),),
    c.RaiseRequest: _raise,
    c.SupportRequest: _support,
    c.AcceptRequest: _accept,
    c.MergeRequest: _merge,
    c.RejectRequest: _reject,
    c.AnswerRequest: _answer,
    c.FixRequest: _fix,
    c.ScheduleRequest: _schedule,
    c.TakeRequests: _take,
    c.RecordItemFeedback: _feedback,
    c.RateItem: _rate,
}


def decide(state: PlaceState, cmd: c.Command) -> Events:
    """The events ``cmd`` causes in ``state``; raises :class:`IntakeError` when refused."""
    if not state.exists and not isinstance(cmd, c.CreatePlace):
        raise IntakeError(IntakeCode.NO_PLACE)
    return _DECIDERS[type(cmd)](state, cmd)


class IntakeEngine:
    """A place's state with ``execute`` (decide + apply) and ``replay``."""

    def __init__(self, state: PlaceState | None = None) -> None:
        self.state = state or PlaceState()

    @classmethod
    def replay(cls, events: Iterable[e.IntakeEvent]) -> IntakeEngine:
        state = PlaceState()
        for ev in events:
            state = apply(state, ev)
        return cls(state)

    def decide(self, cmd: c.Command) -> Events:
        return decide(self.state, cmd)

    def execute(self, cmd: c.Command) -> Events:
        """Decide and apply; on a refusal nothing changes."""
        events = decide(self.state, cmd)
        for ev in events:
            self.state = apply(self.state, ev)
        return events
