"""An agenda's quorum and categories reach the session it creates, and survive a reopen."""

from __future__ import annotations

from pathlib import Path

from facilitator.agenda import parse_agenda
from facilitator.hub import Hub
from facilitator.services.sessions import session_command
from facilitator.session.values import Quorum, QuorumRule
from facilitator.store import EventStore

AGENDA = """---
title: 廣場夜話：加裝電梯
kind: square_talk
quorum: 過半數在場
categories: 居民、黨員、社區兩委、物業、網格員
---

## 意見徵集（30分鐘）
"""


def test_the_agenda_sets_the_sessions_quorum_and_categories(tmp_path: Path) -> None:
    store = EventStore.open(tmp_path / "f.db")
    hub = Hub(store)
    command = session_command(parse_agenda(AGENDA), store)
    state = hub.create(command)
    assert state.quorum == Quorum(QuorumRule.PRESENT_MAJORITY)
    assert state.categories == ("居民", "黨員", "社區兩委", "物業", "網格員")
    hub.close()
    store.close()
    again = EventStore.open(tmp_path / "f.db")
    reopened = Hub(again)
    try:
        state = reopened.load(command.session_id)
        assert state.categories == ("居民", "黨員", "社區兩委", "物業", "網格員")
        assert state.quorum.rule is QuorumRule.PRESENT_MAJORITY
    finally:
        reopened.close()
        again.close()
