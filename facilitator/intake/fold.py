"""A place's intake as a fold over its events: ``apply`` (state + event -> state)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from facilitator.intake import events as e
from facilitator.intake.state import Building, HomeRating, Item, Note, PlaceState, Request
from facilitator.intake.values import RequestStatus

_STAFF_STATUS: dict[type[e.IntakeEvent], RequestStatus] = {
    e.RequestAccepted: RequestStatus.ACCEPTED,
    e.RequestRejected: RequestStatus.REJECTED,
    e.RequestFixed: RequestStatus.FIXED,
    e.RequestScheduled: RequestStatus.SCHEDULED,
    e.RequestMerged: RequestStatus.MERGED,
}


def _answered(request: Request, at: dt.datetime, note: Note, **changes: object) -> Request:
    return dataclasses.replace(
        request,
        first_answer_at=request.first_answer_at or at,
        history=(*request.history, note),
        **changes,  # type: ignore[arg-type]
    )


def apply(state: PlaceState, ev: e.IntakeEvent) -> PlaceState:
    """The state after ``ev``; events are facts, so this never refuses."""
    match ev:
        case e.PlaceCreated():
            return PlaceState(
                place_id=ev.place_id,
                name=ev.name,
                lang=ev.lang,
                categories=ev.categories,
                answer_within_h=ev.answer_within_h,
                deliver_within_d=ev.deliver_within_d,
                created_at=ev.at,
            )
        case e.PlaceUpdated():
            return dataclasses.replace(
                state,
                name=ev.name,
                categories=ev.categories,
                answer_within_h=ev.answer_within_h,
                deliver_within_d=ev.deliver_within_d,
            )
        case e.BuildingAdded():
            building = Building(ev.code, ev.name, ev.units)
            return dataclasses.replace(state, buildings=(*state.buildings, building))
        case e.StaffAdded():
            return dataclasses.replace(state, staff=(*state.staff, ev.name))
        case e.RequestRaised():
            request = Request(
                number=ev.number,
                raised_at=ev.at,
                device_key=ev.device_key,
                building=ev.building,
                unit=ev.unit,
                category=ev.category,
                text=ev.text,
                contact=ev.contact,
                photo=ev.photo,
                signature=ev.signature,
                supporters=(ev.device_key,),
                history=(Note(ev.at, RequestStatus.PENDING),),
            )
            return _put(state, request)
        case e.RequestSupported():
            request = state.requests[ev.number]
            note = Note(ev.at, "support")
            supporters = (*request.supporters, ev.device_key)
            return _put(
                state,
                dataclasses.replace(
                    request, supporters=supporters, history=(*request.history, note)
                ),
            )
        case e.RequestAnswered():
            request = state.requests[ev.number]
            status = (
                RequestStatus.ANSWERED
                if request.status is RequestStatus.PENDING
                else request.status
            )
            note = Note(ev.at, "answer", ev.text, ev.by)
            return _put(state, _answered(request, ev.at, note, status=status))
        case e.RequestsTaken():
            for number in ev.numbers:
                request = state.requests[number]
                note = Note(ev.at, RequestStatus.TAKEN, ev.session_id)
                state = _put(
                    state,
                    dataclasses.replace(
                        request,
                        status=RequestStatus.TAKEN,
                        session_id=ev.session_id,
                        history=(*request.history, note),
                    ),
                )
            return state
        case e.ItemFeedbackRecorded():
            item = state.items[ev.item_id]
            note = Note(ev.at, ev.status or "feedback", ev.text, ev.by)
            item = dataclasses.replace(item, feedback=(*item.feedback, note))
            return dataclasses.replace(state, items=state.items.set(item.item_id, item))
        case e.ItemRated():
            rating = HomeRating(ev.at, ev.ref, ev.device_key, ev.stars)
            return dataclasses.replace(state, ratings=(*state.ratings, rating))
    return _apply_screening(state, ev)


def _apply_screening(state: PlaceState, ev: e.IntakeEvent) -> PlaceState:
    number: int = getattr(ev, "number")  # noqa: B009 - every screening event has one
    request = state.requests[number]
    status = _STAFF_STATUS[type(ev)]
    changes: dict[str, object] = {"status": status}
    text = ""
    match ev:
        case e.RequestAccepted():
            changes.update(category=ev.category or request.category, urgency=ev.urgency)
        case e.RequestRejected():
            changes["reason"] = text = ev.reason
        case e.RequestMerged():
            changes["merged_into"] = ev.into
            text = f"#{ev.into}"
            target = state.requests[ev.into]
            joined = tuple(k for k in request.supporters if k not in target.supporters)
            target = dataclasses.replace(
                target,
                supporters=(*target.supporters, *joined),
                absorbed=(*target.absorbed, number, *request.absorbed),
            )
            state = _put(state, target)
        case e.RequestScheduled():
            text = ev.note
        case e.RequestFixed():
            changes["item_id"] = ev.item_id
            text = f"{ev.owner} {ev.deadline.isoformat()}"
            item = Item(
                item_id=ev.item_id,
                ref=f"{state.place_id}/{ev.item_id}",
                number=number,
                title=ev.title,
                owner=ev.owner,
                deadline=ev.deadline,
                building=request.building,
                category=request.category,
                created_at=ev.at,
            )
            state = dataclasses.replace(state, items=state.items.set(ev.item_id, item))
    by: str = getattr(ev, "by", "")
    note = Note(ev.at, status, text, by)
    return _put(state, _answered(request, ev.at, note, **changes))


def _put(state: PlaceState, request: Request) -> PlaceState:
    return dataclasses.replace(state, requests=state.requests.set(request.number, request))
