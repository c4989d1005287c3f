"""What each reader of a place may see, as JSON: a resident (open requests, their own requests),
staff (everything, contacts included) and anyone (the public page: promises and their progress).

A resident never receives another phone's device key or contact; a request is signed with the
name its resident chose to show, or as "a resident of building 3".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.i18n import t
from facilitator.intake import PlaceState, Request, RequestStatus
from facilitator.ledger import Entry, Ledger
from facilitator.ledger.followup import place_matches

JSON = dict[str, Any]
SHOWN_OPEN = (RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED)


def signature(place: PlaceState, request: Request, lang: str | None = None) -> str:
    """The name the resident chose to show, else 「3號樓居民」 (in ``lang``, else the place's)."""
    building = place.building_name(request.building)
    return request.signature or t("intake.resident_of", lang or place.lang, building=building)


def _request(
    place: PlaceState, request: Request, device: str | None, lang: str | None = None
) -> JSON:
    return {
        "number": request.number,
        "text": request.text,
        "category": request.category,
        "building": place.building_name(request.building),
        "unit": request.unit,
        "status": request.status.value,
        "urgency": request.urgency.value,
        "supporters": len(request.supporters),
        "raised_at": request.raised_at.isoformat(),
        "signature": signature(place, request, lang),
        "mine": device is not None and request.device_key == device,
        "supported": device is not None and device in request.supporters,
        "photo": bool(request.photo),
    }


def open_requests(place: PlaceState, device: str | None, lang: str | None = None) -> list[JSON]:
    """Requests residents may see and support: not merged, rejected or closed yet."""
    shown = [r for r in place.requests.values() if r.status in SHOWN_OPEN]
    shown.sort(key=lambda r: (-len(r.supporters), r.number))
    return [_request(place, r, device, lang) for r in shown]


def _item(entry: Entry | None, today: dt.date) -> JSON | None:
    if entry is None:
        return None
    return {
        "ref": entry.ref,
        "title": entry.title,
        "owner": entry.owner,
        "deadline": entry.deadline.isoformat() if entry.deadline else None,
        "status": entry.shown_status(today).value,
    }


def _in_session(ledger: Ledger, ref: str, today: dt.date) -> JSON | None:
    """What the session that took the request made of it: the issue's status and its items."""
    for summary in ledger.sessions:
        for issue in summary.issues:
            if issue.intake_ref == ref:
                items = [_item(ledger.get(r), today) for r in issue.action_refs]
                return {
                    "title": summary.title,
                    "date": summary.date.isoformat(),
                    "status": issue.status,
                    "items": [x for x in items if x is not None],
                }
    return None


def my_requests(
    place: PlaceState,
    device: str,
    ledger: Ledger,
    now: dt.datetime,
    lang: str | None = None,
) -> list[JSON]:
    """The phone's own requests, newest first, with what became of each."""
    mine = [r for r in place.requests.values() if r.device_key == device]
    out = []
    for request in sorted(mine, key=lambda r: -r.number):
        view = _request(place, request, device, lang)
        root = place.root(request.number)
        item = place.items.get(root.item_id) if root.item_id else None
        view.update(
            merged_into=request.merged_into,
            answers=[
                {"at": n.at.isoformat(), "text": n.text}
                for n in root.history
                if n.text and n.kind in ("answer", RequestStatus.SCHEDULED)
            ],
            reason=request.reason,
            item=_item(ledger.get(item.ref) if item else None, now.date()),
            answer_late=request.first_answer_at is None and place.answer_overdue(request, now),
            session_id=root.session_id,
            session=_in_session(ledger, f"{place.place_id}#{root.number}", now.date()),
            history=[{"at": n.at.isoformat(), "kind": str(n.kind)} for n in request.history],
        )
        out.append(view)
    return out


def staff_requests(place: PlaceState, now: dt.datetime) -> list[JSON]:
    """Every request, for screening: contact, photo name, overdue answers, merges."""
    out = []
    for request in sorted(place.requests.values(), key=lambda r: r.number):
        view = _request(place, request, None)
        view.update(
            contact=request.contact,
            photo=request.photo,
            reason=request.reason,
            merged_into=request.merged_into,
            absorbed=list(request.absorbed),
            item_id=request.item_id,
            session_id=request.session_id,
            answer_due=place.answer_due(request).isoformat(),
            answer_overdue=place.answer_overdue(request, now),
            first_answer_at=request.first_answer_at.isoformat()
            if request.first_answer_at
            else None,
        )
        out.append(view)
    return out


def place_entries(place: PlaceState, ledger: Ledger) -> list[Entry]:
    """The ledger items of the place: its intake items and its sessions' action items."""
    return [
        x
        for x in ledger.entries
        if x.session_id == place.place_id  # its own intake items, never another place's
        or (x.session_id not in ledger.intake_ids and place_matches(x.place, place.name))
    ]


def public_item(place: PlaceState, entry: Entry, today: dt.date, device: str | None) -> JSON:
    """One promise on the public page: owner, deadline, status, a dated timeline, ratings."""
    intake = entry.session_id == place.place_id
    timeline: list[JSON] = [{"at": entry.created_at.isoformat(), "kind": "created", "text": ""}]
    timeline += [
        {"at": f.at.isoformat(), "kind": f.status or "feedback", "text": f.text, "by": f.by}
        for f in entry.feedback
    ]
    latest: dict[str, int] = {}
    for rating in entry.ratings:
        latest[rating.rater] = rating.stars
    mine = latest.get(f"ledger:phone:{device}") if device else None
    stars = list(latest.values())
    return {
        "ref": entry.ref,
        "title": entry.title,
        "owner": entry.owner,
        "deadline": entry.deadline.isoformat() if entry.deadline else None,
        "status": entry.shown_status(today).value,
        "overdue": entry.is_overdue(today),
        "source": entry.issue_id if intake else entry.session_title,
        "session_id": None if intake else entry.session_id,
        "date": entry.session_date.isoformat(),
        "building": entry.building,
        "category": entry.category,
        "timeline": timeline,
        "ratings": {"count": len(stars), "average": sum(stars) / len(stars) if stars else None},
        "reopened": entry.reopened,
        "rateable": entry.status.value == "done",
        "my_rating": mine,
    }


def public_place(place: PlaceState, ledger: Ledger, today: dt.date, device: str | None) -> JSON:
    """The 公示 page's content."""
    entries = place_entries(place, ledger)
    sessions = [
        {"session_id": s.session_id, "title": s.title, "date": s.date.isoformat()}
        for s in ledger.sessions
        if s.held and place_matches(s.place, place.name)
    ]
    return {
        "place": {"id": place.place_id, "name": place.name, "lang": place.lang},
        "items": [public_item(place, x, today, device) for x in entries],
        "sessions": sessions,
        "today": today.isoformat(),
    }
