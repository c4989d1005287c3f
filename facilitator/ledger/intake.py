"""Items fixed directly from a place's intake (限時辦結), as ledger entries and updates.

An intake item is a ledger entry like any session's action item: its ref is
``<place id>/<item id>``, its source the place's intake (碼上議 #n). Its feedback and the residents'
ratings from home become :class:`LedgerUpdate` rows, so the same fold applies the same reopen
policy to both, at once (each rating from home is judged as it arrives).
"""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.intake import PlaceState
from facilitator.intake.values import ItemProgress, RequestStatus
from facilitator.ledger.model import Entry, IssueFact, LedgerUpdate, RequestFact

INTAKE_TITLE = "碼上議"


def intake_entries(place: PlaceState) -> list[Entry]:
    """The place's items as ledger entries (status and history come from the updates)."""
    return [
        Entry(
            ref=item.ref,
            session_id=place.place_id,
            action_id=item.item_id,
            place=place.name,
            session_title=INTAKE_TITLE,
            session_date=item.created_at.date(),
            title=item.title,
            measures="",
            owner=item.owner,
            deadline=item.deadline,
            building=place.building_name(item.building),
            category=item.category,
            issue_id=f"#{item.number}",
            created_at=item.created_at,
        )
        for item in place.items.values()
    ]


def intake_updates(places: Iterable[PlaceState]) -> list[LedgerUpdate]:
    """Staff feedback on intake items and every home rating (of any ledger item), in time order;
    a rater is a phone (``phone:<device key>``), so its latest rating counts."""
    out: list[LedgerUpdate] = []
    for place in places:
        for item in place.items.values():
            for note in item.feedback:
                if note.kind in (ItemProgress.DONE, ItemProgress.IN_PROGRESS):
                    out.append(
                        LedgerUpdate(
                            item.ref, note.at, "status", note.kind, None, note.text, note.by
                        )
                    )
                else:
                    out.append(
                        LedgerUpdate(item.ref, note.at, "feedback", text=note.text, by=note.by)
                    )
        for rating in place.ratings:
            by = f"phone:{rating.device_key}"
            out.append(LedgerUpdate(rating.ref, rating.at, "rating", by=by, stars=rating.stars))
    return sorted(out, key=lambda u: u.at)


_ISSUE_STATUS = {
    RequestStatus.MERGED: "merged",
    RequestStatus.REJECTED: "rejected",
    RequestStatus.ANSWERED: "resolved",  # the resident's question was answered: nothing to do
}


def request_facts(place: PlaceState) -> list[RequestFact]:
    """Every request of the place for the report. One taken into a session is counted as that
    session's issue (its ``issue`` is ``None``), so nothing is counted twice."""
    out = []
    for r in sorted(place.requests.values(), key=lambda r: r.number):
        issue = None
        if r.status is not RequestStatus.TAKEN:
            item = place.items.get(r.item_id) if r.item_id else None
            issue = IssueFact(
                issue_id=f"{place.place_id}#{r.number}",
                building=place.building_name(r.building),
                category=r.category,
                status=_ISSUE_STATUS.get(r.status, "accepted"),
                action_refs=(item.ref,) if item else (),
            )
        out.append(
            RequestFact(
                place.place_id,
                r.number,
                r.raised_at,
                r.first_answer_at,
                place.answer_due(r),
                issue,
                building=place.building_name(r.building),
                category=r.category,
            )
        )
    return out
