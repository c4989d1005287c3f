"""A place's intake as a fold over its events: records, and ``apply`` (state + event -> state)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from immutables import Map

from facilitator.intake import events as e
from facilitator.intake.values import RequestStatus, Urgency


@dataclass(frozen=True, slots=True)
class Building:
    code: str
    name: str
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """One dated line of a request's or an item's history."""

    at: dt.datetime
    kind: str  # a RequestStatus value, "answer", "support", "feedback", ItemProgress value
    text: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True)
class Request:
    number: int
    raised_at: dt.datetime
    device_key: str
    building: str
    unit: str
    category: str
    text: str
    contact: str = ""
    photo: str = ""
    signature: str = ""
    status: RequestStatus = RequestStatus.PENDING
    urgency: Urgency = Urgency.NORMAL
    supporters: tuple[str, ...] = ()  # device keys, the raiser first; merges bring theirs
    merged_into: int | None = None
    absorbed: tuple[int, ...] = ()  # requests merged into this one
    reason: str = ""  # why it was rejected
    item_id: str | None = None
    session_id: str | None = None
    first_answer_at: dt.datetime | None = None  # the first time staff told the resident anything
    history: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    """A ledger item made from a request (限時辦結)."""

    item_id: str
    ref: str
    number: int
    title: str
    owner: str
    deadline: dt.date
    building: str
    category: str
    created_at: dt.datetime
    feedback: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class HomeRating:
    at: dt.datetime
    ref: str
    device_key: str
    stars: int


@dataclass(frozen=True, slots=True)
class PlaceState:
    place_id: str = ""
    name: str = ""
    lang: str = "zh-Hant"
    categories: tuple[str, ...] = ()
    answer_within_h: int = 48
    deliver_within_d: int = 14
    created_at: dt.datetime | None = None
    buildings: tuple[Building, ...] = ()  # in the order they were added
    staff: tuple[str, ...] = ()
    requests: Map[int, Request] = Map()
    items: Map[str, Item] = Map()
    ratings: tuple[HomeRating, ...] = ()

    @property
    def exists(self) -> bool:
        return self.created_at is not None

    def building(self, code: str) -> Building | None:
        return next((b for b in self.buildings if b.code == code), None)

    def building_name(self, code: str) -> str:
        found = self.building(code)
        return found.name if found else code

    def root(self, number: int) -> Request:
        """The request that ``number`` ended up in, following merges."""
        request = self.requests[number]
        while request.merged_into is not None:
            request = self.requests[request.merged_into]
        return request

    def answer_due(self, request: Request) -> dt.datetime:
        return request.raised_at + dt.timedelta(hours=self.answer_within_h)

    def answer_overdue(self, request: Request, now: dt.datetime) -> bool:
        """Answered late, or still unanswered past the place's answer-within."""
        answered = request.first_answer_at
        return (answered or now) > self.answer_due(request)


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
