"""Key-press-to-screen latency of the console while ballots pour in through the hub.

A session with ``--people`` checked-in phones has a poll open; a storm task sends ``--rate``
ballots a second through ``Hub.dispatch`` (as the server would for phones; voters change their
mind, so every ballot is a real event written to a real SQLite file). Meanwhile the moderator
types: each sample posts one key to the headless console and measures until the key is in the
command line *and* the next screen refresh has happened. A second series measures a whole
command (Enter on ``extend 1``): key, dispatch, durable write, snapshot, redraw.

    python bench/console.py [--rate 1000] [--seconds 10] [--people 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator.agenda import parse_agenda  # noqa: E402
from facilitator.hub import Hub, HubError  # noqa: E402
from facilitator.services import session_command  # noqa: E402
from facilitator.session import SessionError  # noqa: E402
from facilitator.session import commands as c  # noqa: E402
from facilitator.session.access import MODERATOR, Actor, Role  # noqa: E402
from facilitator.store import EventStore  # noqa: E402
from facilitator.tui.app import ConsoleApp  # noqa: E402

AGENDA = "---\ntitle: 壓力測試\nkind: square_talk\ndate: 2026-05-20\n---\n\n## 表決（15分鐘）\n"


async def _setup(hub: Hub, people: int) -> tuple[str, str]:
    command = session_command(parse_agenda(AGENDA), hub.store, session_id="s-bench")
    hub.create(dataclasses.replace(command, at=hub.clock()))
    sid = command.session_id
    now = hub.clock()
    joins = [
        hub.dispatch(
            sid,
            c.JoinSession(
                at=now, participant_id=f"p{n}", device_key=f"d{n}", display_name=f"居民{n}"
            ),
            Actor(Role.PARTICIPANT, f"p{n}"),
        )
        for n in range(people)
    ]
    await asyncio.gather(*joins)
    for command_ in (c.OpenSession(at=now), c.AdvanceAgenda(at=now)):
        await hub.dispatch(sid, command_, MODERATOR)
    await hub.dispatch(sid, c.OpenPoll(at=now, poll_id="v1", question="是否加裝電梯"), MODERATOR)
    return sid, "v1"


async def _storm(
    hub: Hub, sid: str, poll: str, *, rate: int, people: int, stop: asyncio.Event
) -> int:
    """Send ``rate`` ballots a second in ticks of 10 ms until ``stop``; returns how many."""
    sent, tick, started = 0, 0.01, time.perf_counter()
    pending: set[asyncio.Task[object]] = set()
    while not stop.is_set():
        due = int((time.perf_counter() - started) * rate)
        for _ in range(due - sent):
            n = sent % people
            choice = ("yes", "no")[(sent // people) % 2]  # a changed mind: a real event each time
            ballot = c.CastBallot(
                at=hub.clock(), poll_id=poll, participant_id=f"p{n}", choices=(choice,)
            )
            task = asyncio.create_task(hub.dispatch(sid, ballot, Actor(Role.PARTICIPANT, f"p{n}")))
            pending.add(task)
            task.add_done_callback(pending.discard)
            sent += 1
        await asyncio.sleep(tick)
    results = await asyncio.gather(*pending, return_exceptions=True)
    refused = [r for r in results if isinstance(r, (SessionError, HubError))]
    assert not refused, refused[:3]
    return sent


class PaintClock:
    """Notes when the console last painted the screen (headless: the update is computed, not
    written, which is the console's share of the latency)."""

    def __init__(self, app: ConsoleApp) -> None:
        self.last = 0.0
        display = app._display

        def noted(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.last = time.perf_counter()

        app._display = noted  # type: ignore[method-assign]

    async def after(self, moment: float) -> float:
        """The time of the first paint at or after ``moment``."""
        while self.last < moment:
            await asyncio.sleep(0.0005)
        return self.last


def _press(app: ConsoleApp, key: str, char: str | None) -> None:
    """Deliver a key as the terminal driver does (so bindings, focus and all apply)."""
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def _key_latency(app: ConsoleApp, paints: PaintClock, line: Input, char: str) -> float:
    before = line.value
    started = time.perf_counter()
    _press(app, char, char)
    while line.value == before:
        await asyncio.sleep(0)
    return await paints.after(time.perf_counter()) - started


async def _command_latency(app: ConsoleApp, paints: PaintClock, line: Input) -> float:
    line.value = "extend 1"
    started = time.perf_counter()
    _press(app, "enter", "\r")
    extended = app.latest.current_item
    assert extended is not None
    box = extended.time_box_s

    def done() -> bool:
        item = app.latest.current_item
        return item is not None and item.time_box_s != box and app._drawn[0] >= app.latest.version

    while not done():  # our own change applied and drawn, not merely some ballots
        await asyncio.sleep(0.0005)
    return await paints.after(time.perf_counter()) - started


def _summary(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    return (
        f"{name}: n={len(ms)} median={statistics.median(ms):.1f} ms p95={p95:.1f} ms "
        f"max={ms[-1]:.1f} ms"
    )


async def main(rate: int, seconds: float, people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = EventStore.open(Path(folder) / "bench.db")
        hub = Hub(store)
        sid, poll = await _setup(hub, people)
        app = ConsoleApp(hub, sid, "http://192.0.2.10:8080/j/BENCH1", "zh-Hant")
        async with app.run_test(size=(130, 40)) as pilot:
            await pilot.pause(0.5)
            line = app.screen.query_one("#line", Input)
            paints = PaintClock(app)
            stop = asyncio.Event()
            storm = asyncio.create_task(_storm(hub, sid, poll, rate=rate, people=people, stop=stop))
            keys: list[float] = []
            commands: list[float] = []
            started = time.perf_counter()
            await asyncio.sleep(0.5)  # let the storm reach its pace
            while time.perf_counter() - started < seconds:
                line.value = ""
                for char in "hands":
                    keys.append(await _key_latency(app, paints, line, char))
                    await asyncio.sleep(0.05)  # a fast typist: 20 keys a second at most
                commands.append(await _command_latency(app, paints, line))
            stop.set()
            sent = await storm
            elapsed = time.perf_counter() - started
            voters = hub.state(sid).polls[poll].voters
        hub.close()
        store.close()
    rate_seen = sent / elapsed
    print(f"ballots sent: {sent} in {elapsed:.1f} s = {rate_seen:.0f}/s ({voters} voters)")
    print(_summary("key press -> screen      ", keys))
    print(_summary("command -> durable+screen", commands))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=1000, help="ballots per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--people", type=int, default=2000)
    options = parser.parse_args()
    asyncio.run(main(options.rate, options.seconds, options.people))
