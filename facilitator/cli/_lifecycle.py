"""What every way of running a session shares (``run``, ``serve``, ``demo``): which session to
open — the one named, the unfinished one of the same agenda after a crash, or a new one with the
place's open promises — the process tuning, and minutes written the moment it closes."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from facilitator.agenda import Agenda, AgendaError, parse_agenda
from facilitator.cli._common import DEFAULT_DB, fail
from facilitator.cli.minutes import write_session_minutes
from facilitator.hub import Hub, session_command
from facilitator.ledger import follow_ups_for
from facilitator.session import SessionState
from facilitator.session.events import Event, SessionClosed
from facilitator.session.values import Phase
from facilitator.store import EventStore, StoreError, UnknownSession
from facilitator.store.ledger_log import read_ledger

log = logging.getLogger(__name__)
DEFAULT_MINUTES = Path("minutes")


class SessionRefused(Exception):
    """The session cannot be opened or served; the message says why, for the terminal."""


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of every command that runs a session for phones (``run``, ``serve``)."""
    parser.add_argument("agenda", type=Path, nargs="?", help="the Markdown agenda (AGENDA.md)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="event log (SQLite file)")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--public-url", help="the URL phones use, when behind a proxy")
    parser.add_argument("--resume", metavar="SESSION_ID", help="continue an existing session")
    parser.add_argument(
        "--minutes",
        type=Path,
        default=DEFAULT_MINUTES,
        help="folder the minutes are written to when the session closes (default: ./minutes)",
    )


def with_session(args: argparse.Namespace, body: Callable[[Hub, str], int]) -> int:
    """Open the log, choose the session (:func:`prepare`), run ``body(hub, session_id)``, and
    close everything — the hub last waits for its final write, so what was acknowledged is on
    disk. Problems a person can fix become one line on stderr and exit status 2."""
    if args.resume is None and args.agenda is None:
        return fail("give the agenda file (or --resume SESSION_ID)")
    try:
        store = EventStore.open(args.db)
    except StoreError as error:
        return fail(f"cannot open {args.db}: {error.message}")
    hub = Hub(store)
    try:
        return body(hub, prepare(hub, store, args.agenda, args.resume))
    except SessionRefused as refused:
        return fail(str(refused))
    finally:
        hub.close()
        store.close()


def prepare(hub: Hub, store: EventStore, agenda: Path | None, resume: str | None) -> str:
    """Load the session to run: the one named, an unfinished one of this agenda, or a new one."""
    if resume:
        try:
            hub.load(resume)
        except UnknownSession:
            raise SessionRefused(f"no session {resume!r} in {store.path}") from None
        return resume
    assert agenda is not None
    try:
        parsed = parse_agenda(agenda.read_text(encoding="utf-8"), source=str(agenda))
    except OSError as error:
        raise SessionRefused(f"cannot read {agenda}: {error.strerror}") from None
    except AgendaError as error:
        raise SessionRefused(str(error)) from None
    unfinished = [
        info
        for info in store.sessions()
        if info.title == parsed.title
        and info.kind == parsed.kind
        and (parsed.date is None or info.date == parsed.date)
        and info.phase is not Phase.CLOSED
    ]
    if unfinished:  # the same command after a crash: carry on where the log stops
        latest = max(unfinished, key=lambda info: info.created_at)
        hub.load(latest.session_id)
        return latest.session_id
    return create_session(hub, store, parsed, dt.date.today())


def create_session(hub: Hub, store: EventStore, agenda: Agenda, today: dt.date) -> str:
    """Create a session for ``agenda``; the place's open promises come first for review."""
    follow_ups = follow_ups_for(read_ledger(store), agenda.place, today) if agenda.place else ()
    command = session_command(agenda, store, follow_ups=follow_ups)
    hub.create(command)
    return command.session_id


def write_minutes_on_close(
    hub: Hub,
    session_id: str,
    folder: Path,
    done: Callable[[tuple[Path, Path] | None, str], None] = lambda paths, error: None,
) -> Callable[[], None]:
    """Write the minutes (Markdown and HTML) into ``folder`` as soon as the session closes.

    ``done(paths, error)`` hears the result (error is "" on success). Returns an unsubscribe.
    """
    tasks: set[asyncio.Task[None]] = set()

    async def write() -> None:
        try:
            paths = await hub.run_io(write_session_minutes, hub.store, session_id, folder)
        except (OSError, ValueError) as error:
            log.error("minutes not written: %s", error)
            done(None, str(error))
        else:
            done(paths, "")

    def listener(state: SessionState, events: tuple[Event, ...]) -> None:
        if any(isinstance(e, SessionClosed) for e in events):
            task = asyncio.get_running_loop().create_task(write())
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    return hub.subscribe(session_id, listener)


GC_THRESHOLDS = (10_000, 50, 1_000)


def tune_gc() -> None:
    """Keep the cyclic garbage collector from pausing a loop that serves thousands of phones.

    With 5,000 connections the heap holds millions of objects; Python's default thresholds run
    a full collection every few seconds while phones join and vote, pausing everything for up to
    0.4 s (measured: 3.4 s of collections in one 3,000-phone run). Almost everything here is
    freed by reference counting, so: freeze what start-up made (never garbage) and collect
    young objects less often. Cycles are still collected, just in fewer, later passes.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


LOOP_LAG_ENV = "FACILITATOR_LOOP_LAG_FILE"
LOOP_LAG_INTERVAL_S = 0.01


async def sample_loop_lag(path: Path, interval_s: float = LOOP_LAG_INTERVAL_S) -> None:
    """Append ``<monotonic s> <lag ms>`` lines: how late a 10 ms sleep wakes (benchmarks only).

    Enabled by the ``FACILITATOR_LOOP_LAG_FILE`` environment variable. ``time.monotonic()`` is
    the machine-wide clock, so a load generator's stamps line up with these.
    """
    with path.open("a", encoding="ascii") as out:
        lines = 0
        while True:
            due = time.monotonic() + interval_s
            await asyncio.sleep(interval_s)
            now = time.monotonic()
            out.write(f"{now:.4f} {max(0.0, now - due) * 1000:.2f}\n")
            lines += 1
            if lines % 100 == 0:
                out.flush()


def start_loop_lag_sampler() -> asyncio.Task[None] | None:
    """Sample the loop's lag into ``$FACILITATOR_LOOP_LAG_FILE`` when it is set (benchmarks)."""
    path = os.environ.get(LOOP_LAG_ENV)
    return asyncio.create_task(sample_loop_lag(Path(path))) if path else None


def write_ready_file(path: Path, url: str, moderator_token: str, session_id: str) -> None:
    """Tell a script the server is listening: ``{url, moderator_token, session_id, pid}``.

    Written beside and renamed into place, so a reader polling for it never sees half a file.
    """
    ready = {
        "url": url,
        "moderator_token": moderator_token,
        "session_id": session_id,
        "pid": os.getpid(),
    }
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(ready), encoding="utf-8")
    partial.replace(path)
