"""``facilitator serve`` as a real process: prints how to join, serves, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
import time
from pathlib import Path

import pytest
import socketio

from facilitator.agenda import SessionKind, agenda_template
from facilitator.server import PROTOCOL_VERSION

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_serve_runs_a_session_and_stops_quickly(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.md"
    agenda.write_text(agenda_template(SessionKind.SQUARE_TALK, "zh-Hant"), encoding="utf-8")
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "facilitator", "serve", str(agenda), "--db", str(tmp_path / "f.db"),
        "--host", "127.0.0.1", "--port", str(port), "--lang", "en",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    lines: dict[str, str] = {}
    async with asyncio.timeout(20):
        while "moderator token" not in lines:
            key, _, value = (await process.stdout.readline()).decode().partition(":")
            lines[key.strip()] = value.strip()
    assert lines["join URL"].startswith(f"http://127.0.0.1:{port}/j/")
    assert lines["numeric code"][:4].isdigit()
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        f"http://127.0.0.1:{port}",
        namespaces=["/moderator"],
        auth={"v": PROTOCOL_VERSION, "token": lines["moderator token"]},
        transports=["websocket"],
    )
    ack = await client.call("command", {"rid": "1", "type": "AdvanceAgenda"}, "/moderator")
    assert ack["ok"], ack
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(process.wait(), 5)
    assert process.stderr is not None
    assert code == 0, (await process.stderr.read()).decode()
    assert time.monotonic() - started < 2.5
    await client.disconnect()


async def test_a_broken_agenda_is_reported_with_its_line(tmp_path: Path) -> None:
    agenda = tmp_path / "bad.md"
    agenda.write_text("---\ntitle: T\nkind: party\n---\n\n## Item\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "facilitator", "serve", str(agenda), "--db", str(tmp_path / "f.db"),
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    assert process.returncode == 2
    assert f"{agenda}:3" in err.decode() and "party" in err.decode()
