"""A standby for several sessions (``serve --session A --session B --takeover``): the process that
served both is killed with SIGKILL, and the standby takes both over, each on its own socket."""

from __future__ import annotations

import dataclasses
import signal
import urllib.request
from pathlib import Path

import pytest

from facilitator.hub import Hub
from facilitator.services import session_command
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, free_port, wait_for
from tests.server.server_kit import AGENDA

pytestmark = pytest.mark.e2e


def test_a_standby_takes_over_every_session_of_the_process_that_died(tmp_path: Path) -> None:
    db = tmp_path / "district.db"
    with EventStore.open(db) as store:
        hub = Hub(store)
        for title in ("停車收費", "垃圾分類"):
            hub.create(session_command(dataclasses.replace(AGENDA, title=title), store))
        hub.close()
        codes = sorted(info.join_code for info in store.sessions())
    both = ("--session", codes[0], "--session", codes[1], "--db", db, "--host", "127.0.0.1")
    owner = Serve(tmp_path, *both, "--port", free_port())
    standby: Serve | None = None
    try:
        first = owner.wait_ready()
        standby = Serve(tmp_path, *both, "--port", free_port(), "--takeover", "--lang", "en")
        waiting = standby
        wait_for(lambda: waiting.err.read_text(encoding="utf-8").count("Standing by") == 2)
        owner.process.send_signal(signal.SIGKILL)
        owner.process.wait(timeout=10)
        took = standby.wait_ready()
        assert sorted(s["join_code"] for s in took["sessions"]) == codes
        assert {s["session_id"] for s in took["sessions"]} == {
            s["session_id"] for s in first["sessions"]
        }
        for session in took["sessions"]:
            path = f"{took['url']}{session['prefix']}/socket.io/?EIO=4&transport=polling"
            with urllib.request.urlopen(path, timeout=10) as answer:  # its own socket answers
                assert answer.status == 200 and answer.read().startswith(b"0{")
        said = standby.err.read_text(encoding="utf-8")
        assert said.count("taking the session over here") == 2
        standby.process.send_signal(signal.SIGTERM)
        assert standby.process.wait(timeout=10) == 0
    finally:
        owner.stop()
        if standby is not None:
            standby.stop()
