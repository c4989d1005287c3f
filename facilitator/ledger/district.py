"""The district report (``facilitator report --district``): the same figures as a place's own
report, for every place of one database, side by side, with the district's total, its categories
and every place's buildings.

Nothing is counted a second way: the ledger is split by place and each part goes through
:func:`compute_report`, the fold behind ``facilitator report``, so a place's row is exactly what
its own report says; the total is :func:`compute_report` of the whole ledger. A session belongs to
the place whose id its ``place`` is, or whose name it contains (``和平里社區廣場`` → 和平里社區);
a session matching no place of the database is a place of its own, under its ``place`` text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from facilitator.ledger.followup import place_matches
from facilitator.ledger.model import Ledger
from facilitator.ledger.stats import Figures, Report, compute_report


@dataclasses.dataclass(frozen=True, slots=True)
class PlaceName:
    """A place of the database: its id and name (an intake place), or only the ``place`` text
    of sessions that match none (``place_id`` empty)."""

    place_id: str
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class PlaceReport:
    place: PlaceName
    report: Report


@dataclasses.dataclass(frozen=True, slots=True)
class DistrictReport:
    total: Report
    places: tuple[PlaceReport, ...]
    by_building: tuple[tuple[PlaceName, str, Figures], ...]  # every place's buildings, in order

    @property
    def by_category(self) -> tuple[tuple[str, Figures], ...]:
        """Categories are shared words (路燈照明), so they are counted across the district."""
        return self.total.by_category


def place_of(session_place: str, places: Sequence[PlaceName]) -> PlaceName:
    """The place a session's ``place`` text means."""
    wanted = session_place.strip()
    for place in places:
        if place.place_id and place.place_id == wanted:
            return place
    for place in places:
        if place.place_id and place_matches(wanted, place.name):
            return place
    return PlaceName("", wanted)


def split_by_place(ledger: Ledger, places: Sequence[PlaceName]) -> list[tuple[PlaceName, Ledger]]:
    """The ledger of each place: its sessions with their items, its requests and intake items.
    Places in the database's order, then the sessions' other places by first appearance."""
    owner = {s.session_id: place_of(s.place, places) for s in ledger.sessions}
    owner |= {p.place_id: p for p in places if p.place_id in ledger.intake_ids}
    order = [*places, *(p for p in owner.values() if p not in places)]
    parts = []
    for place in dict.fromkeys(order):
        sessions = tuple(s for s in ledger.sessions if owner[s.session_id] == place)
        entries = tuple(x for x in ledger.entries if owner.get(x.session_id) == place)
        requests = tuple(f for f in ledger.requests if f.place_id == place.place_id)
        intake = (place.place_id,) if place.place_id in ledger.intake_ids else ()
        part = Ledger(entries, sessions, ledger.policy, requests, intake)
        parts.append((place, part))
    return parts


def compute_district(
    ledger: Ledger,
    places: Sequence[PlaceName],
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> DistrictReport:
    """Every place's report and the district's, over ``since``..``until`` as of ``today``."""
    reports = tuple(
        PlaceReport(place, compute_report(part, today, since, until))
        for place, part in split_by_place(ledger, places)
    )
    buildings = tuple(
        (row.place, name, figures) for row in reports for name, figures in row.report.by_building
    )
    return DistrictReport(compute_report(ledger, today, since, until), reports, buildings)
