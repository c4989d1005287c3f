"""Helpers for the reliability tests: a `facilitator serve` process that can be killed and
restarted, phones that reconnect and retry with the same request id, and the figures file.

The figures every test records (kills survived, ballots checked, payloads fuzzed, ...) are merged
into ``artifacts/reliability/figures.json``; docs/reliability.md quotes the last run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

from facilitator.agenda import SessionKind, agenda_template
from facilitator.server import PROTOCOL_VERSION
from facilitator.session.engine import SessionEngine
from facilitator.session.state import SessionState
from facilitator.store import EventStore, StoredEvent

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "artifacts" / "reliability" / "figures.json"
PHONE_NS = "/participant"


def record_figures(section: str, **figures: Any) -> None:
    """Merge ``figures`` under ``section`` into the figures file (one file for the whole run)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    try:
        known: dict[str, Any] = json.loads(FIGURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known[section] = figures
    FIGURES.write_text(json.dumps(known, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_agenda(folder: Path) -> Path:
    """The square-talk template in Traditional Chinese, as `facilitator new` writes it."""
    path = folder / "agenda.md"
    path.write_text(agenda_template(SessionKind.SQUARE_TALK, "zh-Hant"), encoding="utf-8")
    return path


def read_log(db: Path, session_id: str) -> tuple[list[StoredEvent], SessionState]:
    """Every stored event of the session and the state replayed from them (a fresh reader)."""
    with EventStore.open(db) as store:
        stored = list(store.load(session_id))
    return stored, SessionEngine.replay(s.event for s in stored).state


@dataclass
class Ready:
    """What a started server announced in its ready file."""

    url: str
    moderator_token: str
    session_id: str
    pid: int


@dataclass
class ServeProcess:
    """``facilitator serve`` as a separate process on a fixed port and database file."""

    folder: Path
    agenda: Path
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def db(self) -> Path:
        return self.folder / "facilitator.db"

    @property
    def stderr(self) -> Path:
        return self.folder / "serve.err"

    async def start(self, resume: str | None = None, timeout: float = 30.0) -> Ready:
        """Start (or resume ``resume``) and wait until it listens; its output goes to files."""
        ready_file = self.folder / "ready.json"
        ready_file.unlink(missing_ok=True)
        what = ["--resume", resume] if resume else [str(self.agenda)]
        with (
            (self.folder / "serve.out").open("ab") as out,
            self.stderr.open("ab") as err,
        ):
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "facilitator", "serve", *what, "--db", str(self.db),
                "--host", "127.0.0.1", "--port", str(self.port), "--ready-file", str(ready_file),
                stdout=out, stderr=err,
            )  # fmt: skip
        self.starts += 1
        async with asyncio.timeout(timeout):
            while not ready_file.exists():
                if self.process.returncode is not None:
                    raise RuntimeError(f"serve exited: {self.stderr.read_text()[-2000:]}")
                await asyncio.sleep(0.02)
        data = json.loads(ready_file.read_text(encoding="utf-8"))
        return Ready(data["url"], data["moderator_token"], data["session_id"], data["pid"])

    async def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or closed (a dead battery)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``sig`` and return the exit code (raises TimeoutError if it does not end)."""
        assert self.process is not None
        self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def ensure_stopped(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
            await self.process.wait()


class Unanswered(Exception):
    """A request that got no answer within the test's patience."""


@dataclass
class Attempted:
    """One request as the phone sent it, and what came of it."""

    event: str
    payload: dict[str, Any]
    ack: dict[str, Any]
    attempts: int  # 1: answered at once; more: the connection broke and it was sent again


class Phone:
    """A resident's phone: reconnects by itself, and sends a request again (same ``rid``) until
    it is answered, as the phone page does after "reconnecting…"."""

    def __init__(self, url: str, *, token: str | None = None, lang: str = "en") -> None:
        self.url = url
        self.token = token or secrets.token_hex(16)
        self.lang = lang
        self.sio = socketio.AsyncClient(
            reconnection=True,
            reconnection_attempts=0,
            reconnection_delay=0.1,
            reconnection_delay_max=1.0,
            randomization_factor=0.5,
        )
        self.state: dict[str, Any] = {}
        self.me: dict[str, Any] = {}
        self.sent: list[Attempted] = []
        self.connects = 0
        self._up = asyncio.Event()
        self._down = asyncio.Event()
        self.sio.on("state", self._on_state, namespace=PHONE_NS)
        self.sio.on("me", self._on_me, namespace=PHONE_NS)
        self.sio.on("connect", self._on_connect, namespace=PHONE_NS)
        self.sio.on("disconnect", self._on_disconnect, namespace=PHONE_NS)

    def _on_state(self, state: dict[str, Any]) -> None:
        if state.get("seq", 0) >= self.state.get("seq", 0):  # a late snapshot is never newer
            self.state = state

    def _on_me(self, me: dict[str, Any]) -> None:
        self.me = me

    def _on_connect(self) -> None:
        self.connects += 1
        self._down.clear()
        self._up.set()

    def _on_disconnect(self, *_: Any) -> None:
        self._up.clear()
        self._down.set()

    @property
    def auth(self) -> dict[str, Any]:
        return {"v": PROTOCOL_VERSION, "token": self.token, "lang": self.lang}

    async def connect(self, timeout: float = 20.0) -> None:
        await self.sio.connect(
            self.url,
            namespaces=[PHONE_NS],
            auth=self.auth,
            transports=["websocket"],
            wait_timeout=timeout,
        )

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.sio.disconnect()

    async def request(
        self, event: str, rid: str | None = None, *, patience: float = 60.0, **fields: Any
    ) -> dict[str, Any]:
        """Send ``event`` until it is answered (a broken connection means: send it again)."""
        payload = {"rid": rid or secrets.token_hex(6), **fields}
        attempts = 0
        async with asyncio.timeout(patience):
            while True:
                await self._up.wait()
                attempts += 1
                ack = await self._try(event, payload)
                if ack is not None:
                    break
        if "me" in ack:
            self.me = ack["me"]
        self.sent.append(Attempted(event, payload, ack, attempts))
        return ack

    async def _try(self, event: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The ack, or None when the connection broke before it came."""
        call = asyncio.ensure_future(self.sio.call(event, payload, namespace=PHONE_NS, timeout=15))
        down = asyncio.ensure_future(self._down.wait())
        try:
            await asyncio.wait({call, down}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            down.cancel()
        if not call.done():
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, socketio.exceptions.SocketIOError):
                await call
            return None
        try:
            ack: dict[str, Any] = call.result()
        except socketio.exceptions.SocketIOError:  # not connected, or no answer in time
            await asyncio.sleep(0.05)
            return None
        return ack

    async def until(self, check: Callable[[], bool], timeout: float = 30.0) -> None:
        """Wait until ``check()`` holds for what the server pushed."""
        async with asyncio.timeout(timeout):
            while True:
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    if check():
                        return
                await asyncio.sleep(0.02)


async def connect_all(phones: list[Phone], at_once: int = 50) -> None:
    """Connect phones, ``at_once`` at a time (a room fills up over a minute, not in one packet)."""
    gate = asyncio.Semaphore(at_once)

    async def one(phone: Phone) -> None:
        async with gate:
            await phone.connect()

    await asyncio.gather(*(one(p) for p in phones))


async def moderator_client(url: str, token: str) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        url,
        namespaces=["/moderator"],
        auth={"v": PROTOCOL_VERSION, "token": token},
        transports=["websocket"],
    )
    return client


async def moderate(client: socketio.AsyncClient, type_: str, **fields: Any) -> dict[str, Any]:
    """Run a moderator command over the socket and insist that it succeeded."""
    payload = {"rid": secrets.token_hex(6), "type": type_, **fields}
    ack: dict[str, Any] = await client.call("command", payload, namespace="/moderator", timeout=15)
    assert ack["ok"], ack
    return ack


def raise_file_limit() -> None:
    """Hundreds of phones in one test process need hundreds of sockets."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 8192 <= hard or (hard == resource.RLIM_INFINITY and soft < 8192):
        resource.setrlimit(resource.RLIMIT_NOFILE, (8192, hard))


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))
