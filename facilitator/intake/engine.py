"""The intake engine: ``decide`` (state + command -> events, or a refusal) and a small stateful
wrapper. No I/O and no clock: time and ids arrive on the commands. A refusal raises
:class:`IntakeError` before anything changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from facilitator.intake import commands as c
from facilitator.intake import events as e
from facilitator.intake.errors import IntakeCode, IntakeError
from facilitator.intake.state import PlaceState, Request, apply
from facilitator.intake.values import OPEN, SHORT_LIMIT, TEXT_LIMIT, RequestStatus

Events = tuple[e.IntakeEvent, ...]


def _text(value: str, field: str, limit: int = TEXT_LIMIT, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise IntakeError(IntakeCode.TEXT_EMPTY, field=field)
    if len(text) > limit:
        raise IntakeError(IntakeCode.TEXT_TOO_LONG, field=field, length=len(text), limit=limit)
    return text


def _texts(values: tuple[str, ...], field: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(_text(v, field, SHORT_LIMIT) for v in values))
    return out


def _positive(value: int, field: str) -> int:
    if not 1 <= value <= 10_000:
        raise IntakeError(IntakeCode.INVALID_VALUE, field=field, reason="range")
    return value


def _request(state: PlaceState, number: int) -> Request:
    request = state.requests.get(number)
    if request is None:
        raise IntakeError(IntakeCode.UNKNOWN_REQUEST, number=number)
    return request


def _open(state: PlaceState, number: int) -> Request:
    request = _request(state, number)
    if request.status not in OPEN:
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=number, status=request.status.value)
    return request


def _category(state: PlaceState, category: str) -> str:
    category = category.strip()
    if category and state.categories and category not in state.categories:
        raise IntakeError(IntakeCode.UNKNOWN_CATEGORY, category=category)
    return category


def _create(state: PlaceState, cmd: c.CreatePlace) -> Events:
    if state.exists:
        raise IntakeError(IntakeCode.PLACE_EXISTS)
    if not cmd.place_id or not cmd.place_id.replace("-", "").replace("_", "").isalnum():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="place_id", reason="letters_digits")
    return (
        e.PlaceCreated(
            at=cmd.at,
            place_id=cmd.place_id,
            name=_text(cmd.name, "name", SHORT_LIMIT),
            lang=cmd.lang,
            categories=_texts(cmd.categories, "category"),
            answer_within_h=_positive(cmd.answer_within_h, "answer_within"),
            deliver_within_d=_positive(cmd.deliver_within_d, "deliver_within"),
        ),
    )


def _update(state: PlaceState, cmd: c.UpdatePlace) -> Events:
    return (
        e.PlaceUpdated(
            at=cmd.at,
            name=state.name if cmd.name is None else _text(cmd.name, "name", SHORT_LIMIT),
            categories=(
                state.categories if cmd.categories is None else _texts(cmd.categories, "category")
            ),
            answer_within_h=_positive(
                cmd.answer_within_h or state.answer_within_h, "answer_within"
            ),
            deliver_within_d=_positive(
                cmd.deliver_within_d or state.deliver_within_d, "deliver_within"
            ),
        ),
    )


def _add_building(state: PlaceState, cmd: c.AddBuilding) -> Events:
    if any(b.code == cmd.code or b.name == cmd.name.strip() for b in state.buildings):
        raise IntakeError(IntakeCode.BUILDING_EXISTS, building=cmd.name)
    if not cmd.code.isalnum():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="code", reason="letters_digits")
    name = _text(cmd.name, "building", SHORT_LIMIT)
    return (e.BuildingAdded(at=cmd.at, code=cmd.code, name=name, units=_texts(cmd.units, "unit")),)


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
            unit=_text(unit, "unit", SHORT_LIMIT, required=False),
            category=_category(state, cmd.category),
            text=_text(cmd.text, "request"),
            contact=_text(cmd.contact, "contact", SHORT_LIMIT, required=False),
            photo=cmd.photo,
            signature=_text(cmd.signature, "name", SHORT_LIMIT, required=False),
        ),
    )


def _support(state: PlaceState, cmd: c.SupportRequest) -> Events:
    _request(state, cmd.number)
    root = state.root(cmd.number)  # supporting a merged duplicate supports what it joined
    if root.status in (RequestStatus.REJECTED,):
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=root.number, status=root.status.value)
    if cmd.device_key in root.supporters:
        raise IntakeError(IntakeCode.ALREADY_SUPPORTED, number=root.number)
    return (e.RequestSupported(at=cmd.at, number=root.number, device_key=cmd.device_key),)


def _accept(state: PlaceState, cmd: c.AcceptRequest) -> Events:
    request = _open(state, cmd.number)
    category = _category(state, cmd.category) or request.category
    return (
        e.RequestAccepted(
            at=cmd.at, number=cmd.number, category=category, urgency=cmd.urgency, by=cmd.by
        ),
    )


def _merge(state: PlaceState, cmd: c.MergeRequest) -> Events:
    if cmd.number == cmd.into:
        raise IntakeError(IntakeCode.MERGE_INTO_SELF)
    _open(state, cmd.number)
    target = _request(state, cmd.into)
    if target.status in (RequestStatus.MERGED, RequestStatus.REJECTED):
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=cmd.into, status=target.status.value)
    return (e.RequestMerged(at=cmd.at, number=cmd.number, into=cmd.into, by=cmd.by),)


def _reject(state: PlaceState, cmd: c.RejectRequest) -> Events:
    _open(state, cmd.number)
    reason = _text(cmd.reason, "reason")
    return (e.RequestRejected(at=cmd.at, number=cmd.number, reason=reason, by=cmd.by),)


def _answer(state: PlaceState, cmd: c.AnswerRequest) -> Events:
    request = _request(state, cmd.number)
    if request.status is RequestStatus.MERGED:
        raise IntakeError(IntakeCode.REQUEST_CLOSED, number=cmd.number, status="merged")
    text = _text(cmd.text, "answer")
    return (e.RequestAnswered(at=cmd.at, number=cmd.number, text=text, by=cmd.by),)


def _fix(state: PlaceState, cmd: c.FixRequest) -> Events:
    request = _open(state, cmd.number)
    if cmd.item_id in state.items or not cmd.item_id:
        raise IntakeError(IntakeCode.DUPLICATE_ITEM, item=cmd.item_id)
    deadline = cmd.deadline or cmd.at.date() + dt.timedelta(days=state.deliver_within_d)
    if deadline < cmd.at.date():
        raise IntakeError(IntakeCode.INVALID_VALUE, field="deadline", reason="past")
    title = _text(cmd.title or request.text, "title")
    owner = _text(cmd.owner, "owner", SHORT_LIMIT)
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
    _open(state, cmd.number)
    note = _text(cmd.note, "answer", required=False)
    return (e.RequestScheduled(at=cmd.at, number=cmd.number, by=cmd.by, note=note),)


def _take(state: PlaceState, cmd: c.TakeRequests) -> Events:
    for number in cmd.numbers:
        request = _request(state, number)
        if request.status is not RequestStatus.SCHEDULED:
            raise IntakeError(IntakeCode.REQUEST_CLOSED, number=number, status=request.status.value)
    if not cmd.numbers:
        return ()
    return (e.RequestsTaken(at=cmd.at, numbers=cmd.numbers, session_id=cmd.session_id),)


def _feedback(state: PlaceState, cmd: c.RecordItemFeedback) -> Events:
    if cmd.item_id not in state.items:
        raise IntakeError(IntakeCode.UNKNOWN_ITEM, item=cmd.item_id)
    text = _text(cmd.text, "feedback", required=cmd.status is None)
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
    c.AddStaff: lambda s, cmd: (e.StaffAdded(at=cmd.at, name=_text(cmd.name, "name", 60)),),
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
