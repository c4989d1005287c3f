"""Nobody where they don't belong: the authorization matrix, attacked from real sockets.

Every moderator command (each command type the wire knows) sent from a phone is refused with
``forbidden`` and changes nothing; a phone cannot act as another participant; a display acts not
at all; votes obey check-in, finality and closing; a secret ballot's voter reaches no one.

Token policy (docs/reliability.md): a device token *is* the participant. Two connections with one
token are one participant (harmless: one ballot, one allowance); a guessed token that nobody holds
is just a new, unjoined phone; tokens are never sent to anyone, so one cannot be learnt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import types
from enum import StrEnum
from typing import Any, Union, get_args, get_origin

import aiohttp
import pytest

from facilitator.server import actions, generic
from facilitator.server.participant import device_key
from facilitator.session.access import PHONE_COMMANDS
from tests.reliability.rel_kit import record_figures
from tests.server.server_kit import Client, Live

MODERATOR_ONLY = sorted(name for name, cls in generic.COMMANDS.items() if cls not in PHONE_COMMANDS)
PHONE_OWN = sorted(
    name
    for name, cls in generic.COMMANDS.items()
    if PHONE_COMMANDS.get(cls) == "participant_id"  # commands naming their participant
)


def sample(hint: Any, name: str, ids: dict[str, str]) -> Any:
    """A well-formed JSON value for a command field, so the refusal is about *who*, not *what*."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return sample(next(a for a in get_args(hint) if a is not type(None)), name, ids)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return [sample(args[0], name, ids)] if name == "choices" else []
        return [sample(a, name, ids) for a in args]
    if hint is bool:
        return False
    if hint is int:
        return 1
    if hint is dt.date:
        return "2026-07-01"
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return next(iter(hint)).value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {}
    return ids.get(name, "yes" if name == "choices" else "x")


def payload_for(name: str, ids: dict[str, str]) -> dict[str, Any]:
    cls = generic.COMMANDS[name]
    fields = {
        field: sample(hint, field, ids)
        for field, (hint, required) in generic._fields(cls).items()
        if field != "at" and (required or field in ids)
    }
    return {"rid": secrets.token_hex(6), "type": name, **fields}


async def _setting(live: Live) -> tuple[Client, Client, dict[str, str]]:
    a, b = await live.resident("A"), await live.resident("B")
    issue = (await a.call("raise_issue", text="路燈"))["issue_id"]
    hand = (await b.call("raise_hand"))["entry_id"]
    poll = (await live.command("OpenPoll", question="Q", changeable=False)).events[0].poll_id
    action = (await live.command("AddActionItem", title="修燈")).events[0].action_id
    ids = {
        "participant_id": b.me["id"],
        "issue_id": issue,
        "into_issue_id": issue,
        "poll_id": poll,
        "entry_id": hand,
        "action_id": action,
    }
    return a, b, ids


async def test_every_moderator_command_from_a_phone_is_forbidden(live: Live) -> None:
    phone, _, ids = await _setting(live)
    refused = 0
    for name in MODERATOR_ONLY:
        before = live.hub.state(live.session_id).version
        ack = await phone.call("command", payload_for(name, ids))
        assert ack["ok"] is False and ack["error"] == "forbidden", (name, ack)
        assert live.hub.state(live.session_id).version == before, name
        refused += 1
    assert refused == len(MODERATOR_ONLY) > 30  # every command type, not a sample
    record_figures("authorization", moderator_commands_refused_from_a_phone=refused)


@pytest.mark.parametrize("name", PHONE_OWN)
async def test_a_phone_cannot_act_as_someone_else(live: Live, name: str) -> None:
    phone, _, ids = await _setting(live)
    before = live.hub.state(live.session_id).version
    ack = await phone.call("command", payload_for(name, ids))  # participant_id: the other's
    assert ack["error"] == "forbidden", ack
    assert live.hub.state(live.session_id).version == before


async def test_no_second_door_into_the_roster_or_the_queue(live: Live) -> None:
    phone, _, ids = await _setting(live)
    before = live.hub.state(live.session_id).version
    # JoinSession through the generic door could bind a participant to any device key.
    join = {"participant_id": "p-evil", "device_key": "k" * 64, "display_name": "Evil"}
    ack = await phone.call("command", {"rid": "j", "type": "JoinSession", **join})
    assert ack["error"] == "forbidden"
    # Lowering someone else's hand.
    ack = await phone.call(
        "command", {"rid": "l", "type": "LowerHand", "entry_id": ids["entry_id"]}
    )
    assert ack["error"] == "forbidden"
    # A client message named like a lifecycle event is just an unknown event: it neither frees
    # its place under the connection cap nor forgets (or swaps) who the phone is.
    count = live.server.connections
    for event in ("disconnect", "connect"):
        ack = await phone.call(event, {"v": 1, "token": secrets.token_hex(16)})
        assert ack["error"] == "unknown_event", ack
    assert live.server.connections == count
    assert (await phone.call("sync"))["me"]["id"] == phone.me["id"]
    assert live.hub.state(live.session_id).version == before


