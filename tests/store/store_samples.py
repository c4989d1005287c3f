"""One realistic instance of every event type, shared by the store's tests."""

from __future__ import annotations

import datetime as dt

from facilitator.agenda.model import AgendaItemSpec, SessionKind
from facilitator.session import events as ev
from facilitator.session.commands import FollowUpSpec
from facilitator.session.values import (
    Channel,
    IssueSource,
    Outcome,
    PollKind,
    Quorum,
    QuorumRule,
    Scope,
    Stance,
    Threshold,
    ThresholdRule,
    Urgency,
)

TAIPEI = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2025, 5, 16, 19, 30, 12, 250_000, tzinfo=TAIPEI)
SESSION = "7f3a9c2e-5b1d-4e8a-9f00-2c6d8e1b4a77"


def created(
    session_id: str = SESSION, join_code: str = "SQ7K2", numeric: str = "4821"
) -> ev.SessionCreated:
    """A square talk with an agenda and one follow-up from the last session."""
    return ev.SessionCreated(
        at=AT,
        session_id=session_id,
        kind=SessionKind.SQUARE_TALK,
        title="五月廣場夜話：老舊小區加裝電梯",
        join_code=join_code,
        numeric_code=numeric,
        place="幸福里社區廣場",
        moderator="李書記",
        recorder="張小紅",
        date=dt.date(2025, 5, 16),
        lang="zh-Hant",
        anonymous=False,
        speaking_time_s=120,
        max_turns_per_item=2,
        items=(
            AgendaItemSpec("加裝電梯方案", 1800, "三種費用分攤方式", ("按樓層", "平均分攤"), 5),
            AgendaItemSpec("其他事項"),
        ),
        item_ids=("a1", "a2"),
        follow_ups=(
            FollowUpSpec("2025-04#3", "修復 3 棟路燈", "物業王經理", dt.date(2025, 5, 1)),
            FollowUpSpec("2025-04#5", "清理樓道雜物", status="done", overdue=True, origin="四月"),
        ),
    )


DECISION = ev.Decision(
    outcome=Outcome.PASSED,
    winner="yes",
    totals=(31, 4, 2),
    phone=(20, 3, 1),
    hands=(10, 1, 1),
    proxy=(1, 0, 0),
    voters=37,
    votes_cast=35,
    present=40,
    quorum_required=20,
    needed=18,
    quorum=Quorum(QuorumRule.ROSTER_FRACTION, 0, 1, 2),
    threshold=Threshold(ThresholdRule.TWO_THIRDS, 2, 3),
)

