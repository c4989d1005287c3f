"""What phones, displays and moderators are told about a poll: a running tally a secret ballot
hides until it closes, the live quorum, and decisions that name their winner or their tie."""

from __future__ import annotations

from facilitator.server import PROTOCOL_VERSION
from tests.server.server_kit import Live


async def test_a_secret_ballot_hides_its_running_tally_from_phones_and_the_display(
    live: Live,
) -> None:
    moderator = await live.moderator()
    phone = await live.resident("A")
    display = await live.connect("/display", {"v": PROTOCOL_VERSION, "lang": "en"})
    opened = await moderator.call("command", type="OpenPoll", question="加裝電梯？", secret=True)
    poll_id = opened["ids"]["poll_id"]
    assert (await phone.call("vote", poll_id=poll_id, choices=["yes"]))["ok"]
    await moderator.until(lambda: moderator.state["poll"]["totals"] == [1, 0, 0])
    await phone.until(lambda: phone.state["poll"]["voters"] == 1)
    await display.until(lambda: display.state["poll"]["voters"] == 1)
    for client in (phone, display):
        assert client.state["poll"]["hide_tally"] is True
        assert client.state["poll"]["totals"] is None  # how many voted, not for what
    assert moderator.state["polls"][0]["totals"] == [1, 0, 0]
    await moderator.call("command", type="ClosePoll", poll_id=poll_id)
    await phone.until(lambda: phone.state["last_poll"]["totals"] == [1, 0, 0])
    await display.until(lambda: display.state["last_poll"]["totals"] == [1, 0, 0])
    assert phone.state["last_poll"]["outcome"] == display.state["last_poll"]["outcome"] == "passed"


async def test_a_named_poll_or_one_that_asks_shows_its_tally(live: Live) -> None:
    moderator = await live.moderator()
    phone = await live.resident("A")
    opened = await moderator.call(
        "command", type="OpenPoll", question="公開計票？", secret=True, hide_tally=False
    )
    await phone.call("vote", poll_id=opened["ids"]["poll_id"], choices=["no"])
    await phone.until(lambda: phone.state["poll"]["totals"] == [0, 1, 0])


async def test_phones_see_the_quorum_while_the_poll_is_open(live: Live) -> None:
    moderator = await live.moderator()
    phone = await live.resident("A")
    await live.command("SetWalkInCount", count=7)
    await moderator.call(
        "command", type="OpenPoll", question="Q", quorum={"rule": "count", "count": 9}
    )
    await phone.until(lambda: phone.state["poll"]["quorum"]["counted"] == 8)
    assert phone.state["poll"]["quorum"] == {
        "counted": 8,
        "required": 9,
        "present": 8,
        "met": False,
        "counts_voters": False,
    }
    await live.command("SetWalkInCount", count=8)
    await phone.until(lambda: phone.state["poll"]["quorum"]["met"] is True)


async def test_a_tied_choice_names_the_tied_options(live: Live) -> None:
    moderator = await live.moderator()
    phone = await live.resident("A")
    await live.command("SetWalkInCount", count=10)
    opened = await moderator.call(
        "command",
        type="OpenPoll",
        question="哪條路線？",
        kind="single",
        options=["沿牆", "地下", "暫緩"],
        threshold={"rule": "plurality"},
    )
    poll_id = opened["ids"]["poll_id"]
    counts = [["沿牆", 4], ["地下", 4], ["暫緩", 1]]
    assert (
        await moderator.call("command", type="RecordHandCount", poll_id=poll_id, counts=counts)
    )["ok"]
    await moderator.call("command", type="ClosePoll", poll_id=poll_id)
    await phone.until(lambda: phone.state["last_poll"] is not None)
    last = phone.state["last_poll"]
    assert (last["outcome"], last["winner"], last["tied"]) == ("tie", None, ["沿牆", "地下"])
    assert last["threshold"] == {"rule": "plurality", "num": 1, "den": 2}
