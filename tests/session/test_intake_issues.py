"""Requests scheduled between evenings (碼上議) come into a session as issues with their supporters
from home; a phone that supported at home and joins tonight is counted once."""

from __future__ import annotations

from facilitator.agenda import SessionKind
from facilitator.session import commands as c
from facilitator.session.errors import ErrorCode
from facilitator.session.values import IssueSource, IssueStatus
from tests.session.session_kit import Harness, make_session

PARKING = c.IntakeIssueSpec(
    issue_id="i1",
    ref="heping#5",
    text="停車費太貴",
    building="3號樓",
    category="停車收費",
    supporters=("dev-p1", "dev-home-a", "dev-home-b"),
)


def test_scheduled_requests_arrive_as_accepted_issues_with_their_supporters() -> None:
    h = make_session(phones=3, intake_issues=(PARKING,))
    issue = h.state.issues["i1"]
    assert issue.source is IssueSource.INTAKE and issue.status is IssueStatus.ACCEPTED
    assert (issue.intake_ref, issue.building, issue.category) == ("heping#5", "3號樓", "停車收費")
    assert issue.support_count == 3 and issue.participant_id is None
    assert h.replayed() == h.state


def test_a_home_supporter_joining_tonight_is_counted_once() -> None:
    h = make_session(phones=3, intake_issues=(PARKING,))
    h.reject(ErrorCode.ALREADY_SUPPORTED, c.SupportIssue, issue_id="i1", participant_id="p1")
    h.run(c.SupportIssue, issue_id="i1", participant_id="p2")  # a new supporter tonight
    assert h.state.issues["i1"].support_count == 4


def test_merging_with_a_twin_of_tonight_counts_each_phone_once() -> None:
    h = make_session(phones=3, intake_issues=(PARKING,), start_first=True)
    h.run(
        c.RaiseIssue, issue_id="x", participant_id="p1", text="停車太貴了", source=IssueSource.PHONE
    )
    h.run(c.SupportIssue, issue_id="x", participant_id="p3")
    h.run(c.MergeIssues, issue_id="i1", into_issue_id="x")
    merged = h.state.issues["x"]
    assert set(merged.supporters) == {"p1", "p3"}
    assert merged.home_supporters == ("dev-home-a", "dev-home-b")  # dev-p1 is p1: not twice
    assert merged.support_count == 4


def test_bad_intake_specs_are_refused() -> None:
    twin = c.IntakeIssueSpec(issue_id="i1", ref="heping#6", text="x")
    h = Harness()
    fields = {
        "session_id": "s1",
        "kind": SessionKind.SQUARE_TALK,
        "title": "t",
        "join_code": "HPL001",
        "numeric_code": "123456",
    }
    refused = h.reject(
        ErrorCode.INVALID_VALUE, c.CreateSession, intake_issues=(PARKING, twin), **fields
    )
    assert refused.params["field"] == "intake_issues"
    empty = c.IntakeIssueSpec(issue_id="i2", ref="heping#7", text=" ")
    h.reject(ErrorCode.TEXT_EMPTY, c.CreateSession, intake_issues=(empty,), **fields)