SAMPLES: list[ev.Event] = [
    created(),
    ev.SessionUpdated(
        at=AT, title="五月夜話（改期）", place="活動中心 2F", moderator="李書記", recorder=""
    ),
    ev.SessionOpened(at=AT),
    ev.RatingOpened(at=AT),
    ev.SessionClosed(at=AT),
    ev.ParticipantJoined(
        at=AT, participant_id="p1", display_name="王阿姨 🌸", category="居民", building="3棟",
        unit="502", device_key="dk-9f8e",
    ),
    ev.ParticipantUpdated(
        at=AT, participant_id="p1", display_name="王秀英", category="樓長", building="3棟", unit=""
    ),
    ev.ParticipantCheckedIn(at=AT, participant_id="p1"),
    ev.ParticipantCheckedOut(at=AT, participant_id="p1"),
    ev.WalkInCountSet(at=AT, count=12),
    ev.IssueRaised(
        at=AT, issue_id="i1", text='路燈壞了三個月，"晚上"很暗\n老人不敢出門',
        source=IssueSource.PHONE, participant_id="p1", on_behalf_of="", building="3棟",
        item_id=None,
    ),
    ev.IssueSupported(at=AT, issue_id="i1", participant_id="p2"),
    ev.SupportWithdrawn(at=AT, issue_id="i1", participant_id="p2"),
    ev.IssueAccepted(at=AT, issue_id="i1"),
    ev.IssueRejected(at=AT, issue_id="i2", reason="不屬於本社區職權"),
    ev.IssuesMerged(at=AT, issue_id="i3", into_issue_id="i1"),
    ev.IssueClassified(
        at=AT, issue_id="i1", category="設施", scope=Scope.BUILDING, urgency=Urgency.HIGH
    ),
    ev.IssuesPrioritized(at=AT, issue_ids=("i1", "i4", "i5")),
    ev.IssuePromoted(at=AT, issue_id="i1", item_id="a3"),
    ev.IssueResolved(at=AT, issue_id="i4", note="物業當場答應週五前修好"),
    ev.AgendaItemAdded(
        at=AT, item_id="a3", title="路燈維修", time_box_s=None, description="", options=(),
        after_item_id="a1", issue_id="i1",
    ),
    ev.ItemStarted(at=AT, item_id="a1"),
    ev.ItemPaused(at=AT, item_id="a1"),
    ev.ItemResumed(at=AT, item_id="a1"),
    ev.ItemCompleted(at=AT, item_id="a1"),
    ev.ItemSkipped(at=AT, item_id="a2"),
    ev.ItemDeferred(at=AT, item_id="a3"),
    ev.ItemExtended(at=AT, item_id="a1", seconds=300),
    ev.HandRaised(at=AT, entry_id="q1", item_id="a1", participant_id=None, name="趙大爺"),
    ev.HandLowered(at=AT, entry_id="q1"),
    ev.FloorGranted(at=AT, entry_id="q2"),
    ev.SpeakingEnded(at=AT, entry_id="q2", duration_s=93.25),
    ev.OpinionRecorded(
        at=AT, opinion_id="o1", item_id="a1", stance=Stance.AGAINST, text="一樓住戶不同意分攤",
        speaker="劉先生", participant_id=None,
    ),
    ev.PollOpened(
        at=AT, poll_id="v1", item_id="a1", question="是否同意按樓層分攤電梯費用？",
        kind=PollKind.YES_NO_ABSTAIN, options=("yes", "no", "abstain"), max_choices=1,
        secret=True, changeable=False, quorum=Quorum(QuorumRule.COUNT, 20),
        threshold=Threshold(),
    ),
    ev.BallotCast(
        at=AT, poll_id="v1", participant_id="p1", choices=("yes",), channel=Channel.PHONE
    ),
    ev.HandCountRecorded(at=AT, poll_id="v1", counts=(10, 1, 1), voters=12),
    ev.PollClosed(at=AT, poll_id="v1", decision=DECISION),
    ev.PollCancelled(at=AT, poll_id="v2", reason="題目有誤"),
    ev.ActionItemAdded(
        at=AT, action_id="x1", title="修復 3 棟路燈", measures="更換燈具並檢查線路",
        owner="物業王經理", owner_participant_id=None, deadline=dt.date(2025, 6, 1), issue_id="i1",
        poll_id=None, item_id="a3",
    ),
    ev.ActionItemUpdated(
        at=AT, action_id="x1", title="修復 3、5 棟路燈", measures="", owner="物業", deadline=None
    ),
    ev.ActionItemClaimed(at=AT, action_id="x1", participant_id="p9"),
    ev.FeedbackRecorded(at=AT, ref="x1", text="已更換 4 盞燈", by="物業王經理", status="done"),
    ev.DeliveryRatingOpened(at=AT, ref="x1"),
    ev.DeliveryRated(at=AT, ref="x1", participant_id="p1", stars=5),
    ev.SessionRated(at=AT, participant_id="p1", stars=4, comment=""),
    ev.RosterInvited(at=AT, participant_id="p1", invite_key="ik-3c2b"),
    ev.DeviceLinked(at=AT, participant_id="p1", device_key="dk-9f8e", from_participant_id="p7"),
    ev.DevicesRevoked(at=AT, participant_id="p1", device_keys=("dk-9f8e",)),
]  # fmt: skip
"""Every event type once; ``test_samples_cover_every_event_type`` keeps it complete."""