async def test_a_display_never_acts(live: Live) -> None:
    display = await live.connect("/display", {"v": 1})
    before = live.hub.state(live.session_id).version
    for event in [*actions.PHONE_EVENTS, "join", "command", "set_lang"]:
        ack = await display.call(event, {"rid": "r", "type": "CloseSession", "name": "X"})
        assert ack["error"] == "forbidden", (event, ack)
    assert live.hub.state(live.session_id).version == before


async def test_votes_obey_check_in_finality_and_closing(live: Live) -> None:
    phone, other, ids = await _setting(live)
    poll = ids["poll_id"]
    assert (await phone.call("check_out"))["ok"]
    assert (await phone.call("vote", poll_id=poll, choices=["yes"]))["error"] == "not_checked_in"
    assert (await phone.call("check_in"))["ok"]
    assert (await phone.call("vote", poll_id=poll, choices=["yes"]))["ok"]
    assert (await phone.call("vote", poll_id=poll, choices=["no"]))["error"] == "ballot_final"
    # Two browsers, one token: one person, one ballot.
    twin = await live.phone(token=None)
    assert (await twin.call("vote", poll_id=poll, choices=["no"]))["error"] == "not_joined"
    await live.command("ClosePoll", poll_id=poll)
    assert (await other.call("vote", poll_id=poll, choices=["no"]))["error"] == "poll_closed"
    tally = live.hub.state(live.session_id).polls[poll]
    assert tally.voters == 1 and list(tally.totals)[:2] == [1, 0]


async def test_one_token_on_two_connections_is_one_participant(live: Live) -> None:
    token = secrets.token_hex(16)
    first = await live.resident("張伯", token)
    second = await live.phone(token)  # the same token in a second browser
    assert second.me["id"] == first.me["id"]
    poll = (await live.command("OpenPoll", question="Q", changeable=True)).events[0].poll_id
    assert (await first.call("vote", poll_id=poll, choices=["yes"]))["ok"]
    assert (await second.call("vote", poll_id=poll, choices=["no"]))["ok"]  # a change, not a 2nd
    tally = live.hub.state(live.session_id).polls[poll]
    assert tally.voters == 1 and list(tally.totals) == [0, 1, 0]
    assert (await second.call("join", name="Someone else"))["me"]["name"] == "張伯"
    guessed = await live.phone()  # a token nobody holds: a new, unjoined phone
    assert guessed.me == {"joined": False}


async def test_a_secret_ballot_reaches_no_one_else(live: Live) -> None:
    token = secrets.token_hex(16)
    voter = await live.resident("投票人", token)
    watcher = await live.resident("旁觀者")
    display = await live.connect("/display", {"v": 1})
    moderator = await live.moderator()
    poll = (await live.command("OpenPoll", question="Q", secret=True)).events[0].poll_id
    assert (await voter.call("vote", poll_id=poll, choices=["no"]))["ok"]
    await watcher.until(lambda: watcher.state["poll"]["voters"] == 1)
    await display.until(lambda: display.state["poll"]["voters"] == 1)
    await moderator.until(lambda: moderator.state["poll"]["voters"] == 1)
    pid = voter.me["id"]
    seen_by_others = json.dumps([watcher.states, watcher.mes, display.states], ensure_ascii=False)
    assert pid not in seen_by_others  # no participant id at all reaches another phone
    assert token not in seen_by_others and device_key(token) not in seen_by_others
    assert "ballots" not in json.dumps(watcher.states + display.states + moderator.states)
    assert watcher.me["ballots"] == {}
    assert "ballots" not in json.dumps((await moderator.call("sync"))["state"])


async def test_the_moderators_doors_need_the_token(live: Live) -> None:
    wrong = await live.connect("/moderator", {"v": 1, "token": "guess" * 8})
    assert wrong.refused and wrong.refused[0]["error"] == "forbidden"
    async with aiohttp.ClientSession() as session:
        for query in ("", "?token=", "?token=" + "x" * 32):
            async with session.get(live.url + "/sheet" + query) as response:
                assert response.status == 403
