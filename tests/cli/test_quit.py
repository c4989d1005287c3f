"""What ``facilitator run`` says on quit: where the session is kept; for a closed session where
its minutes are, and no "to carry on" hint; for an unfinished one the exact command that was run
(agenda path or --resume, --db, --host, --port, --minutes as given, shell-quoted)."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path

import pytest

from facilitator.cli import build_parser
from facilitator.cli._common import program
from facilitator.cli._lifecycle import prepare, write_minutes_on_close
from facilitator.cli.run import Outcome, carry_on_command, farewell
from facilitator.hub import Hub
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import EventStore
from tests.cli.cli_kit import write_agenda


def test_an_unfinished_session_gets_the_exact_command_that_was_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["facilitator"])  # typed as the shell finds it
    folder = tmp_path / "晚會 資料"  # a space and CJK: the hint must be quoted to paste
    folder.mkdir()
    agenda, db = write_agenda(folder, name="加裝 電梯.md"), folder / "my db.sqlite"
    argv = [
        "run",
        str(agenda),
        "--db",
        str(db),
        "--port",
        "8090",
        "--minutes",
        str(folder / "紀要"),
    ]
    args = build_parser().parse_args(argv)
    with EventStore.open(db) as store:
        hub = Hub(store)
        session_id = prepare(hub, store, agenda, None)
        lines = farewell(hub, session_id, args, Outcome(), "en")
        hub.close()
    assert lines[0].startswith("session “廣場夜話：加裝電梯意見徵集” (code ")
    assert f"is saved in {db}" in lines[0]
    assert lines[1] == f"to carry on: {shlex.join(['facilitator', *argv])}"
    assert shlex.split(lines[1].removeprefix("to carry on: "))[1:] == argv  # pastes back as typed
    resumed = build_parser().parse_args(["run", "--resume", "4711", "--host", "127.0.0.1"])
    assert carry_on_command(resumed, session_id) == (
        f"facilitator run --resume {session_id} --host 127.0.0.1"
    )


async def test_a_closed_session_says_where_its_minutes_are_and_no_carry_on(tmp_path: Path) -> None:
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    args = build_parser().parse_args(["run", str(agenda), "--db", str(db), "--minutes", "m"])
    args.minutes = tmp_path / "m"
    with EventStore.open(db) as store:
        hub = Hub(store)
        session_id = prepare(hub, store, agenda, None)
        outcome = Outcome()
        writing: set[asyncio.Task[None]] = set()

        def written(paths: tuple[Path, Path] | None, error: str) -> None:
            outcome.minutes = paths

        write_minutes_on_close(hub, session_id, args.minutes, written, writing)
        await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        await hub.dispatch(session_id, c.CloseSession(at=hub.clock()), MODERATOR)
        await asyncio.wait(list(writing))
        zh = farewell(hub, session_id, args, outcome, "zh-Hant")
        # quitting again later (the minutes written by an earlier run) says the same
        again = farewell(hub, session_id, args, Outcome(), "zh-Hant")
        hub.close()
    assert outcome.minutes is not None
    md, html = outcome.minutes
    assert md.exists() and html.exists()
    assert zh[1] == f"會議紀要：{md} 和 {html}"
    assert again == zh
    assert not any("繼續" in line for line in zh)  # no "to carry on" for a closed session


async def test_a_closed_session_without_minutes_says_how_to_write_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["facilitator"])
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    args = build_parser().parse_args(["run", str(agenda), "--db", str(db)])
    args.minutes = tmp_path / "nowhere"
    with EventStore.open(db) as store:
        hub = Hub(store)
        session_id = prepare(hub, store, agenda, None)
        numeric = hub.state(session_id).numeric_code
        await hub.dispatch(session_id, c.OpenSession(at=hub.clock()), MODERATOR)
        await hub.dispatch(session_id, c.CloseSession(at=hub.clock()), MODERATOR)
        lines = farewell(hub, session_id, args, Outcome(errors=["disk full"]), "en")
        hub.close()
    assert lines[1].startswith("the minutes could not be written (disk full); write them with: ")
    assert f"facilitator minutes {numeric} --db {db}" in lines[1]
    assert "to carry on" not in " ".join(lines)


def test_the_hint_repeats_the_program_as_it_was_started(tmp_path: Path) -> None:
    assert program("facilitator") == ["facilitator"]
    assert program(".venv/bin/facilitator") == [".venv/bin/facilitator"]  # what make demo types
    assert program("/x/facilitator/__main__.py") == [sys.executable, "-m", "facilitator"]
