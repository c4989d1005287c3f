"""Into the evening: the requests a place scheduled (排入下次議事) become issues of the session
being created, with their source (碼上議 #n) and their supporters' device keys, and are marked as
taken by that session in the place's stream.

``cli`` calls it when it creates a
session for an agenda whose place is one of the intake's places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from facilitator.intake import PlaceState, RequestStatus
from facilitator.intake import commands as ic
from facilitator.ledger.followup import place_matches
from facilitator.place_hub.hub import PlaceHub
from facilitator.session.checks import ISSUE_MAX
from facilitator.session.commands import IntakeIssueSpec


def place_for(hub: PlaceHub, wanted: str) -> PlaceState | None:
    """The place an agenda's ``place`` text (or ``--place``) means: its id, or a place whose
    name it contains (``和平里社區廣場`` → 和平里社區)."""
    if not wanted.strip():
        return None
    states = [hub.state(p) for p in hub.place_ids()]
    for state in states:
        if state.place_id == wanted.strip():
            return state
    return next((s for s in states if place_matches(wanted, s.name)), None)


def _short(text: str) -> str:
    return text if len(text) <= ISSUE_MAX else text[: ISSUE_MAX - 1] + "…"


def scheduled_issues(
    place: PlaceState, new_id: Callable[[str], str]
) -> tuple[IntakeIssueSpec, ...]:
    """The place's scheduled requests as the issues a session starts with, most supported first."""
    scheduled = [r for r in place.requests.values() if r.status is RequestStatus.SCHEDULED]
    scheduled.sort(key=lambda r: (-len(r.supporters), r.number))
    return tuple(
        IntakeIssueSpec(
            issue_id=new_id("i-"),
            ref=f"{place.place_id}#{r.number}",
            text=_short(r.text),
            building=place.building_name(r.building),
            category=r.category,
            signature=r.signature,
            supporters=r.supporters,
            raised_at=r.raised_at,
        )
        for r in scheduled
    )


def take(hub: PlaceHub, place: PlaceState, specs: tuple[IntakeIssueSpec, ...], session_id: str,
         at: dt.datetime) -> None:  # fmt: skip
    """Mark the requests behind ``specs`` as taken by ``session_id`` (written to the log)."""
    numbers = tuple(int(spec.ref.rsplit("#", 1)[1]) for spec in specs)
    if numbers:
        hub.execute(place.place_id, ic.TakeRequests(at=at, numbers=numbers, session_id=session_id))
