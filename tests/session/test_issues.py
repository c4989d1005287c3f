"""Issues (訴求/議題): raise, support, withdraw, screen, merge, classify, prioritise, promote."""

from __future__ import annotations

import pytest

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.checks import ISSUE_MAX, TITLE_MAX
from facilitator.session.errors import ErrorCode
from facilitator.session.issues import board_order
from facilitator.session.values import IssueSource, IssueStatus, Scope, Urgency
from tests.session.session_kit import Harness

E = ErrorCode


def raise_issue(
    h: Harness, issue_id: str, pid: str | None = "p1", text: str = "費用怎麼分攤"
) -> None:
    h.run(c.RaiseIssue, issue_id=issue_id, text=text, source=IssueSource.PHONE, participant_id=pid)


def test_raise_from_a_phone_supports_it(live: Harness) -> None:
    events = live.run(
        c.RaiseIssue,
        issue_id="i1",
        text=" 一樓住戶採光怎麼辦 ",
        source=IssueSource.PHONE,
        participant_id="p1",
        building="1號樓",
    )
    assert events == (
        e.IssueRaised(
            at=live.now,
            issue_id="i1",
            text="一樓住戶採光怎麼辦",
            source=IssueSource.PHONE,
            participant_id="p1",
            on_behalf_of="",
            building="1號樓",
            item_id="a1",  # raised during the first item
        ),
    )
    issue = live.state.issues["i1"]
    assert issue.number == 1
    assert issue.status is IssueStatus.NEW
    assert issue.support_count == 1
    assert "p1" in issue.supporters


def test_raise_typed_by_the_moderator_for_someone(h: Harness) -> None:
    h.run(
        c.RaiseIssue,
        issue_id="i1",
        text="井蓋鬆動",
        source=IssueSource.PAPER,
        on_behalf_of="劉阿姨",
    )
    issue = h.state.issues["i1"]
    assert (issue.source, issue.on_behalf_of, issue.item_id) == (IssueSource.PAPER, "劉阿姨", None)
    assert issue.support_count == 0


def test_raise_refusals(h: Harness) -> None:
    raise_issue(h, "i1")
    base = {"issue_id": "i2", "text": "t", "source": IssueSource.VOICE}
    h.reject(E.DUPLICATE_ID, c.RaiseIssue, **{**base, "issue_id": "i1"})
    h.reject(E.INVALID_VALUE, c.RaiseIssue, **{**base, "issue_id": ""})
    h.reject(E.INVALID_VALUE, c.RaiseIssue, **{**base, "source": "carrier pigeon"})
    h.reject(E.UNKNOWN_PARTICIPANT, c.RaiseIssue, **base, participant_id="ghost")
    h.reject(E.TEXT_EMPTY, c.RaiseIssue, **{**base, "text": " \n "})
    error = h.reject(E.TEXT_TOO_LONG, c.RaiseIssue, **{**base, "text": "字" * (ISSUE_MAX + 1)})
    assert error.params["limit"] == ISSUE_MAX
    h.reject(E.TEXT_TOO_LONG, c.RaiseIssue, **base, on_behalf_of="名" * 41)


def test_markup_is_kept_as_plain_text(h: Harness) -> None:
    raise_issue(h, "i1", text="<script>alert(1)</script> | a | b |")
    assert h.state.issues["i1"].text == "<script>alert(1)</script> | a | b |"


def test_support_once_per_person(h: Harness) -> None:
    raise_issue(h, "i1")
    assert h.run(c.SupportIssue, issue_id="i1", participant_id="p2") == (
        e.IssueSupported(at=h.now, issue_id="i1", participant_id="p2"),
    )
    assert h.state.issues["i1"].support_count == 2
    h.reject(E.ALREADY_SUPPORTED, c.SupportIssue, issue_id="i1", participant_id="p2")
    h.reject(E.ALREADY_SUPPORTED, c.SupportIssue, issue_id="i1", participant_id="p1")  # raiser
    h.reject(E.UNKNOWN_ISSUE, c.SupportIssue, issue_id="nope", participant_id="p2")
    h.reject(E.UNKNOWN_PARTICIPANT, c.SupportIssue, issue_id="i1", participant_id="ghost")
    # Support from home, before checking in, counts.
    h.run(c.SupportIssue, issue_id="i1", participant_id="r1")
    assert h.state.issues["i1"].support_count == 3


