"""What every way of running a session shares: follow-ups from the ledger when a session is
created, and minutes written the moment it closes."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from facilitator.agenda import Agenda
from facilitator.cli.minutes import write_session_minutes
from facilitator.hub import Hub, session_command
from facilitator.ledger import follow_ups_for
from facilitator.session import SessionState
from facilitator.session.events import Event, SessionClosed
from facilitator.store import EventStore
from facilitator.store.ledger_log import read_ledger

log = logging.getLogger(__name__)
DEFAULT_MINUTES = Path("minutes")


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
