"""Helpers for the intake engine tests: a clock, a place with buildings, and a harness that
checks every command against replay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from facilitator.intake import IntakeCode, IntakeEngine, IntakeError, PlaceState
from facilitator.intake import commands as c
from facilitator.intake.events import IntakeEvent

ACCEPTED: set[type[c.Command]] = set()  # what the tests ran, for test_zz_coverage.py
REFUSED: set[IntakeCode] = set()
T0 = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CATEGORIES = ("路燈照明", "停車收費", "環境衛生", "加裝電梯")


@dataclass
class Place:
    engine: IntakeEngine = field(default_factory=IntakeEngine)
    log: list[IntakeEvent] = field(default_factory=list)
    now: dt.datetime = T0

    @property
    def state(self) -> PlaceState:
        return self.engine.state

    def tick(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta) if delta else dt.timedelta(minutes=1)
        return self.now

    def do(self, cls: type[c.Command], **fields: object) -> tuple[IntakeEvent, ...]:
        """Run a command at the next minute; a refusal leaves the state exactly as it was."""
        command = cls(at=self.tick(), **fields)
        before = self.engine.state
        try:
            events = self.engine.execute(command)
        except IntakeError as error:
            assert self.engine.state is before
            REFUSED.add(error.code)
            raise
        ACCEPTED.add(cls)
        self.log.extend(events)
        assert IntakeEngine.replay(self.log).state == self.engine.state
        return events

    def raise_(self, text: str, device: str = "d1", building: str = "B6", **more: object) -> int:
        events = self.do(c.RaiseRequest, device_key=device, building=building, text=text, **more)
        number: int = getattr(events[0], "number")  # noqa: B009
        return number


def make_place(buildings: int = 6) -> Place:
    place = Place()
    place.do(c.CreatePlace, place_id="heping", name="和平里社區", categories=CATEGORIES)
    for n in range(1, buildings + 1):
        place.do(c.AddBuilding, code=f"B{n}", name=f"{n}號樓", units=("1單元", "2單元"))
    return place
