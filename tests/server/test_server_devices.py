"""One person, several connections: every connection hears of a change made from another one,
each knows on how many devices the person is connected, and the moderator can take the
devices away."""

from __future__ import annotations

import secrets

from tests.server.server_kit import Live


async def test_the_other_connection_gets_the_new_me(live: Live) -> None:
    """A ballot, a support and a check-out made on one phone reach the person's other phone
    (the ack used to count as the push, so the other phone kept the old ``me``)."""
    token = secrets.token_hex(16)
    phone = await live.resident("張伯", token)
    tablet = await live.phone(token)
    await tablet.until(lambda: tablet.me.get("joined") is True)
    issue = (await live.command("RaiseIssue", text="路燈", source="moderator")).events[0].issue_id
    assert (await tablet.call("support", issue_id=issue))["ok"]
    await phone.until(lambda: issue in phone.me["supports"])
    assert (await phone.call("check_out"))["ok"]
    await tablet.until(lambda: tablet.me["checked_in"] is False)
    assert (await tablet.call("check_in"))["ok"]
    await phone.until(lambda: phone.me["checked_in"] is True)
    poll = (await live.command("OpenPoll", question="加裝電梯？")).events[0].poll_id
    assert (await phone.call("vote", poll_id=poll, choices=["yes"]))["ok"]
    await tablet.until(lambda: tablet.me["ballots"].get(poll) == ["yes"])


async def test_the_acting_connection_is_not_sent_its_own_me_again(live: Live) -> None:
    phone = await live.resident("A")
    pushed = len(phone.mes)
    ack = await phone.call("raise_hand")
    assert ack["ok"]
    mes = len(phone.mes)  # the ack's me is recorded as one
    await live.command("SetWalkInCount", count=2)  # something that changes nobody's me
    await phone.until(lambda: phone.state["present"] == 3)
    assert len(phone.mes) == mes == pushed + 1, [
        (m.get("devices"), m.get("hand")) for m in phone.mes
    ]


async def test_each_connection_knows_on_how_many_devices_the_person_is(live: Live) -> None:
    token = secrets.token_hex(16)
    phone = await live.resident("A", token)
    assert phone.me["devices"] == 1
    tablet = await live.phone(token)
    await tablet.until(lambda: tablet.me.get("devices") == 2)
    await phone.until(lambda: phone.me["devices"] == 2)
    laptop = await live.phone(token)
    await phone.until(lambda: phone.me["devices"] == 3)
    await laptop.close()
    await tablet.close()
    await phone.until(lambda: phone.me["devices"] == 1)
    other = await live.resident("B")
    assert other.me["devices"] == 1  # another person's count is their own


async def test_the_moderator_revokes_a_participants_devices(live: Live) -> None:
    """A stolen or shared token: after the revocation it joins as nobody."""
    token = secrets.token_hex(16)
    phone = await live.resident("張伯", token)
    copy = await live.phone(token)
    await copy.until(lambda: copy.me.get("joined") is True)
    pid = phone.me["id"]
    poll = (await live.command("OpenPoll", question="加裝電梯？")).events[0].poll_id
    assert (await phone.call("vote", poll_id=poll, choices=["yes"]))["ok"]
    moderator = await live.moderator()
    ack = await moderator.call("command", type="RevokeDevices", participant_id=pid)
    assert ack["ok"] and ack["events"] == ["DevicesRevoked"], ack
    signed_out = {"joined": False, "revoked": True}
    await phone.until(lambda: phone.me == signed_out)
    await copy.until(lambda: copy.me == signed_out)
    assert (await phone.call("raise_hand"))["error"] == "not_joined"
    again = await live.phone(token)  # the old token, reconnecting
    assert again.me == {"joined": False}
    state = live.hub.state(live.session_id)
    assert not state.participants[pid].has_device and state.participants[pid].checked_in
    assert state.polls[poll].ballots[pid].choices == ("yes",)  # what they did stays theirs
    refused = await moderator.call("command", type="RevokeDevices", participant_id=pid)
    assert refused["error"] == "no_phone"


async def test_a_phone_may_not_revoke_anyone(live: Live) -> None:
    phone = await live.resident("A")
    other = await live.resident("B")
    for pid in (phone.me["id"], other.me["id"]):
        ack = await phone.call("command", type="RevokeDevices", participant_id=pid)
        assert ack["error"] == "forbidden"
