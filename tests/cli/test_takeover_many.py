"""A standby for several sessions (``serve --session A --session B --takeover``): the process that
served both is killed with SIGKILL, and the standby takes both over, each on its own socket; one
stopped while it waits leaves with status 0. ``serve --session`` refuses a code it does not
know and a damaged log with status 2, in the command's language."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import sqlite3
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from facilitator.hub import Hub
from facilitator.services import session_command
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, facilitator, free_port, wait_for
from tests.server.server_kit import AGENDA

pytestmark = pytest.mark.e2e


def two_sessions(db: Path) -> list[str]:
    """Two sessions in ``db``: their join codes."""
    with EventStore.open(db) as store:
        hub = Hub(store)
        for title in ("停車收費", "垃圾分類"):
            hub.create(session_command(dataclasses.replace(AGENDA, title=title), store))
        hub.close()
        return sorted(info.join_code for info in store.sessions())


def log_size(db: Path) -> list[int]:
    with EventStore.open(db) as store:
        return sorted(store.last_seq(s.session_id) for s in store.sessions())


@dataclass
class Pair:
    """A process serving two sessions and a standby for both, standing by."""

    db: Path
    codes: list[str]
    owner: Serve
    first: dict[str, Any]
    standby: Serve


@contextlib.contextmanager
def owner_and_standby(tmp_path: Path) -> Iterator[Pair]:
    db = tmp_path / "district.db"
    codes = two_sessions(db)
    both = ("--session", codes[0], "--session", codes[1], "--db", db, "--host", "127.0.0.1")
    owner = Serve(tmp_path, *both, "--port", free_port())
    standby: Serve | None = None
    try:
        first = owner.wait_ready()
        standby = Serve(tmp_path, *both, "--port", free_port(), "--takeover", "--lang", "en")
        waiting = standby
        wait_for(lambda: waiting.err.read_text(encoding="utf-8").count("Standing by") == 2)
        yield Pair(db, codes, owner, first, standby)
    finally:
        owner.stop()
        if standby is not None:
            standby.stop()


def test_a_standby_takes_over_every_session_of_the_process_that_died(tmp_path: Path) -> None:
    with owner_and_standby(tmp_path) as pair:
        owner, standby = pair.owner, pair.standby
        owner.process.send_signal(signal.SIGKILL)
        owner.process.wait(timeout=10)
        took = standby.wait_ready()
        assert sorted(s["join_code"] for s in took["sessions"]) == pair.codes
        assert {s["session_id"] for s in took["sessions"]} == {
            s["session_id"] for s in pair.first["sessions"]
        }
        for session in took["sessions"]:
            path = f"{took['url']}{session['prefix']}/socket.io/?EIO=4&transport=polling"
            with urllib.request.urlopen(path, timeout=10) as answer:  # its own socket answers
                assert answer.status == 200 and answer.read().startswith(b"0{")
        said = standby.err.read_text(encoding="utf-8")
        assert said.count("taking the session over here") == 2
        standby.process.send_signal(signal.SIGTERM)
        assert standby.process.wait(timeout=10) == 0


def test_a_standby_stopped_while_it_waits_leaves_with_nothing_changed(tmp_path: Path) -> None:
    with owner_and_standby(tmp_path) as pair:
        before = log_size(pair.db)
        pair.standby.process.send_signal(signal.SIGINT)
        assert pair.standby.process.wait(timeout=10) == 0
        assert "stopping…" in pair.standby.err.read_text(encoding="utf-8")
        assert log_size(pair.db) == before and pair.owner.process.poll() is None


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "no session 'NOPE42'"), ("zh-Hant", "NOPE42"), ("zh-Hans", "NOPE42")],
)
def test_serve_sessions_refuses_a_code_it_does_not_know(
    tmp_path: Path, lang: str, said: str
) -> None:
    db = tmp_path / "district.db"
    codes = two_sessions(db)
    before = log_size(db)
    refused = facilitator(
        "serve", "--session", codes[0], "--session", "NOPE42", "--db", db,
        "--host", "127.0.0.1", "--port", free_port(), "--lang", lang,
    )  # fmt: skip
    assert refused.returncode == 2 and said in refused.stderr
    assert ("no session" in refused.stderr) == (lang == "en")
    assert log_size(db) == before


def test_serve_sessions_names_a_damaged_log_and_serves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "district.db"
    codes = two_sessions(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET payload = '{' WHERE seq = 1")
    refused = facilitator(
        "serve", "--session", codes[0], "--db", db, "--host", "127.0.0.1",
        "--port", free_port(), "--lang", "en",
    )  # fmt: skip
    assert refused.returncode == 2
    assert f"the database {db} is damaged" in refused.stderr
    assert "Traceback" not in refused.stderr
