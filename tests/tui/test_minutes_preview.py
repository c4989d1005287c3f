"""The minutes preview reads the log through the hub's I/O worker, never on the console's thread.

The store's connection belongs to the hub's one I/O thread while the hub runs; a read from the
event loop thread at the same moment as a write would use one SQLite connection from two threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.hub import Hub
from facilitator.store import EventStore, StoredEvent
from facilitator.store.errors import CorruptEvent
from facilitator.tui.minutes import minutes_preview
from tests.hub.test_hub import AGENDA, Clock, opened


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    return Hub(EventStore.open(tmp_path / "preview.db"), clock=Clock())


async def test_the_preview_reads_on_the_hubs_io_thread(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await opened(hub)
    readers: list[str] = []
    original = hub.store.load

    def recording(session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]:
        readers.append(threading.current_thread().name)
        return original(session_id, after_seq=after_seq)

    monkeypatch.setattr(hub.store, "load", recording)
    text = await minutes_preview(hub, sid, "zh-Hant")
    assert AGENDA.title in text
    assert readers and all(name.startswith("facilitator-store") for name in readers)


async def test_an_unreadable_log_is_a_sentence_not_a_crash(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await opened(hub)

    def broken(session_id: str, *, after_seq: int = 0) -> Iterator[StoredEvent]:
        raise CorruptEvent(session_id, 3, "the payload does not decode")

    monkeypatch.setattr(hub.store, "load", broken)
    text = await minutes_preview(hub, sid, "en")
    assert "could not be read" in text and "nothing is lost" in text
