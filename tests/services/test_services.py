"""The shared services: personal invitations (issued once, for every door), ids and sessions.

The invitation flow is written once, in ``facilitator.services``: the console, the moderator's
namespace and the join sheet's page all call :func:`issue_cards` (checked on their source, so a
second copy cannot creep back in).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from facilitator.hub import Hub
from facilitator.services import (
    create_session,
    invitation_key,
    issue_cards,
    new_codes,
    new_id,
)
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore
from tests.hub.test_hub import AGENDA, T0, Clock

PACKAGE = Path(__file__).parents[2] / "facilitator"


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    return Hub(EventStore.open(tmp_path / "services.db"), clock=Clock())


async def roster(hub: Hub) -> str:
    sid = create_session(hub, AGENDA, T0.date())
    for n, name in enumerate(("王主任", "李委員"), start=1):
        entry = c.AddRosterEntry(at=T0, participant_id=f"r{n}", display_name=name)
        await hub.dispatch(sid, entry, MODERATOR)
    return sid


async def test_cards_carry_tokens_the_log_keeps_only_as_hashes(hub: Hub) -> None:
    sid = await roster(hub)
    issued = await issue_cards(hub, sid, "http://10.0.0.2:8080/j/ABC234", "zh-Hant")
    assert set(issued.links) == {"r1", "r2"}
    tokens = {pid: parse_qs(urlparse(url).query)["i"][0] for pid, url in issued.links.items()}
    assert all(url.startswith("http://10.0.0.2:8080/j/ABC234?i=") for url in issued.links.values())
    assert {invitation_key(t) for t in tokens.values()} == set(hub.state(sid).invites)
    stored = "".join(repr(s.event) for s in hub.store.load(sid))
    assert not any(token in stored for token in tokens.values())
    assert "王主任" in issued.page and "李委員" in issued.page and "<svg" in issued.page


async def test_issuing_again_replaces_the_cards_of_the_entries_named(hub: Hub) -> None:
    sid = await roster(hub)
    first = await issue_cards(hub, sid, "http://x/j/C", "en")
    again = await issue_cards(hub, sid, "http://x/j/C", "en", ["r1"])
    assert set(again.links) == {"r1"} and again.links["r1"] != first.links["r1"]
    assert len(hub.state(sid).invites) == 2


def test_ids_and_codes_are_fresh(hub: Hub) -> None:
    ids = {new_id("v-") for _ in range(200)}
    assert len(ids) == 200 and all(i.startswith("v-") for i in ids)
    join, numeric = new_codes(hub.store)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", join) and re.fullmatch(r"\d{4}", numeric)


@pytest.mark.parametrize(
    "path", ["server/pages.py", "server/namespaces.py", "tui/controller.py", "hub.py"]
)
def test_the_invitation_flow_is_written_once(path: str) -> None:
    source = (PACKAGE / path).read_text(encoding="utf-8")
    assert "InviteRosterEntry" not in source and "invitation_cards(" not in source
    assert "token_urlsafe" not in source
    if path != "hub.py":
        assert "issue_cards(" in source
