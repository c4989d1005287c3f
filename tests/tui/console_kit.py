"""Helpers for the console tests: a real SQLite hub, a fixed clock, fixed ids, simulated phones."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from facilitator.agenda import parse_agenda
from facilitator.hub import Hub
from facilitator.services import session_command
from facilitator.session import commands as c
from facilitator.session.access import Actor, Role
from facilitator.session.state import SessionState
from facilitator.store import EventStore
from facilitator.tui.app import ConsoleApp
from facilitator.tui.controller import Result

JOIN_URL = "http://192.0.2.10:8080/j/ABC234"  # a documentation address: no real port in pictures
START = dt.datetime(2026, 5, 20, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SESSION_ID = "s-test"
AGENDA = """---
title: 廣場夜話：加裝電梯意見徵集
kind: square_talk
date: 2026-05-20
place: 和平里社區廣場
moderator: 小李
lang: zh-Hant
---

## 主題說明（10分鐘）

介紹加裝電梯的政策和費用。

## 居民訴求（30分鐘）

## 意向表決（15分鐘）

- 贊成加裝電梯
- 反對加裝電梯
- 需要更多資料再決定
"""


class FixedClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def counter_ids() -> Callable[[str], str]:
    """Ids ``<prefix>0001``, ``<prefix>0002``, ...: the same every run."""
    numbers = itertools.count(1)
    return lambda prefix: f"{prefix}{next(numbers):04d}"


@dataclasses.dataclass
class Kit:
    hub: Hub
    store: EventStore
    clock: FixedClock
    ids: Callable[[str], str]

    @property
    def state(self) -> SessionState:
        return self.hub.state(SESSION_ID)

    def app(self, lang: str = "zh-Hant") -> ConsoleApp:
        return ConsoleApp(
            self.hub, SESSION_ID, JOIN_URL, lang, clock=self.clock, ids=self.ids, phones=lambda: 0
        )

    async def phone(self, pid: str, command: c.Command) -> None:
        """Send ``command`` as participant ``pid``'s phone would (through the hub's door)."""
        await self.hub.dispatch(SESSION_ID, command, Actor(Role.PARTICIPANT, pid))

    async def join(self, pid: str, name: str, category: str = "") -> None:
        await self.phone(
            pid,
            c.JoinSession(
                at=self.clock(),
                participant_id=pid,
                device_key=f"device-{pid}",
                display_name=name,
                category=category,
            ),
        )

    def close(self) -> None:
        self.hub.close()
        self.store.close()


def make_kit(folder: Path) -> Kit:
    clock = FixedClock()
    store = EventStore.open(folder / "facilitator.db")
    hub = Hub(store, clock=clock)
    command = session_command(parse_agenda(AGENDA), store, session_id=SESSION_ID)
    hub.create(dataclasses.replace(command, join_code="ABC234", numeric_code="4321"))
    ids = counter_ids()
    # the agenda items got random ids from session_command; they never reach the screen
    return Kit(hub=hub, store=store, clock=clock, ids=ids)


async def until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until ``predicate()`` holds (the hub writes in a thread; Pilot cannot see that)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def screen_text(app: ConsoleApp) -> str:
    """The screen as plain text, one line per row (CJK checked here: SVGs squash wide cells)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def board_issues(app: ConsoleApp) -> str:
    """The issue board's text column as drawn, its wrapped lines joined without whitespace."""
    from facilitator.tui.widgets.board import IssueBoard

    board = app.screen.query_one(IssueBoard)
    first, issue = board.ordered_columns[:2]
    left = board.content_region.x + first.get_render_width(board)
    right = left + issue.get_render_width(board)
    strips = app.screen._compositor.render_strips()[board.content_region.y :]
    return "".join("".join(strip.crop(left, right).text for strip in strips).split())


async def type_line(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the command line and press Enter, as the moderator would."""
    line = pilot.app.screen.query_one("#line", Input)
    line.focus()
    line.value = text
    await pilot.press("enter")
    await pilot.pause()


def notices(app: ConsoleApp) -> list[str]:
    """Record what the console answers from now on: refusals and what commands did (the status
    line), and notifications."""
    seen: list[str] = []
    notify, report = app.notify, app._report

    def record(message: str, **kwargs: Any) -> None:
        seen.append(message)
        notify(message, **kwargs)

    def answer(result: Result, line: str = "") -> None:
        said = result.error or result.notice or result.done
        if said:
            seen.append(said)
        report(result, line)

    app.notify = record  # type: ignore[method-assign]
    app._report = answer  # type: ignore[method-assign]
    return seen


def status_text(app: ConsoleApp) -> str:
    """What the status line above the command line says now."""
    from facilitator.tui.widgets.status import StatusLine

    return app.screen.query_one(StatusLine).text
