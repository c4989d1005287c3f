"""The session and the people in it: create, open, close; join, roster, check-in, walk-ins."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from facilitator.agenda.model import SessionKind
from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.checks import NAME_MAX, TITLE_MAX
from facilitator.session.engine import SessionEngine, decide
from facilitator.session.errors import ErrorCode, SessionError
from facilitator.session.values import IssueSource, ItemStatus, Phase, Stance
from tests.session.session_kit import T0, Harness, item_specs

E = ErrorCode

CREATE: dict[str, Any] = {
    "session_id": "s1",
    "kind": SessionKind.PAVILION,
    "title": "  金苑議事亭  ",
    "join_code": "jy2026",
    "numeric_code": "2026",
}


def test_create_emits_one_event_with_cleaned_fields() -> None:
    h = Harness()
    events = h.run(c.CreateSession, **CREATE, items=item_specs(["燃氣管線"]), item_ids=("a1",))
    assert len(events) == 1
    created = events[0]
    assert isinstance(created, e.SessionCreated)
    assert created.title == "金苑議事亭"  # stripped
    assert created.join_code == "JY2026"  # upper-cased
    state = h.state
    assert state.phase is Phase.DRAFT
    assert state.version == 1
    assert state.created_at == T0
    assert state.item_order == ("a1",)
    assert state.items["a1"].time_box_s == 600
    assert state.items["a1"].status is ItemStatus.PENDING


def test_create_with_follow_ups_numbers_them() -> None:
    h = Harness()
    follow = (c.FollowUpSpec(ref="L1", title="路燈"), c.FollowUpSpec(ref="L2", title="井蓋"))
    h.run(c.CreateSession, **CREATE, follow_ups=follow)
    assert [h.state.follow_ups[r].number for r in ("L1", "L2")] == [1, 2]
    assert h.state.follow_ups["L1"].status == "claimed"


def test_create_twice_is_refused() -> None:
    h = Harness()
    h.run(c.CreateSession, **CREATE)
    h.reject(E.SESSION_EXISTS, c.CreateSession, **CREATE)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"session_id": ""}, "session_id"),
        ({"session_id": "x" * 65}, "session_id"),
        ({"kind": "square"}, "kind"),
        ({"join_code": "ABC12"}, "join_code"),
        ({"join_code": "ABC-12"}, "join_code"),
        ({"numeric_code": "123"}, "numeric_code"),
        ({"numeric_code": "123456789"}, "numeric_code"),
        ({"numeric_code": "12a4"}, "numeric_code"),
        ({"items": item_specs(["a"]), "item_ids": ()}, "item_ids"),
        ({"items": item_specs(["a", "b"]), "item_ids": ("x", "x")}, "item_ids"),
        ({"speaking_time_s": 0}, "speaking_time"),
        ({"max_turns_per_item": -1}, "speaking_time"),
        ({"items": item_specs(["a"], minutes=9 * 60), "item_ids": ("x",)}, "time_box"),
        (
            {
                "follow_ups": (
                    c.FollowUpSpec(ref="L", title="a"),
                    c.FollowUpSpec(ref="L", title="b"),
                )
            },
            "follow_ups",
        ),
    ],
)
def test_create_refuses_invalid_values(change: dict[str, Any], field: str) -> None:
    error = Harness().reject(E.INVALID_VALUE, c.CreateSession, **{**CREATE, **change})
    assert error.params["field"] == field


def test_create_refuses_bad_texts() -> None:
    h = Harness()
    h.reject(E.TEXT_EMPTY, c.CreateSession, **{**CREATE, "title": "   "})
    error = h.reject(E.TEXT_TOO_LONG, c.CreateSession, **{**CREATE, "title": "議" * 201})
    assert error.params == {"field": "title", "length": 201, "limit": TITLE_MAX}
    assert "201" in error.message
    h.reject(
        E.TEXT_EMPTY,
        c.CreateSession,
        **CREATE,
        items=item_specs([" "]),
        item_ids=("a1",),
    )
    h.reject(E.TEXT_TOO_LONG, c.CreateSession, **{**CREATE, "moderator": "李" * (NAME_MAX + 1)})
    assert not h.engine.created


def test_anything_before_create_is_refused() -> None:
    h = Harness()
    h.reject(E.SESSION_NOT_CREATED, c.OpenSession)
    h.reject(E.SESSION_NOT_CREATED, c.CheckIn, participant_id="p1")
    with pytest.raises(SessionError) as caught:
        _ = SessionEngine().state
    assert caught.value.code is E.SESSION_NOT_CREATED


def test_an_unknown_command_type_is_refused(h: Harness) -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Dance(c.Command):
        pass

    error = h.reject(E.INVALID_VALUE, Dance)
    assert error.params == {"field": "command", "reason": "Dance"}


def test_update_session_changes_only_given_fields(h: Harness) -> None:
    event = h.one(c.UpdateSession, place=" 社區活動中心 ", recorder="王姐")
    assert event == e.SessionUpdated(
        at=h.now, title="加裝電梯意見徵集", place="社區活動中心", moderator="小李", recorder="王姐"
    )
    assert (h.state.place, h.state.recorder, h.state.moderator) == ("社區活動中心", "王姐", "小李")
    h.reject(E.TEXT_EMPTY, c.UpdateSession, title=" ")
    h.one(c.UpdateSession, place="")  # place is optional
    assert h.state.place == ""


def test_open_session(make: Callable[..., Harness]) -> None:
    h = make(opened=False)
    h.advance(minutes=5)
    assert h.run(c.OpenSession) == (e.SessionOpened(at=h.now),)
    assert h.state.phase is Phase.OPEN
    assert h.state.opened_at == h.now
    h.reject(E.ALREADY_OPEN, c.OpenSession)


def test_meeting_commands_need_an_open_session(make: Callable[..., Harness]) -> None:
    h = make(opened=False, phones=2)
    # Before the meeting, people may join and raise issues, but the meeting itself has not begun.
    h.reject(E.SESSION_NOT_OPEN, c.StartItem, item_id="a1")
    h.reject(E.SESSION_NOT_OPEN, c.OpenPoll, poll_id="v1", question="q")
    h.reject(E.SESSION_NOT_OPEN, c.RaiseHand, entry_id="q1", participant_id="p1")
    h.reject(E.SESSION_NOT_OPEN, c.CloseSession)
    h.reject(E.SESSION_NOT_OPEN, c.OpenRating)
    h.run(
        c.RaiseIssue, issue_id="i1", text="一樓採光", source=IssueSource.PHONE, participant_id="p1"
    )
    assert "i1" in h.state.issues


def test_open_rating_is_idempotent(h: Harness) -> None:
    assert h.run(c.OpenRating) == (e.RatingOpened(at=h.now),)
    assert h.state.rating_open
    assert h.run(c.OpenRating) == ()


def test_close_session_ends_speaker_and_item_then_nothing_changes(live: Harness) -> None:
    live.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    live.run(c.GrantFloor)
    live.run(c.OpenRating)
    live.advance(minutes=3)
    events = live.run(c.CloseSession)
    assert events == (
        e.SpeakingEnded(at=live.now, entry_id="q1", duration_s=180.0),
        e.ItemCompleted(at=live.now, item_id="a1"),
        e.SessionClosed(at=live.now),
    )
    state = live.state
    assert state.phase is Phase.CLOSED
    assert state.closed_at == live.now
    assert not state.rating_open
    assert state.items["a1"].status is ItemStatus.DONE
    for cls, fields in [
        (c.OpenSession, {}),
        (c.CloseSession, {}),
        (c.JoinSession, {"participant_id": "p9", "device_key": "d9", "display_name": "x"}),
        (c.CheckOut, {"participant_id": "p1"}),
        (c.RaiseIssue, {"issue_id": "i9", "text": "t", "source": "phone"}),
        (c.UpdateSession, {"title": "x"}),
    ]:
        live.reject(E.SESSION_CLOSED, cls, **fields)


def test_join_checks_in_and_numbers_participants(h: Harness) -> None:
    events = h.run(
        c.JoinSession,
        participant_id="p6",
        device_key="dev-p6",
        display_name=" 張伯 ",
        building="3號樓",
        unit="2單元",
    )
    assert events == (
        e.ParticipantJoined(
            at=h.now,
            participant_id="p6",
            display_name="張伯",
            category="",
            building="3號樓",
            unit="2單元",
            device_key="dev-p6",
        ),
        e.ParticipantCheckedIn(at=h.now, participant_id="p6"),
    )
    person = h.state.participants["p6"]
    assert person.number == 8  # after p1..p5 and r1, r2
    assert person.has_device
    assert person.checked_in
    assert h.state.devices["dev-p6"] == "p6"
    assert h.state.checked_in == 6


def test_join_without_check_in(h: Harness) -> None:
    events = h.run(
        c.JoinSession, participant_id="p6", device_key="d6", display_name="x", check_in=False
    )
    assert [type(ev) for ev in events] == [e.ParticipantJoined]
    assert not h.state.participants["p6"].checked_in
    assert h.state.checked_in == 5


def test_a_returning_device_is_the_same_participant(h: Harness) -> None:
    # Same device, another id and name (a reloaded page): nothing new.
    again = {"participant_id": "p99", "device_key": "dev-p1", "display_name": "別名"}
    assert h.run(c.JoinSession, **again) == ()
    assert "p99" not in h.state.participants
    assert h.state.participants["p1"].display_name == "居民p1"
    # After checking out, coming back with the same device checks the same person in again.
    h.run(c.CheckOut, participant_id="p1")
    assert h.run(c.JoinSession, **again) == (e.ParticipantCheckedIn(at=h.now, participant_id="p1"),)
    assert h.state.checked_in == 5
    assert h.run(c.JoinSession, **again, check_in=False) == ()


def test_join_refusals(h: Harness) -> None:
    base = {"participant_id": "p6", "device_key": "d6", "display_name": "x"}
    h.reject(E.INVALID_VALUE, c.JoinSession, **{**base, "device_key": ""})
    h.reject(E.INVALID_VALUE, c.JoinSession, **{**base, "device_key": "k" * 129})
    h.reject(E.DUPLICATE_ID, c.JoinSession, **{**base, "participant_id": "p1"})
    h.reject(E.INVALID_VALUE, c.JoinSession, **{**base, "participant_id": ""})
    h.reject(E.TEXT_EMPTY, c.JoinSession, **{**base, "display_name": "  "})
    h.reject(E.TEXT_TOO_LONG, c.JoinSession, **{**base, "display_name": "名" * 41})
    h.reject(E.TEXT_TOO_LONG, c.JoinSession, **{**base, "building": "樓" * 41})


def test_roster_entry_has_no_device_and_may_check_in(h: Harness) -> None:
    events = h.run(
        c.AddRosterEntry, participant_id="r3", display_name="王奶奶", category="居民代表"
    )
    assert events == (
        e.ParticipantJoined(
            at=h.now,
            participant_id="r3",
            display_name="王奶奶",
            category="居民代表",
            building="",
            unit="",
            device_key="",
        ),
    )
    assert not h.state.participants["r3"].has_device
    assert "" not in h.state.devices
    h.run(c.AddRosterEntry, participant_id="r4", display_name="劉阿姨", check_in=True)
    assert h.state.participants["r4"].checked_in
    assert h.state.checked_in == 6
    h.reject(E.DUPLICATE_ID, c.AddRosterEntry, participant_id="r4", display_name="y")


def test_update_participant(h: Harness) -> None:
    event = h.one(c.UpdateParticipant, participant_id="p1", display_name="張伯", unit="3單元")
    assert event == e.ParticipantUpdated(
        at=h.now,
        participant_id="p1",
        display_name="張伯",
        category="",
        building="1號樓",
        unit="3單元",
    )
    assert h.state.participants["p1"].display_name == "張伯"
    h.reject(E.UNKNOWN_PARTICIPANT, c.UpdateParticipant, participant_id="nobody")
    h.reject(E.TEXT_EMPTY, c.UpdateParticipant, participant_id="p1", display_name="")


def test_check_in_and_out(h: Harness) -> None:
    assert h.run(c.CheckIn, participant_id="r1") == (
        e.ParticipantCheckedIn(at=h.now, participant_id="r1"),
    )
    assert h.state.checked_in == 6
    h.reject(E.ALREADY_CHECKED_IN, c.CheckIn, participant_id="r1")
    h.reject(E.UNKNOWN_PARTICIPANT, c.CheckIn, participant_id="ghost")
    assert h.run(c.CheckOut, participant_id="r1") == (
        e.ParticipantCheckedOut(at=h.now, participant_id="r1"),
    )
    assert h.state.checked_in == 5
    assert not h.state.participants["r1"].checked_in
    h.reject(E.NOT_CHECKED_IN_YET, c.CheckOut, participant_id="r1")
    h.reject(E.UNKNOWN_PARTICIPANT, c.CheckOut, participant_id="ghost")


def test_walk_ins_add_to_present(h: Harness) -> None:
    assert h.run(c.SetWalkInCount, count=37) == (e.WalkInCountSet(at=h.now, count=37),)
    assert (h.state.walk_ins, h.state.present) == (37, 42)
    h.run(c.SetWalkInCount, count=30)  # replaces, does not add
    assert h.state.present == 35
    assert h.run(c.SetWalkInCount, count=30) == ()  # the same count again changes nothing
    for bad in (-1, 100_001, True, 2.5):
        h.reject(E.INVALID_VALUE, c.SetWalkInCount, count=bad)


def test_walk_ins_cannot_drop_below_the_votes_already_counted(live: Harness) -> None:
    live.run(c.SetWalkInCount, count=4)
    live.poll()
    live.hands(yes=4, no=3)
    live.vote("p1", "yes")  # 8 voters; 9 present
    error = live.reject(E.OVER_CAPACITY, c.SetWalkInCount, count=2)
    assert error.params == {"total": 8, "present": 7}
    assert "8 voters but only 7 people" in error.message
    live.run(c.SetWalkInCount, count=3)  # exactly as many present as voters
    assert live.state.present == 8
    live.hands(yes=0)  # the volunteer recounts: nobody without a phone voted
    live.run(c.SetWalkInCount, count=0)
    assert live.state.present == 5


def test_check_out_cannot_leave_more_votes_than_people(make: Callable[..., Harness]) -> None:
    h = make(phones=3, start_first=True)
    h.poll()
    h.vote("p1", "yes")
    h.vote("p2", "no")
    h.run(c.CheckOut, participant_id="p3")  # 2 voters, 2 present
    error = h.reject(E.OVER_CAPACITY, c.CheckOut, participant_id="p2")
    assert error.params == {"total": 2, "present": 1}
    h.close_poll()
    h.run(c.CheckOut, participant_id="p2")  # the vote is over
    assert h.state.present == 1


def test_decide_does_not_touch_the_state(h: Harness) -> None:
    before = h.state
    events = decide(before, h.cmd(c.CheckIn, participant_id="r1"))
    assert events == (e.ParticipantCheckedIn(at=h.now, participant_id="r1"),)
    assert h.state is before
    assert not before.participants["r1"].checked_in


def test_engine_replay_and_apply(h: Harness) -> None:
    again = SessionEngine.replay(h.log)
    assert again.state == h.state
    assert again.state.version == len(h.log)
    events = again.decide(h.cmd(c.CheckIn, participant_id="r1"))
    assert again.state.version == len(h.log)  # decide alone does not apply
    state = again.apply(events)
    assert state.participants["r1"].checked_in
    assert state.version == len(h.log) + 1
    with pytest.raises(ValueError, match="before SessionCreated"):
        SessionEngine.replay(h.log[1:])


# --- personal invitations and linking a phone to a roster entry ------------------------------


def test_an_invited_phone_becomes_the_roster_entry(h: Harness) -> None:
    assert h.one(c.InviteRosterEntry, participant_id="r1", invite_key="ik1") == e.RosterInvited(
        at=h.now, participant_id="r1", invite_key="ik1"
    )
    present = h.state.present
    join = {
        "participant_id": "p-new",
        "device_key": "dev-r1",
        "display_name": "",
        "invite_key": "ik1",
    }
    assert h.run(c.JoinSession, **join) == (
        e.DeviceLinked(at=h.now, participant_id="r1", device_key="dev-r1", from_participant_id=""),
        e.ParticipantCheckedIn(at=h.now, participant_id="r1"),
    )
    entry = h.state.participants["r1"]
    assert entry.has_device and entry.checked_in and entry.display_name == "代表r1"
    assert h.state.devices["dev-r1"] == "r1" and "p-new" not in h.state.participants
    assert h.state.present == present + 1
    assert dict(h.state.invites) == {}  # used: it cannot bind a second phone
    # the same phone, back with its card, is simply the same person
    assert h.run(c.JoinSession, **join) == ()
    h.run(c.CheckOut, participant_id="r1")
    assert h.run(c.JoinSession, **join) == (e.ParticipantCheckedIn(at=h.now, participant_id="r1"),)
    # and without the card too: the device is known
    assert h.run(c.JoinSession, **{**join, "invite_key": ""}) == ()
    assert h.replayed() == h.state


def test_a_card_on_a_second_phone_or_a_replaced_card_is_refused(h: Harness) -> None:
    h.run(c.InviteRosterEntry, participant_id="r1", invite_key="old")
    h.run(c.InviteRosterEntry, participant_id="r1", invite_key="new")  # the lost card replaced
    assert dict(h.state.invites) == {"new": "r1"}
    join = {"participant_id": "x", "device_key": "dev-x", "display_name": "", "invite_key": "old"}
    err = h.reject(E.INVITE_UNKNOWN, c.JoinSession, **join)
    assert "moderator" in err.message
    h.run(c.JoinSession, **{**join, "invite_key": "new"})
    h.run(c.InviteRosterEntry, participant_id="r2", invite_key="r2-card")
    # someone else's phone trying r1's (now used) card, or inviting r1 again, is refused
    h.reject(E.INVITE_UNKNOWN, c.JoinSession, **{**join, "device_key": "dev-y"})
    err = h.reject(E.HAS_PHONE, c.InviteRosterEntry, participant_id="r1", invite_key="again")
    assert "代表r1" in err.message
    h.reject(E.INVALID_VALUE, c.InviteRosterEntry, participant_id="r2", invite_key="")
    h.reject(E.INVALID_VALUE, c.InviteRosterEntry, participant_id="r2", invite_key="r2-card")
    h.reject(E.UNKNOWN_PARTICIPANT, c.InviteRosterEntry, participant_id="nobody", invite_key="k")


def test_an_invitation_for_an_entry_linked_meanwhile_is_refused(h: Harness) -> None:
    h.run(c.InviteRosterEntry, participant_id="r1", invite_key="card")
    # the moderator linked the phone p5 to r1 before the card was used: the card is spent
    h.run(c.LinkDevice, participant_id="r1", from_participant_id="p5")
    join = {"participant_id": "x", "device_key": "dev-x", "display_name": "", "invite_key": "card"}
    h.reject(E.INVITE_UNKNOWN, c.JoinSession, **join)


def test_an_invited_phone_that_joined_plainly_first_is_merged(h: Harness) -> None:
    """She scanned the room's code first, then her card: one person, the roster's."""
    h.run(c.InviteRosterEntry, participant_id="r2", invite_key="card")
    checked_in = h.state.checked_in
    join = {"participant_id": "x", "device_key": "dev-p5", "display_name": "", "invite_key": "card"}
    assert h.run(c.JoinSession, **join) == (
        e.DeviceLinked(
            at=h.now, participant_id="r2", device_key="dev-p5", from_participant_id="p5"
        ),
        e.ParticipantCheckedIn(at=h.now, participant_id="r2"),
    )
    assert "p5" not in h.state.participants and h.state.devices["dev-p5"] == "r2"
    assert h.state.checked_in == checked_in  # p5 went, r2 came: the same head count
    assert h.replayed() == h.state


def test_the_moderator_links_a_phone_to_a_roster_entry(h: Harness) -> None:
    h.run(c.CheckIn, participant_id="r1")  # ticked on the paper list, then she scanned the code
    present = h.state.present
    assert h.run(c.LinkDevice, participant_id="r1", from_participant_id="p4") == (
        e.DeviceLinked(
            at=h.now, participant_id="r1", device_key="dev-p4", from_participant_id="p4"
        ),
    )
    assert h.state.present == present - 1  # she had been counted twice; now once
    assert h.state.participants["r1"].has_device
    numbers = [p.number for p in h.state.participants.values()]
    h.join("p9")
    assert h.state.participants["p9"].number not in numbers  # numbers are never reused
    assert h.replayed() == h.state


def test_linking_refusals(live: Harness) -> None:
    h = live
    h.run(c.RaiseHand, entry_id="q1", participant_id="p2")
    err = h.reject(E.TOOK_PART, c.LinkDevice, participant_id="r1", from_participant_id="p2")
    assert "居民p2" in err.message
    h.reject(E.NO_PHONE, c.LinkDevice, participant_id="r1", from_participant_id="r2")
    h.run(c.LinkDevice, participant_id="r1", from_participant_id="p3")
    h.reject(E.HAS_PHONE, c.LinkDevice, participant_id="r1", from_participant_id="p4")
    h.reject(E.UNKNOWN_PARTICIPANT, c.LinkDevice, participant_id="r1", from_participant_id="p3")
    h.reject(E.UNKNOWN_PARTICIPANT, c.LinkDevice, participant_id="zz", from_participant_id="p4")


@pytest.mark.parametrize(
    "took_part",
    ["ballot", "issue", "support", "opinion", "claim", "rating"],
)
def test_any_part_taken_keeps_a_phone_from_being_merged(
    make: Callable[..., Harness], took_part: str
) -> None:
    h = make(phones=3, roster=1, start_first=True)
    if took_part == "ballot":
        h.poll()
        h.run(c.CastBallot, poll_id="v1", participant_id="p1", choices=("yes",))
    elif took_part in ("issue", "support"):
        raiser = "p2" if took_part == "support" else "p1"
        h.run(
            c.RaiseIssue,
            issue_id="i1",
            text="路燈",
            source=IssueSource.PHONE,
            participant_id=raiser,
        )
        if took_part == "support":
            h.run(c.SupportIssue, issue_id="i1", participant_id="p1")
    elif took_part == "opinion":
        h.run(c.RecordOpinion, opinion_id="o1", stance=Stance.FOR, text="贊成", participant_id="p1")
    elif took_part == "claim":
        h.run(c.AddActionItem, action_id="x1", title="修燈", owner="")
        h.run(c.ClaimActionItem, action_id="x1", participant_id="p1")
    else:
        h.run(c.OpenRating)
        h.run(c.RateSession, participant_id="p1", stars=4)
    h.reject(E.TOOK_PART, c.LinkDevice, participant_id="r1", from_participant_id="p1")


def test_a_link_cannot_leave_more_votes_than_people(make: Callable[..., Harness]) -> None:
    h = make(phones=2, roster=1, start_first=True)
    h.run(c.CheckIn, participant_id="r1")
    h.poll()
    h.run(c.RecordHandCount, poll_id="v1", counts=(("yes", 2), ("no", 0), ("abstain", 1)))
    h.reject(E.OVER_CAPACITY, c.LinkDevice, participant_id="r1", from_participant_id="p2")
