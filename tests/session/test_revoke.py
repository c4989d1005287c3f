"""The moderator takes a participant's phones away (a lost, stolen or shared token)."""

from __future__ import annotations

from facilitator.session import commands as c
from facilitator.session import events as e
from facilitator.session.errors import ErrorCode as E
from tests.session.session_kit import Harness


def test_revoked_devices_are_nobody_and_the_person_keeps_what_they_did(live: Harness) -> None:
    h = live
    h.poll()
    h.run(c.CastBallot, poll_id="v1", participant_id="p1", choices=("yes",))
    assert h.run(c.RevokeDevices, participant_id="p1") == (
        e.DevicesRevoked(at=h.now, participant_id="p1", device_keys=("dev-p1",)),
    )
    assert "dev-p1" not in h.state.devices
    person = h.state.participants["p1"]
    assert not person.has_device and person.checked_in  # still in the room, still counted
    assert h.state.polls["v1"].ballots["p1"].choices == ("yes",)  # their ballot stays theirs
    # the old token joins as nobody: a new participant, never p1
    h.run(c.JoinSession, participant_id="p9", device_key="dev-p1", display_name="拿到手機的人")
    assert h.state.devices["dev-p1"] == "p9" and h.state.participants["p1"].checked_in
    assert h.replayed() == h.state


def test_a_revoked_participant_can_be_given_a_phone_again(h: Harness) -> None:
    h.run(c.RevokeDevices, participant_id="p2")
    h.run(c.LinkDevice, participant_id="p2", from_participant_id="p3")
    assert h.state.devices["dev-p3"] == "p2"
    assert h.replayed() == h.state


def test_revoke_refusals(h: Harness) -> None:
    err = h.reject(E.NO_PHONE, c.RevokeDevices, participant_id="r1")  # a roster entry
    assert "代表r1" in err.message
    h.reject(E.UNKNOWN_PARTICIPANT, c.RevokeDevices, participant_id="nobody")
    h.run(c.RevokeDevices, participant_id="p1")
    h.reject(E.NO_PHONE, c.RevokeDevices, participant_id="p1")  # already done