def test_withdraw_support(h: Harness) -> None:
    raise_issue(h, "i1")
    h.run(c.SupportIssue, issue_id="i1", participant_id="p2")
    assert h.run(c.WithdrawSupport, issue_id="i1", participant_id="p2") == (
        e.SupportWithdrawn(at=h.now, issue_id="i1", participant_id="p2"),
    )
    assert h.state.issues["i1"].support_count == 1
    h.reject(E.NOT_SUPPORTED, c.WithdrawSupport, issue_id="i1", participant_id="p2")
    h.reject(E.UNKNOWN_PARTICIPANT, c.WithdrawSupport, issue_id="i1", participant_id="ghost")
    h.reject(E.UNKNOWN_ISSUE, c.WithdrawSupport, issue_id="zz", participant_id="p2")
    h.run(c.SupportIssue, issue_id="i1", participant_id="p2")  # and back again
    assert h.state.issues["i1"].support_count == 2


def test_accept_and_reject_with_reason(h: Harness) -> None:
    raise_issue(h, "i1")
    raise_issue(h, "i2")
    assert h.run(c.AcceptIssue, issue_id="i1") == (e.IssueAccepted(at=h.now, issue_id="i1"),)
    assert h.state.issues["i1"].status is IssueStatus.ACCEPTED
    h.reject(E.ISSUE_SCREENED, c.AcceptIssue, issue_id="i1")
    h.reject(E.UNKNOWN_ISSUE, c.AcceptIssue, issue_id="zz")
    h.reject(E.TEXT_EMPTY, c.RejectIssue, issue_id="i2", reason=" ")
    h.reject(E.TEXT_TOO_LONG, c.RejectIssue, issue_id="i2", reason="因" * 301)
    h.run(c.PrioritizeIssues, issue_ids=("i2", "i1"))
    assert h.run(c.RejectIssue, issue_id="i2", reason=" 屬物業職責 ") == (
        e.IssueRejected(at=h.now, issue_id="i2", reason="屬物業職責"),
    )
    issue = h.state.issues["i2"]
    assert (issue.status, issue.reject_reason) == (IssueStatus.REJECTED, "屬物業職責")
    assert h.state.priority == ("i1",)  # a rejected issue leaves the priority list
    h.reject(E.ISSUE_SCREENED, c.RejectIssue, issue_id="i2", reason="again")
    h.reject(E.ISSUE_SCREENED, c.AcceptIssue, issue_id="i2")
    h.reject(E.ISSUE_NOT_OPEN, c.SupportIssue, issue_id="i2", participant_id="p3")
    # An accepted issue can still be rejected.
    h.run(c.RejectIssue, issue_id="i1", reason="重複")
    rejected = h.state.issues["i1"]
    assert rejected.status is IssueStatus.REJECTED


def test_merge_unites_supporters_without_double_counting(h: Harness) -> None:
    raise_issue(h, "i1", "p1", "費用怎麼分攤")
    raise_issue(h, "i2", "p2", "電梯費用誰出")
    for pid in ("p3", "p4"):
        h.run(c.SupportIssue, issue_id="i1", participant_id=pid)
    for pid in ("p3", "p5"):  # p3 supports both
        h.run(c.SupportIssue, issue_id="i2", participant_id=pid)
    assert h.run(c.MergeIssues, issue_id="i2", into_issue_id="i1") == (
        e.IssuesMerged(at=h.now, issue_id="i2", into_issue_id="i1"),
    )
    target, duplicate = h.state.issues["i1"], h.state.issues["i2"]
    assert set(target.supporters) == {"p1", "p2", "p3", "p4", "p5"}
    assert target.support_count == 5  # 3 + 3, one in common
    assert target.merged_from == ("i2",)
    assert (duplicate.status, duplicate.merged_into) == (IssueStatus.MERGED, "i1")
    assert not duplicate.is_open


