"""Action items (整改事項), claims (認領), follow-up feedback (反饋) and ratings (評價)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode
from facilitator.session.values import IssueSource
from tests.session.session_kit import Harness

E = ErrorCode
DUE = dt.date(2026, 4, 14)
FOLLOW_UPS = (
    c.FollowUpSpec(ref="L1", title="更換路燈", owner="物業", deadline=dt.date(2026, 2, 1)),
    c.FollowUpSpec(ref="L2", title="修補井蓋", owner="市政", overdue=True, origin="2026-01"),
)


@pytest.fixture
def review(make: Callable[..., Harness]) -> Harness:
    """A follow-up session reviewing two earlier action items."""
    return make(phones=3, roster=1, follow_ups=FOLLOW_UPS)


def test_add_with_links(live: Harness) -> None:
    live.run(
        c.RaiseIssue, issue_id="i1", text="採光", source=IssueSource.PHONE, participant_id="p1"
    )
    live.poll()
    event = live.one(
        c.AddActionItem,
        action_id="x1",
        title=" 出具1號樓採光評估 ",
        measures="委託設計院",
        owner="設計院",
        deadline=DUE,
        issue_id="i1",
        poll_id="v1",
    )
    assert event == e.ActionItemAdded(
        at=live.now,
        action_id="x1",
        title="出具1號樓採光評估",
        measures="委託設計院",
        owner="設計院",
        owner_participant_id=None,
        deadline=DUE,
        issue_id="i1",
        poll_id="v1",
        item_id="a1",  # the current item
    )
    found = live.state.actions["x1"]
    assert (found.number, found.claimed_by, found.created_at) == (1, None, live.now)
    live.run(c.AddActionItem, action_id="x2", title="t", owner_participant_id="p2", item_id="a3")
    assert live.state.actions["x2"].item_id == "a3"
    assert live.state.actions["x2"].owner_participant_id == "p2"


def test_add_refusals(live: Harness) -> None:
    live.run(c.AddActionItem, action_id="x1", title="t")
    live.reject(E.DUPLICATE_ID, c.AddActionItem, action_id="x1", title="t")
    base = {"action_id": "x2", "title": "t"}
    live.reject(E.UNKNOWN_PARTICIPANT, c.AddActionItem, **base, owner_participant_id="ghost")
    live.reject(E.UNKNOWN_ISSUE, c.AddActionItem, **base, issue_id="zz")
    live.reject(E.UNKNOWN_POLL, c.AddActionItem, **base, poll_id="zz")
    live.reject(E.UNKNOWN_ITEM, c.AddActionItem, **base, item_id="zz")
    live.reject(E.TEXT_EMPTY, c.AddActionItem, **{**base, "title": ""})
    live.reject(E.TEXT_TOO_LONG, c.AddActionItem, **base, measures="措" * 1001)
    live.reject(E.TEXT_TOO_LONG, c.AddActionItem, **base, owner="單" * 61)


def test_update(h: Harness) -> None:
    h.run(c.AddActionItem, action_id="x1", title="t", owner="設計院", deadline=DUE)
    event = h.one(c.UpdateActionItem, action_id="x1", measures="先勘察")
    assert event == e.ActionItemUpdated(
        at=h.now, action_id="x1", title="t", measures="先勘察", owner="設計院", deadline=DUE
    )
    later = dt.date(2026, 5, 1)
    h.run(c.UpdateActionItem, action_id="x1", title="新標題", deadline=later)
    found = h.state.actions["x1"]
    assert (found.title, found.measures, found.deadline) == ("新標題", "先勘察", later)
    h.run(c.UpdateActionItem, action_id="x1", clear_deadline=True)
    assert h.state.actions["x1"].deadline is None
    h.reject(E.UNKNOWN_ACTION, c.UpdateActionItem, action_id="zz")
    h.reject(E.TEXT_EMPTY, c.UpdateActionItem, action_id="x1", title=" ")


def test_claim_is_idempotent_and_once(h: Harness) -> None:
    h.run(c.AddActionItem, action_id="x1", title="召開3號樓業主分攤協商會")
    assert h.run(c.ClaimActionItem, action_id="x1", participant_id="p3") == (
        e.ActionItemClaimed(at=h.now, action_id="x1", participant_id="p3"),
    )
    found = h.state.actions["x1"]
    assert (found.claimed_by, found.claimed_at) == ("p3", h.now)
    assert found.owner == "居民p3"  # nobody was named, so the claimant becomes the owner
    assert h.run(c.ClaimActionItem, action_id="x1", participant_id="p3") == ()
    h.reject(E.ALREADY_CLAIMED, c.ClaimActionItem, action_id="x1", participant_id="p4")
    h.reject(E.UNKNOWN_ACTION, c.ClaimActionItem, action_id="zz", participant_id="p4")
    h.run(c.AddActionItem, action_id="x2", title="t")
    h.reject(E.UNKNOWN_PARTICIPANT, c.ClaimActionItem, action_id="x2", participant_id="ghost")


def test_claim_keeps_a_named_owner(h: Harness) -> None:
    h.run(c.AddActionItem, action_id="x1", title="t", owner="燃氣公司")
    h.run(c.AddRosterEntry, participant_id="g1", display_name="羅經理", category="燃氣公司")
    h.run(c.ClaimActionItem, action_id="x1", participant_id="g1")  # on the roster, not present
    assert h.state.actions["x1"].owner == "燃氣公司"
    assert h.state.actions["x1"].claimed_by == "g1"


def test_a_resident_claims_only_an_item_without_an_owner(h: Harness) -> None:
    h.run(c.AddActionItem, action_id="x1", title="出具管道施工方案", owner="燃氣公司")
    refused = h.reject(E.ACTION_HAS_OWNER, c.ClaimActionItem, action_id="x1", participant_id="p3")
    assert refused.params["owner"] == "燃氣公司"
    h.run(c.AddActionItem, action_id="x2", title="t", owner="王伯", owner_participant_id="p2")
    h.reject(E.ACTION_HAS_OWNER, c.ClaimActionItem, action_id="x2", participant_id="p3")
    h.run(c.ClaimActionItem, action_id="x2", participant_id="p2")  # the named owner may
    h.run(c.AddActionItem, action_id="x3", title="t", owner="居民p4")
    h.run(c.ClaimActionItem, action_id="x3", participant_id="p4")  # owner named by their name


def test_the_session_rating_waits_for_the_moderator_to_open_it(h: Harness) -> None:
    h.reject(E.RATING_NOT_OPEN, c.RateSession, participant_id="p1", stars=4)
    h.run(c.OpenRating)
    h.run(c.RateSession, participant_id="p1", stars=4)
    h.run(c.CloseSession)
    h.reject(E.SESSION_CLOSED, c.RateSession, participant_id="p1", stars=5)


def test_follow_up_feedback_with_status(review: Harness) -> None:
    assert review.state.follow_ups["L2"].overdue
    event = review.one(c.RecordFeedback, ref="L1", text=" 已更換三盞 ", by="物業")
    assert event == e.FeedbackRecorded(
        at=review.now, ref="L1", text="已更換三盞", by="物業", status=None
    )
    assert review.state.follow_ups["L1"].status == "claimed"  # unchanged without a status
    review.run(c.RecordFeedback, ref="L1", text="全部完成", status="done")
    found = review.state.follow_ups["L1"]
    assert found.status == "done"
    assert [f.text for f in found.feedback] == ["已更換三盞", "全部完成"]
    review.reject(E.UNKNOWN_ACTION, c.RecordFeedback, ref="L9", text="t")
    review.reject(E.INVALID_VALUE, c.RecordFeedback, ref="L1", text="t", status="lost")
    review.reject(E.TEXT_EMPTY, c.RecordFeedback, ref="L1", text="")
    review.reject(E.TEXT_TOO_LONG, c.RecordFeedback, ref="L1", text="t", by="人" * 61)


def test_delivery_rating_open_rate_and_re_rate(review: Harness) -> None:
    review.reject(E.RATING_NOT_OPEN, c.RateDelivery, ref="L1", participant_id="p1", stars=4)
    assert review.run(c.OpenDeliveryRating, ref="L1") == (
        e.DeliveryRatingOpened(at=review.now, ref="L1"),
    )
    assert review.run(c.OpenDeliveryRating, ref="L1") == ()
    review.reject(E.UNKNOWN_ACTION, c.OpenDeliveryRating, ref="L9")
    assert review.run(c.RateDelivery, ref="L1", participant_id="p1", stars=2) == (
        e.DeliveryRated(at=review.now, ref="L1", participant_id="p1", stars=2),
    )
    review.run(c.RateDelivery, ref="L1", participant_id="p2", stars=5)
    assert review.run(c.RateDelivery, ref="L1", participant_id="p1", stars=2) == ()
    review.run(c.RateDelivery, ref="L1", participant_id="p1", stars=3)  # re-rated: replaced
    assert dict(review.state.follow_ups["L1"].ratings) == {"p1": 3, "p2": 5}
    for bad in (0, 6, True, 3.5):
        review.reject(E.INVALID_RATING, c.RateDelivery, ref="L1", participant_id="p1", stars=bad)
    review.reject(E.UNKNOWN_PARTICIPANT, c.RateDelivery, ref="L1", participant_id="zz", stars=3)
    review.reject(E.UNKNOWN_ACTION, c.RateDelivery, ref="L9", participant_id="p1", stars=3)
    review.reject(E.RATING_NOT_OPEN, c.RateDelivery, ref="L2", participant_id="p1", stars=3)


def test_session_rating_and_re_rating(h: Harness) -> None:
    h.run(c.OpenRating)
    assert h.run(c.RateSession, participant_id="p1", stars=4, comment=" 很好 ") == (
        e.SessionRated(at=h.now, participant_id="p1", stars=4, comment="很好"),
    )
    assert h.run(c.RateSession, participant_id="p1", stars=4, comment="很好") == ()
    h.run(c.RateSession, participant_id="p1", stars=5)
    h.run(c.RateSession, participant_id="p2", stars=3)
    ratings = h.state.ratings
    assert {pid: r.stars for pid, r in ratings.items()} == {"p1": 5, "p2": 3}
    assert ratings["p1"].comment == ""
    for bad in (0, 6, False):
        h.reject(E.INVALID_RATING, c.RateSession, participant_id="p1", stars=bad)
    h.reject(E.UNKNOWN_PARTICIPANT, c.RateSession, participant_id="zz", stars=3)
    h.reject(E.TEXT_TOO_LONG, c.RateSession, participant_id="p1", stars=3, comment="評" * 301)


def test_ratings_need_the_meeting_in_progress(make: Callable[..., Harness]) -> None:
    h = make(opened=False, phones=1, follow_ups=FOLLOW_UPS)
    h.reject(E.SESSION_NOT_OPEN, c.RateSession, participant_id="p1", stars=3)
    h.reject(E.SESSION_NOT_OPEN, c.RateDelivery, ref="L1", participant_id="p1", stars=3)
    h.reject(E.SESSION_NOT_OPEN, c.OpenDeliveryRating, ref="L1")
    h.run(c.RecordFeedback, ref="L1", text="會前已報告")  # feedback may arrive before
    assert len(h.state.follow_ups["L1"].feedback) == 1
