"""The place hub and its log: durable before answered, replayed on start, request ids idempotent,
refusals write nothing; intake items join the ledger with home ratings judged at once."""

from __future__ import annotations

import datetime as dt

import pytest

from facilitator.intake import IntakeCode, IntakeError, ItemProgress, RequestStatus
from facilitator.intake import commands as c
from facilitator.intake.events import PlaceCreated, StaffAdded
from facilitator.ledger import Status
from facilitator.place_hub import PlaceHub
from facilitator.store import (
    CorruptEvent,
    Database,
    DuplicateSession,
    UnknownSession,
    open_event_store,
    open_place_log,
)
from tests.pg_fixtures import raw_sql

T0 = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def open_place(db: Database, clock: Clock | None = None) -> PlaceHub:
    hub = PlaceHub.open(db, clock=clock or Clock())
    if "heping" not in hub.place_ids():
        hub.execute("heping", c.CreatePlace(at=T0, place_id="heping", name="和平里"))
        hub.execute("heping", c.AddBuilding(at=T0, code="B6", name="6號樓"))
    return hub


def raise_(text: str, device: str = "d1") -> c.RaiseRequest:
    return c.RaiseRequest(at=T0, device_key=device, building="B6", text=text)


async def test_dispatch_stores_then_answers_and_replays(db: Database) -> None:
    hub = open_place(db)
    done = await hub.dispatch("heping", raise_("路燈不亮"), actor="d1", request_id="r-1")
    assert done.seq == 3 and not done.replayed
    again = await hub.dispatch("heping", raise_("路燈不亮"), actor="d1", request_id="r-1")
    assert again.replayed and len(again.state.requests) == 1
    live = hub.state("heping")
    hub.close()
    reopened = open_place(db)
    assert reopened.state("heping") == live
    retry = reopened.execute("heping", raise_("路燈不亮"), actor="d1", request_id="r-1")
    assert retry.replayed and len(retry.state.requests) == 1
    other = reopened.execute("heping", raise_("路燈不亮"), actor="d2", request_id="r-1")
    assert not other.replayed and len(other.state.requests) == 2
    reopened.close()


def test_a_refusal_writes_nothing(db: Database) -> None:
    hub = open_place(db)
    with pytest.raises(IntakeError) as caught:
        hub.execute("heping", c.SupportRequest(at=T0, number=4, device_key="x"))
    assert caught.value.code is IntakeCode.UNKNOWN_REQUEST
    assert len(hub.log.load("heping")) == 2
    hub.close()


def test_the_log_refuses_streams_without_a_place_and_second_places(db: Database) -> None:
    with open_place_log(db) as log:
        with pytest.raises(UnknownSession):
            log.append("p", [StaffAdded(at=T0, name="x")])
        created = PlaceCreated(
            at=T0, place_id="p", name="x", lang="en", categories=(), answer_within_h=1,
            deliver_within_d=1,
        )  # fmt: skip
        log.append("p", [created])
        with pytest.raises(DuplicateSession):
            log.append("p", [created])
        raw_sql(db, "UPDATE place_events SET payload = '{' WHERE seq = 1")
        with pytest.raises(CorruptEvent):
            log.load("p")


def test_intake_items_join_the_ledger_and_home_ratings_reopen_at_once(db: Database) -> None:
    store = open_event_store(db)
    hub = open_place(db)
    hub.execute("heping", raise_("路燈不亮"))
    hub.execute("heping", c.FixRequest(at=T0, number=1, item_id="r1", owner="物業公司"))
    hub.execute("heping", c.RecordItemFeedback(at=T0, item_id="r1", text="已換",
                                                 status=ItemProgress.DONE))  # fmt: skip
    entry = hub.ledger(store).get("heping/r1")
    assert entry is not None and entry.status is Status.DONE and entry.issue_id == "#1"
    for n, stars in enumerate((2, 1, 5, 2)):  # d3 changes its mind: the latest counts
        device = f"d{min(n, 2)}"
        hub.execute("heping", c.RateItem(at=T0, ref="heping/r1", device_key=device, stars=stars))
    entry = hub.ledger(store).get("heping/r1")
    assert entry is not None and entry.status is Status.IN_PROGRESS and entry.reopened == 1
    assert hub.state("heping").requests[1].status is RequestStatus.FIXED
    hub.close()
    store.close()


async def test_two_hubs_on_one_file_never_give_one_number_twice(db: Database) -> None:
    """The CLI, a standing server and the console may each hold a hub of the same database."""
    first, second = open_place(db), PlaceHub.open(db)
    assert second.state("heping").name == "和平里"
    first.execute("heping", raise_("a"))
    second.execute("heping", raise_("b"))  # decided after catching up with the first's write
    done = await first.dispatch("heping", raise_("c"), actor="d9", request_id="x")
    assert [r.text for r in done.state.requests.values()] == ["a", "b", "c"]
    second.state("heping")
    assert second.execute("heping", raise_("c"), actor="d9", request_id="x").replayed
    assert sorted(second.state("heping").requests) == [1, 2, 3]
    first.close()
    second.close()


async def test_a_read_during_a_write_does_not_apply_it_twice(db: Database) -> None:
    import asyncio

    hub = open_place(db)
    writes = asyncio.gather(
        *(hub.dispatch("heping", raise_(f"r{n}"), actor=f"d{n}") for n in range(5))
    )
    while not writes.done():  # read all the time the writes are on the I/O thread
        hub.state("heping")
        await asyncio.sleep(0)
    await writes
    assert sorted(hub.state("heping").requests) == [1, 2, 3, 4, 5]
    hub.close()
