"""Agenda items: add, start, pause, resume, advance, skip, defer, extend; elapsed time."""

from __future__ import annotations

from collections.abc import Callable

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode
from facilitator.session.values import ItemStatus
from tests.session.session_kit import Harness

E = ErrorCode


def test_add_item_at_the_end_or_after_another(h: Harness) -> None:
    event = h.one(c.AddAgendaItem, item_id="x1", title=" 臨時動議 ", time_box_s=300)
    assert event == e.AgendaItemAdded(
        at=h.now,
        item_id="x1",
        title="臨時動議",
        time_box_s=300,
        description="",
        options=(),
        after_item_id=None,
    )
    h.run(c.AddAgendaItem, item_id="x2", title="路線", options=("東牆", "西牆"), after_item_id="a1")
    state = h.state
    assert state.item_order == ("a1", "x2", "a2", "a3", "x1")
    assert state.items["x2"].options == ("東牆", "西牆")
    assert state.items["x2"].number == 5


def test_add_item_refusals(h: Harness) -> None:
    h.reject(E.DUPLICATE_ID, c.AddAgendaItem, item_id="a1", title="t")
    h.reject(E.UNKNOWN_ITEM, c.AddAgendaItem, item_id="x", title="t", after_item_id="zz")
    h.reject(E.INVALID_VALUE, c.AddAgendaItem, item_id="x", title="t", options=("一個",))
    h.reject(E.INVALID_VALUE, c.AddAgendaItem, item_id="x", title="t", options=("a", " a "))
    many = tuple(str(n) for n in range(21))
    h.reject(E.INVALID_VALUE, c.AddAgendaItem, item_id="x", title="t", options=many)
    h.reject(E.TEXT_EMPTY, c.AddAgendaItem, item_id="x", title="t", options=("a", ""))
    h.reject(E.TEXT_EMPTY, c.AddAgendaItem, item_id="x", title="")
    h.reject(E.INVALID_VALUE, c.AddAgendaItem, item_id="x", title="t", time_box_s=8 * 3600 + 1)
    h.reject(E.INVALID_VALUE, c.AddAgendaItem, item_id="x", title="t", time_box_s=True)
    h.reject(E.TEXT_TOO_LONG, c.AddAgendaItem, item_id="x", title="t", description="d" * 1001)


def test_start_item(h: Harness) -> None:
    assert h.run(c.StartItem, item_id="a2") == (e.ItemStarted(at=h.now, item_id="a2"),)
    state = h.state
    assert state.current_item_id == "a2"
    assert state.items["a2"].status is ItemStatus.ACTIVE
    assert state.items["a2"].first_started_at == h.now
    h.reject(E.ITEM_NOT_PENDING, c.StartItem, item_id="a2")
    h.reject(E.UNKNOWN_ITEM, c.StartItem, item_id="zz")
    # Starting another item finishes the current one.
    h.advance(minutes=4)
    assert h.run(c.StartItem, item_id="a1") == (
        e.ItemCompleted(at=h.now, item_id="a2"),
        e.ItemStarted(at=h.now, item_id="a1"),
    )
    assert h.state.items["a2"].status is ItemStatus.DONE
    assert h.state.items["a2"].elapsed_s(h.now) == 240.0


def test_pause_and_resume(live: Harness) -> None:
    live.reject(E.ITEM_NOT_PAUSED, c.ResumeItem)
    assert live.run(c.PauseItem) == (e.ItemPaused(at=live.now, item_id="a1"),)
    assert live.state.items["a1"].status is ItemStatus.PAUSED
    live.reject(E.ITEM_NOT_ACTIVE, c.PauseItem)
    assert live.run(c.ResumeItem) == (e.ItemResumed(at=live.now, item_id="a1"),)
    resumed = live.state.items["a1"]
    assert resumed.status is ItemStatus.ACTIVE


def test_pause_and_resume_need_a_current_item(h: Harness) -> None:
    h.reject(E.NO_CURRENT_ITEM, c.PauseItem)
    h.reject(E.NO_CURRENT_ITEM, c.ResumeItem)


def test_elapsed_time_counts_only_running_stretches(live: Harness) -> None:
    live.advance(minutes=3)
    live.run(c.PauseItem)
    item = live.state.items["a1"]
    assert item.elapsed_before_s == 180.0
    assert item.started_at is None
    live.advance(minutes=10)  # paused: does not count
    assert live.state.items["a1"].elapsed_s(live.now) == 180.0
    live.run(c.ResumeItem)
    live.advance(minutes=2, seconds=30)
    assert live.state.items["a1"].elapsed_s(live.now) == 330.0
    live.run(c.PauseItem)
    live.advance(minutes=1)
    live.run(c.ResumeItem)
    live.advance(seconds=15)
    live.run(c.AdvanceAgenda)
    done = live.state.items["a1"]
    assert done.status is ItemStatus.DONE
    assert done.elapsed_s(live.now) == 345.0
    live.advance(minutes=60)
    assert done.elapsed_s(live.now) == 345.0  # finished: the clock stopped
    assert done.ended_at is not None and done.first_started_at is not None
    assert (done.ended_at - done.first_started_at).total_seconds() == 16 * 60 + 45  # wall clock