def test_supporting_a_merged_duplicate_supports_its_twin(h: Harness) -> None:
    raise_issue(h, "i1", "p1")
    raise_issue(h, "i2", "p2")
    h.run(c.MergeIssues, issue_id="i2", into_issue_id="i1")
    assert h.run(c.SupportIssue, issue_id="i2", participant_id="p3") == (
        e.IssueSupported(at=h.now, issue_id="i1", participant_id="p3"),
    )
    assert h.state.issues["i1"].support_count == 3
    # p2 supported the duplicate, so already supports the twin.
    h.reject(E.ALREADY_SUPPORTED, c.SupportIssue, issue_id="i2", participant_id="p2")
    h.reject(E.ALREADY_SUPPORTED, c.SupportIssue, issue_id="i1", participant_id="p2")
    # Withdrawing through the duplicate withdraws from the twin.
    assert h.run(c.WithdrawSupport, issue_id="i2", participant_id="p2") == (
        e.SupportWithdrawn(at=h.now, issue_id="i1", participant_id="p2"),
    )
    assert h.state.issues["i1"].support_count == 2


def test_merge_chains_follow_to_the_root(h: Harness) -> None:
    for n, pid in enumerate(("p1", "p2", "p3"), start=1):
        raise_issue(h, f"i{n}", pid)
    h.run(c.MergeIssues, issue_id="i2", into_issue_id="i1")
    # Merging into a duplicate lands on the issue that carries the supporters.
    assert h.run(c.MergeIssues, issue_id="i3", into_issue_id="i2") == (
        e.IssuesMerged(at=h.now, issue_id="i3", into_issue_id="i1"),
    )
    assert h.state.issues["i1"].support_count == 3
    h.run(c.SupportIssue, issue_id="i3", participant_id="p4")
    assert h.state.issues["i1"].support_count == 4


def test_merge_refusals(h: Harness) -> None:
    raise_issue(h, "i1")
    raise_issue(h, "i2")
    raise_issue(h, "i3")
    h.reject(E.MERGE_INTO_SELF, c.MergeIssues, issue_id="i1", into_issue_id="i1")
    h.run(c.MergeIssues, issue_id="i2", into_issue_id="i1")
    h.reject(E.MERGE_INTO_SELF, c.MergeIssues, issue_id="i1", into_issue_id="i2")
    h.reject(E.ISSUE_NOT_OPEN, c.MergeIssues, issue_id="i2", into_issue_id="i3")
    h.reject(E.UNKNOWN_ISSUE, c.MergeIssues, issue_id="zz", into_issue_id="i1")
    h.reject(E.UNKNOWN_ISSUE, c.MergeIssues, issue_id="i3", into_issue_id="zz")
    h.run(c.ResolveIssue, issue_id="i1")
    h.reject(E.ISSUE_NOT_OPEN, c.MergeIssues, issue_id="i3", into_issue_id="i1")


def test_classify(h: Harness) -> None:
    raise_issue(h, "i1")
    event = h.one(c.ClassifyIssue, issue_id="i1", category="費用", scope=Scope.BUILDING)
    assert event == e.IssueClassified(
        at=h.now, issue_id="i1", category="費用", scope=Scope.BUILDING, urgency=Urgency.NORMAL
    )
    h.run(c.ClassifyIssue, issue_id="i1", urgency=Urgency.URGENT)  # keeps category and scope
    issue = h.state.issues["i1"]
    assert (issue.category, issue.scope, issue.urgency) == ("費用", Scope.BUILDING, Urgency.URGENT)
    h.reject(E.INVALID_VALUE, c.ClassifyIssue, issue_id="i1", scope="street")
    h.reject(E.INVALID_VALUE, c.ClassifyIssue, issue_id="i1", urgency="asap")
    h.reject(E.TEXT_TOO_LONG, c.ClassifyIssue, issue_id="i1", category="類" * 41)
    h.reject(E.UNKNOWN_ISSUE, c.ClassifyIssue, issue_id="zz")


