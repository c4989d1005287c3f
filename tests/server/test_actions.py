"""The phone actions' registry: each action is declared once and everything else derives from it.

These checks hold the table to its promises: every action's command is one a phone may send, each
builder reads only the payload fields its action declares (and reads all of them), an action that
creates something fills the declared field with a fresh id of the declared prefix, and every
allowance named is one the rate limiter knows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from facilitator.server import actions
from facilitator.server.actions import ACTIONS, JOIN, PhoneAction
from facilitator.server.generic import NEW_IDS
from facilitator.server.limits import RateLimits
from facilitator.session import commands as c
from facilitator.session.access import PHONE_COMMANDS
from facilitator.session.state import SessionState
from tests.session.session_kit import make_session

SAMPLES: dict[str, Any] = {"choices": ["yes"], "stars": 4}


class Recording(Mapping[str, Any]):
    """A payload holding a plausible value for every field, that notes which fields are read."""

    def __init__(self, fields: frozenset[str], leave_out: frozenset[str] = frozenset()) -> None:
        self.data = {f: SAMPLES.get(f, "x") for f in fields - leave_out} | {"rid": "r"}
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self.data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def waiting_state() -> SessionState:
    """A session where p1 has raised a hand (so ``lower_hand`` finds an entry)."""
    h = make_session(phones=2, start_first=True)
    h.run(c.RaiseHand, entry_id="q1", participant_id="p1")
    return h.state


EVERY = [JOIN, *ACTIONS.values()]


def test_every_action_sends_a_command_a_phone_may_send() -> None:
    assert {a.command for a in EVERY} == set(PHONE_COMMANDS)
    assert len({a.event for a in EVERY}) == len(EVERY)


@pytest.mark.parametrize("action", EVERY, ids=lambda a: a.event)
def test_an_action_reads_exactly_the_fields_it_declares(action: PhoneAction) -> None:
    state = waiting_state()
    read: set[str] = set()
    # joining with an invitation card reads only the card; without one, the person's details
    for leave_out in (frozenset(), frozenset({"invite"})):
        payload = Recording(action.fields, leave_out)
        command = action.command_of(payload, "p1", state, device_key="k" * 64)
        assert isinstance(command, action.command)
        read |= payload.read
    assert read == set(action.fields)


@pytest.mark.parametrize("action", [a for a in EVERY if a.creates], ids=lambda a: a.event)
def test_an_action_that_creates_names_a_fresh_id(action: PhoneAction) -> None:
    assert action.creates is not None
    field, prefix = action.creates
    payload = Recording(action.fields)
    first = action.command_of(payload, "p1", waiting_state(), device_key="k" * 64)
    second = action.command_of(payload, "p1", waiting_state(), device_key="k" * 64)
    assert getattr(first, field).startswith(prefix)
    assert getattr(first, field) != getattr(second, field)
    assert NEW_IDS[action.command] == action.creates  # the generic door fills the same field


def test_every_allowance_is_one_the_limiter_knows() -> None:
    limits = RateLimits()
    for kind in actions.RATE_KINDS.values():
        assert limits.of(kind).burst > 0
    charged = {a.event for a in ACTIONS.values() if a.rate}
    assert charged == {"raise_issue", "support", "withdraw", "raise_hand", "lower_hand"}


def test_the_derived_tables_follow_the_registry() -> None:
    assert tuple(ACTIONS) == actions.PHONE_EVENTS
    assert "join" not in ACTIONS  # joining is the namespace's own door (no participant yet)
    assert actions.RATE_KINDS[c.RaiseIssue] == "issue"
