"""The intake engine, command by command: what each does and every way it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from facilitator.intake import IntakeCode, IntakeError, ItemProgress, RequestStatus, Urgency
from facilitator.intake import commands as c
from facilitator.intake.events import INTAKE_EVENT_TYPES
from tests.intake.intake_kit import Place, make_place


def refused(place: Place, want: IntakeCode, cls: type[c.Command], **fields: object) -> None:
    with pytest.raises(IntakeError) as caught:
        place.do(cls, **fields)
    assert caught.value.code is want


def test_a_place_is_created_once_with_its_settings() -> None:
    place = make_place()
    assert place.state.name == "和平里社區"
    assert [b.name for b in place.state.buildings][:2] == ["1號樓", "2號樓"]
    refused(place, IntakeCode.PLACE_EXISTS, c.CreatePlace, place_id="heping", name="x")
    place.do(c.UpdatePlace, answer_within_h=24, categories=("路燈照明",))
    assert place.state.answer_within_h == 24 and place.state.deliver_within_d == 14
    assert place.state.categories == ("路燈照明",)
    place.do(c.AddStaff, name="小李")
    assert place.state.staff == ("小李",)


def test_nothing_happens_before_the_place_exists() -> None:
    refused(Place(), IntakeCode.NO_PLACE, c.AddStaff, name="小李")
    refused(Place(), IntakeCode.INVALID_VALUE, c.CreatePlace, place_id="a b", name="x")
    refused(Place(), IntakeCode.TEXT_EMPTY, c.CreatePlace, place_id="ab", name=" ")
    refused(Place(), IntakeCode.INVALID_VALUE, c.CreatePlace, place_id="ab", name="x",
            answer_within_h=0)  # fmt: skip


def test_buildings_are_unique_and_their_codes_plain() -> None:
    place = make_place(2)
    refused(place, IntakeCode.BUILDING_EXISTS, c.AddBuilding, code="B1", name="9號樓")
    refused(place, IntakeCode.BUILDING_EXISTS, c.AddBuilding, code="Z9", name="1號樓")
    refused(place, IntakeCode.INVALID_VALUE, c.AddBuilding, code="../x", name="9號樓")


def test_raise_numbers_requests_and_checks_what_it_is_given() -> None:
    place = make_place()
    first = place.raise_("6號樓旁路燈又不亮了", unit="1單元", category="路燈照明")
    second = place.raise_("停車費太貴", device="d2", building="B3")
    assert (first, second) == (1, 2)
    request = place.state.requests[1]
    assert request.status is RequestStatus.PENDING and request.supporters == ("d1",)
    assert request.unit == "1單元" and request.category == "路燈照明"
    refused(place, IntakeCode.UNKNOWN_BUILDING, c.RaiseRequest, device_key="d", building="Q",
            text="x")  # fmt: skip
    refused(place, IntakeCode.UNKNOWN_UNIT, c.RaiseRequest, device_key="d", building="B1",
            unit="9單元", text="x")  # fmt: skip
    refused(place, IntakeCode.UNKNOWN_CATEGORY, c.RaiseRequest, device_key="d", building="B1",
            category="宇宙", text="x")  # fmt: skip
    refused(place, IntakeCode.TEXT_EMPTY, c.RaiseRequest, device_key="d", building="B1", text="  ")
    refused(place, IntakeCode.TEXT_TOO_LONG, c.RaiseRequest, device_key="d", building="B1",
            text="長" * 1001)  # fmt: skip


def test_support_is_one_per_phone_and_follows_merges() -> None:
    place = make_place()
    place.raise_("路燈壞了")
    place.do(c.SupportRequest, number=1, device_key="d2")
    refused(place, IntakeCode.ALREADY_SUPPORTED, c.SupportRequest, number=1, device_key="d2")
    refused(place, IntakeCode.ALREADY_SUPPORTED, c.SupportRequest, number=1, device_key="d1")
    refused(place, IntakeCode.UNKNOWN_REQUEST, c.SupportRequest, number=9, device_key="d3")
    place.raise_("路燈又壞", device="d3")
    place.do(c.MergeRequest, number=2, into=1)
    events = place.do(c.SupportRequest, number=2, device_key="d4")
    assert getattr(events[0], "number") == 1  # noqa: B009
    refused(place, IntakeCode.ALREADY_SUPPORTED, c.SupportRequest, number=2, device_key="d3")


def test_accept_sets_category_and_urgency() -> None:
    place = make_place()
    place.raise_("路燈壞了", category="環境衛生")
    place.do(c.AcceptRequest, number=1, category="路燈照明", urgency=Urgency.URGENT, by="小李")
    request = place.state.requests[1]
    assert request.status is RequestStatus.ACCEPTED and request.urgency is Urgency.URGENT
    assert request.category == "路燈照明" and request.first_answer_at is not None
    refused(place, IntakeCode.UNKNOWN_CATEGORY, c.AcceptRequest, number=1, category="宇宙")
    refused(place, IntakeCode.UNKNOWN_REQUEST, c.AcceptRequest, number=7)


def test_merge_unites_supporters_without_counting_anyone_twice() -> None:
    place = make_place()
    place.raise_("路燈壞了", device="a")
    place.do(c.SupportRequest, number=1, device_key="b")
    place.raise_("路燈不亮", device="b")
    place.do(c.SupportRequest, number=2, device_key="c")
    place.do(c.MergeRequest, number=2, into=1, by="小李")
    target = place.state.requests[1]
    assert target.supporters == ("a", "b", "c") and target.absorbed == (2,)
    assert place.state.requests[2].status is RequestStatus.MERGED
    assert place.state.root(2).number == 1
    refused(place, IntakeCode.MERGE_INTO_SELF, c.MergeRequest, number=1, into=1)
    refused(place, IntakeCode.REQUEST_CLOSED, c.MergeRequest, number=2, into=1)
    place.raise_("x", device="z")
    refused(place, IntakeCode.REQUEST_CLOSED, c.MergeRequest, number=3, into=2)
    refused(place, IntakeCode.UNKNOWN_REQUEST, c.MergeRequest, number=3, into=8)


def test_reject_needs_a_reason_the_resident_will_read() -> None:
    place = make_place()
    place.raise_("停車費")
    refused(place, IntakeCode.TEXT_EMPTY, c.RejectRequest, number=1, reason="")
    place.do(c.RejectRequest, number=1, reason="屬下期廣場夜話主題，已排入議程")
    request = place.state.requests[1]
    assert request.status is RequestStatus.REJECTED and request.reason.startswith("屬下期")
    refused(place, IntakeCode.REQUEST_CLOSED, c.AcceptRequest, number=1)
    refused(place, IntakeCode.REQUEST_CLOSED, c.SupportRequest, number=1, device_key="q")


def test_answer_keeps_every_answer_and_counts_as_the_first_answer() -> None:
    place = make_place()
    place.raise_("垃圾桶太少")
    place.do(c.AnswerRequest, number=1, text="下週加兩個", by="小李")
    place.do(c.AnswerRequest, number=1, text="已加", by="小李")
    request = place.state.requests[1]
    assert request.status is RequestStatus.ANSWERED
    assert [n.text for n in request.history if n.kind == "answer"] == ["下週加兩個", "已加"]
    refused(place, IntakeCode.TEXT_EMPTY, c.AnswerRequest, number=1, text=" ")
    place.raise_("x")
    place.do(c.MergeRequest, number=2, into=1)
    refused(place, IntakeCode.REQUEST_CLOSED, c.AnswerRequest, number=2, text="y")


def test_fix_makes_a_ledger_item_with_owner_and_deadline() -> None:
    place = make_place()
    place.raise_("6號樓旁路燈又不亮了")
    place.do(c.FixRequest, number=1, item_id="r1", owner="物業公司", deadline=dt.date(2026, 3, 6))
    item = place.state.items["r1"]
    assert (item.ref, item.owner, item.title) == ("heping/r1", "物業公司", "6號樓旁路燈又不亮了")
    assert place.state.requests[1].status is RequestStatus.FIXED
    refused(place, IntakeCode.REQUEST_CLOSED, c.FixRequest, number=1, item_id="r9", owner="x")
    place.raise_("y")
    refused(place, IntakeCode.DUPLICATE_ITEM, c.FixRequest, number=2, item_id="r1", owner="x")
    refused(place, IntakeCode.TEXT_EMPTY, c.FixRequest, number=2, item_id="r2", owner="")
    refused(place, IntakeCode.INVALID_VALUE, c.FixRequest, number=2, item_id="r2", owner="x",
            deadline=dt.date(2020, 1, 1))  # fmt: skip
    place.do(c.FixRequest, number=2, item_id="r2", owner="x")
    assert place.state.items["r2"].deadline == place.now.date() + dt.timedelta(days=14)


def test_item_feedback_and_ratings() -> None:
    place = make_place()
    place.raise_("燈")
    place.do(c.FixRequest, number=1, item_id="r1", owner="物業公司")
    place.do(c.RecordItemFeedback, item_id="r1", text="已換燈泡", status=ItemProgress.DONE)
    assert place.state.items["r1"].feedback[0].kind == "done"
    refused(place, IntakeCode.UNKNOWN_ITEM, c.RecordItemFeedback, item_id="zz", text="x")
    refused(place, IntakeCode.TEXT_EMPTY, c.RecordItemFeedback, item_id="r1", text="")
    place.do(c.RateItem, ref="heping/r1", device_key="d1", stars=4)
    place.do(c.RateItem, ref="heping/r1", device_key="d1", stars=2)
    assert [r.stars for r in place.state.ratings] == [4, 2]
    for stars in (0, 6):
        refused(place, IntakeCode.INVALID_RATING, c.RateItem, ref="heping/r1", device_key="d",
                stars=stars)  # fmt: skip
    refused(place, IntakeCode.UNKNOWN_ITEM, c.RateItem, ref="", device_key="d", stars=3)


def test_schedule_then_take_into_a_session() -> None:
    place = make_place()
    place.raise_("停車")
    place.raise_("電梯")
    place.do(c.ScheduleRequest, number=1)
    refused(place, IntakeCode.REQUEST_CLOSED, c.TakeRequests, numbers=(1, 2), session_id="s1")
    place.do(c.TakeRequests, numbers=(1,), session_id="s1")
    assert place.state.requests[1].status is RequestStatus.TAKEN
    assert place.state.requests[1].session_id == "s1"
    assert place.do(c.TakeRequests, numbers=(), session_id="s1") == ()


def test_answer_timeliness() -> None:
    place = make_place()
    place.raise_("a")
    raised = place.state.requests[1]
    assert not place.state.answer_overdue(raised, raised.raised_at + dt.timedelta(hours=47))
    assert place.state.answer_overdue(raised, raised.raised_at + dt.timedelta(hours=49))
    place.tick(hours=50)
    place.do(c.AcceptRequest, number=1)
    assert place.state.answer_overdue(place.state.requests[1], place.now)


def test_every_event_type_is_produced_by_these_tests() -> None:
    assert len(INTAKE_EVENT_TYPES) == 15