def test_prioritize_and_board_order(h: Harness) -> None:
    for n in range(1, 5):
        raise_issue(h, f"i{n}", pid=None, text=f"議題{n}")
    h.run(c.SupportIssue, issue_id="i3", participant_id="p1")
    h.run(c.SupportIssue, issue_id="i3", participant_id="p2")
    h.run(c.SupportIssue, issue_id="i2", participant_id="p1")
    h.run(c.ClassifyIssue, issue_id="i4", urgency=Urgency.HIGH)
    # By supports, then urgency, then oldest first.
    assert [i.issue_id for i in board_order(h.state)] == ["i3", "i2", "i4", "i1"]
    assert h.run(c.PrioritizeIssues, issue_ids=("i1",)) == (
        e.IssuesPrioritized(at=h.now, issue_ids=("i1",)),
    )
    assert [i.issue_id for i in board_order(h.state)] == ["i1", "i3", "i2", "i4"]
    h.run(c.ResolveIssue, issue_id="i3")
    assert [i.issue_id for i in board_order(h.state)] == ["i1", "i2", "i4"]
    h.reject(E.INVALID_VALUE, c.PrioritizeIssues, issue_ids=("i1", "i1"))
    h.reject(E.UNKNOWN_ISSUE, c.PrioritizeIssues, issue_ids=("i1", "zz"))
    h.reject(E.ISSUE_NOT_OPEN, c.PrioritizeIssues, issue_ids=("i3",))


def test_promote_creates_an_item_after_the_current_one(live: Harness) -> None:
    raise_issue(live, "i1", text="長" * ISSUE_MAX)
    events = live.run(c.PromoteIssue, issue_id="i1", item_id="x1", time_box_s=300)
    assert events == (
        e.AgendaItemAdded(
            at=live.now,
            item_id="x1",
            title="長" * TITLE_MAX,  # the title is the issue text, cut to the title limit
            time_box_s=300,
            description="",
            options=(),
            after_item_id="a1",
            issue_id="i1",
        ),
        e.IssuePromoted(at=live.now, issue_id="i1", item_id="x1"),
    )
    state = live.state
    assert state.item_order == ("a1", "x1", "a2", "a3")
    assert state.items["x1"].issue_id == "i1"
    assert (state.issues["i1"].status, state.issues["i1"].promoted_item_id) == (
        IssueStatus.PROMOTED,
        "x1",
    )
    assert state.issues["i1"].is_open
    live.reject(E.ISSUE_NOT_OPEN, c.PromoteIssue, issue_id="i1", item_id="x2")
    raise_issue(live, "i2")
    live.reject(E.DUPLICATE_ID, c.PromoteIssue, issue_id="i2", item_id="a2")
    live.reject(E.INVALID_VALUE, c.PromoteIssue, issue_id="i2", item_id="x2", time_box_s=0)
    live.reject(E.UNKNOWN_ISSUE, c.PromoteIssue, issue_id="zz", item_id="x2")


def test_promote_without_a_current_item_goes_last(h: Harness) -> None:
    raise_issue(h, "i1")
    h.run(c.PromoteIssue, issue_id="i1", item_id="x1")
    assert h.state.item_order == ("a1", "a2", "a3", "x1")
    assert h.state.items["x1"].time_box_s is None


def test_resolve(h: Harness) -> None:
    raise_issue(h, "i1")
    assert h.run(c.ResolveIssue, issue_id="i1", note=" 當場答覆 ") == (
        e.IssueResolved(at=h.now, issue_id="i1", note="當場答覆"),
    )
    issue = h.state.issues["i1"]
    assert (issue.status, issue.resolution) == (IssueStatus.RESOLVED, "當場答覆")
    h.reject(E.ISSUE_NOT_OPEN, c.ResolveIssue, issue_id="i1")
    h.reject(E.UNKNOWN_ISSUE, c.ResolveIssue, issue_id="zz")
    raise_issue(h, "i2")
    h.reject(E.TEXT_TOO_LONG, c.ResolveIssue, issue_id="i2", note="註" * 301)


@pytest.mark.parametrize("status", [IssueStatus.REJECTED, IssueStatus.RESOLVED])
def test_a_closed_issue_cannot_be_promoted(h: Harness, status: IssueStatus) -> None:
    raise_issue(h, "i1")
    if status is IssueStatus.REJECTED:
        h.run(c.RejectIssue, issue_id="i1", reason="r")
    else:
        h.run(c.ResolveIssue, issue_id="i1")
    h.reject(E.ISSUE_NOT_OPEN, c.PromoteIssue, issue_id="i1", item_id="x1")
