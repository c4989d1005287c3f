"""What a sync sends: the difference between a laptop's database and the district's, per session,
per place and for the ledger-only updates, decided from what the stores return (never their rows,
so it holds for any backend).

* A **session** is one stream numbered 1, 2, 3 … Its district copy may be extended only when it is
  a prefix of the laptop's (the same events at the same seq: type and payload). When both have
  events past a common prefix the session has **diverged**: nothing of it is sent, and
  :class:`Divergence` says where and what each side has there.
* A **place**'s intake stream also takes requests at the district while the laptop is away, so
  both may grow past their common prefix. A laptop event is already there when the district's
  stream has it (the same request id, or the same event); the others are sent after the
  district's, unless they would clash with what the district has (a request number or an item id
  used on both sides, a place created separately): then the place is refused, nothing sent.
* **Ledger updates** have no sequence: an update is identified by all of its fields, and each one
  the district lacks is sent once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from facilitator.intake import IntakeEngine
from facilitator.intake.events import PlaceCreated, RequestFixed, RequestRaised
from facilitator.ledger import LedgerUpdate
from facilitator.store.place_log import StoredIntakeEvent
from facilitator.store.schema import StoredEvent


@dataclasses.dataclass(frozen=True, slots=True)
class Divergence:
    """Where a session's two copies part: the first differing seq and the event type each side
    has there ("" when that side has none)."""

    seq: int
    laptop: str
    district: str
    laptop_count: int
    district_count: int
    laptop_at: dt.datetime | None = None  # when each side's event there happened
    district_at: dt.datetime | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class SessionPlan:
    """One session: how many of its events the district has and the ones to send."""

    session_id: str
    present: int
    send: tuple[StoredEvent, ...]
    divergence: Divergence | None = None


def _shared_prefix(
    laptop: Sequence[StoredEvent | StoredIntakeEvent],
    district: Sequence[StoredEvent | StoredIntakeEvent],
) -> int:
    """How many entries both copies of a stream begin with (same seq, same event)."""
    same = 0
    for mine, theirs in zip(laptop, district, strict=False):
        if (mine.seq, mine.event) != (theirs.seq, theirs.event):
            break
        same += 1
    return same


def _name(event: object) -> str:
    return type(event).__name__


def plan_session(
    session_id: str, laptop: Sequence[StoredEvent], district: Sequence[StoredEvent]
) -> SessionPlan:
    """What to send of a session, given both copies of its stream in seq order."""
    same = _shared_prefix(laptop, district)
    if same < len(laptop) and same < len(district):
        divergence = Divergence(
            seq=same + 1,
            laptop=_name(laptop[same].event),
            district=_name(district[same].event),
            laptop_count=len(laptop),
            district_count=len(district),
            laptop_at=laptop[same].event.at,
            district_at=district[same].event.at,
        )
        return SessionPlan(session_id, len(district), (), divergence)
    return SessionPlan(session_id, len(district), tuple(laptop[len(district) :]))


@dataclasses.dataclass(frozen=True, slots=True)
class PlaceConflict:
    """Why a place's new events cannot follow the district's: ``kind`` is ``created`` (the place
    was created separately on both sides), ``number`` (a request number raised on both, with
    each side's text) or ``item`` (an item id fixed on both)."""

    kind: str
    number: int = 0
    item: str = ""
    laptop: str = ""
    district: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class PlacePlan:
    """One place: the laptop's events the district already has, and the ones to send."""

    place_id: str
    name: str
    present: int
    send: tuple[StoredIntakeEvent, ...]
    conflict: PlaceConflict | None = None


def _conflict(
    district: Sequence[StoredIntakeEvent], send: Sequence[StoredIntakeEvent]
) -> PlaceConflict | None:
    raised = {s.event.number: s.event for s in district if isinstance(s.event, RequestRaised)}
    items = {s.event.item_id for s in district if isinstance(s.event, RequestFixed)}
    for stored in send:
        event = stored.event
        if isinstance(event, PlaceCreated) and district:
            return PlaceConflict("created")
        if isinstance(event, RequestRaised) and event.number in raised:
            theirs = raised[event.number].text
            return PlaceConflict("number", event.number, laptop=event.text, district=theirs)
        if isinstance(event, RequestFixed) and event.item_id in items:
            return PlaceConflict("item", event.number, item=event.item_id)
    return None


def plan_place(
    place_id: str, laptop: Sequence[StoredIntakeEvent], district: Sequence[StoredIntakeEvent]
) -> PlacePlan:
    """What to send of a place's intake, given both streams in seq order."""
    same = _shared_prefix(laptop, district)
    tail = district[same:]
    request_ids = {s.request_id for s in tail if s.request_id is not None}
    events = [s.event for s in tail]
    send = tuple(
        s
        for s in laptop[same:]
        if not (s.request_id is not None and s.request_id in request_ids) and s.event not in events
    )
    name = IntakeEngine.replay(s.event for s in laptop).state.name if laptop else place_id
    present = len(laptop) - len(send)
    conflict = _conflict(district, send) if tail and send else None
    if conflict is None and tail and send:
        try:  # the district's stream and the laptop's new events must fold together
            IntakeEngine.replay([*(s.event for s in district), *(s.event for s in send)])
        except (KeyError, ValueError, TypeError) as error:
            conflict = PlaceConflict("fold", laptop=str(error))
    if conflict is not None:
        return PlacePlan(place_id, name, present, (), conflict)
    return PlacePlan(place_id, name, present, send)


def plan_ledger(
    laptop: Sequence[LedgerUpdate], district: Sequence[LedgerUpdate]
) -> tuple[int, tuple[LedgerUpdate, ...]]:
    """(how many of the laptop's updates the district has, the ones to send in laptop order).

    Counted as a multiset: two identical updates on the laptop need two at the district.
    """
    there = Counter(district)
    send: list[LedgerUpdate] = []
    for update in laptop:
        if there[update] > 0:
            there[update] -= 1
        else:
            send.append(update)
    return len(laptop) - len(send), tuple(send)