def test_a_paused_item_finished_keeps_its_banked_time(live: Harness) -> None:
    live.advance(minutes=2)
    live.run(c.PauseItem)
    live.advance(minutes=5)
    live.run(c.StartItem, item_id="a2")
    assert live.state.items["a1"].elapsed_s(live.now) == 120.0
    assert live.state.items["a1"].status is ItemStatus.DONE


def test_advance_walks_the_agenda(h: Harness) -> None:
    assert h.run(c.AdvanceAgenda) == (e.ItemStarted(at=h.now, item_id="a1"),)
    assert h.run(c.AdvanceAgenda) == (
        e.ItemCompleted(at=h.now, item_id="a1"),
        e.ItemStarted(at=h.now, item_id="a2"),
    )
    h.run(c.SkipItem, item_id="a3")
    assert h.run(c.AdvanceAgenda) == (e.ItemCompleted(at=h.now, item_id="a2"),)
    assert h.state.current_item_id is None
    h.reject(E.NO_NEXT_ITEM, c.AdvanceAgenda)


def test_advance_wraps_to_an_earlier_pending_item(h: Harness) -> None:
    h.run(c.StartItem, item_id="a2")
    h.run(c.AdvanceAgenda)
    assert h.state.current_item_id == "a3"
    h.run(c.AdvanceAgenda)
    assert h.state.current_item_id == "a1"  # the one that was passed over


def test_skip_and_defer(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    live.run(c.GrantFloor)
    live.advance(seconds=45)
    assert live.run(c.SkipItem, item_id="a1") == (
        e.SpeakingEnded(at=live.now, entry_id="q1", duration_s=45.0),
        e.ItemSkipped(at=live.now, item_id="a1"),
    )
    assert live.state.current_item_id is None
    assert live.state.speaker is None
    assert live.state.items["a1"].status is ItemStatus.SKIPPED
    assert live.run(c.DeferItem, item_id="a3") == (e.ItemDeferred(at=live.now, item_id="a3"),)
    assert live.state.items["a3"].status is ItemStatus.DEFERRED
    for cls in (c.SkipItem, c.DeferItem):
        live.reject(E.ITEM_NOT_PENDING, cls, item_id="a1")
        live.reject(E.ITEM_NOT_PENDING, cls, item_id="a3")
        live.reject(E.UNKNOWN_ITEM, cls, item_id="zz")


def test_defer_the_current_item(live: Harness) -> None:
    live.advance(minutes=1)
    assert live.run(c.DeferItem, item_id="a1") == (e.ItemDeferred(at=live.now, item_id="a1"),)
    assert live.state.current_item_id is None
    assert live.state.items["a1"].elapsed_s(live.now) == 60.0


def test_skipping_before_the_meeting_is_allowed(make: Callable[..., Harness]) -> None:
    h = make(opened=False)
    h.run(c.SkipItem, item_id="a2")
    assert h.state.items["a2"].status is ItemStatus.SKIPPED


def test_extend(live: Harness) -> None:
    assert live.run(c.ExtendItem, item_id="a1", seconds=300) == (
        e.ItemExtended(at=live.now, item_id="a1", seconds=300),
    )
    assert live.state.items["a1"].time_box_s == 900
    live.run(c.ExtendItem, item_id="a1", seconds=-600)  # shortening is an extension by < 0
    assert live.state.items["a1"].time_box_s == 300
    live.reject(E.INVALID_VALUE, c.ExtendItem, item_id="a1", seconds=0)
    live.reject(E.INVALID_VALUE, c.ExtendItem, item_id="a1", seconds=-300)
    live.reject(E.INVALID_VALUE, c.ExtendItem, item_id="a1", seconds=8 * 3600)
    live.reject(E.UNKNOWN_ITEM, c.ExtendItem, item_id="zz", seconds=60)
    live.run(c.AddAgendaItem, item_id="x1", title="無時限")
    live.run(c.ExtendItem, item_id="x1", seconds=120)
    assert live.state.items["x1"].time_box_s == 120
    live.run(c.AdvanceAgenda)
    live.reject(E.ITEM_NOT_PENDING, c.ExtendItem, item_id="a1", seconds=60)
