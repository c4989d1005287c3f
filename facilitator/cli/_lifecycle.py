"""What every way of running a session shares (``run``, ``serve``): which session to open — the one
named, the unfinished one of the same agenda after a crash, or a new one with the place's open
promises — one process per live session, and minutes written the moment it closes.

The order matters: everything a person can get wrong (the agenda, the port, a session already live
elsewhere) is checked before anything is written, and a run refused before its session started
leaves no database file behind when it was the one to create it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import errno
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from facilitator.agenda import Agenda, valid_langs
from facilitator.cli._agenda_file import AgendaRefused, read_agenda
from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    fail,
    fail_with,
    missing_database,
    store_failure,
)
from facilitator.cli._refusals import SessionRefused, exit_status
from facilitator.cli.minutes import resolve_session, write_session_minutes
from facilitator.hub import Hub
from facilitator.services import new_session_command, take_scheduled
from facilitator.session import SessionState
from facilitator.session.events import Event, SessionClosed
from facilitator.session.values import Phase
from facilitator.store import (
    EventLog,
    LiveClaim,
    LiveOwner,
    SessionLive,
    StoreError,
    UnknownSession,
    exists,
    is_postgres,
    open_event_store,
    shown,
)

log = logging.getLogger(__name__)
DEFAULT_MINUTES = Path("minutes")
DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8080

__all__ = ["DEFAULT_MINUTES", "Live", "SessionRefused", "add_session_arguments", "with_session"]


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of every command that runs a session for phones (``run``, ``serve``)."""
    parser.add_argument("agenda", type=Path, nargs="?", help="the Markdown agenda (AGENDA.md)")
    parser.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--public-url", help="the URL phones use, when behind a proxy")
    parser.add_argument(
        "--resume", metavar="SESSION", help="continue a session (id, join code or numeric code)"
    )
    parser.add_argument(
        "--stock-fanout",
        action="store_true",
        help="send snapshots through python-socketio's own manager instead of the fast path "
        "(slower with thousands of phones; for a library upgrade that broke the fast path)",
    )
    parser.add_argument(
        "--minutes",
        type=Path,
        default=DEFAULT_MINUTES,
        help="folder the minutes are written to when the session closes (default: ./minutes)",
    )
    parser.add_argument(
        "--lang",
        choices=valid_langs(),
        help="language of the messages (default: the locale) and of the console (the agenda's)",
    )


@dataclass
class Live:
    """The running session's claim: it becomes *started* once its server listens."""

    claim: LiveClaim
    started: bool = False

    def serving(self, host: str, port: int, url: str) -> None:
        """Record where this process serves, for a second one to name; the session has started."""
        self.claim.announce(self.claim.owner.serving(host, port, url))
        self.started = True


def with_session(args: argparse.Namespace, body: Callable[[Hub, str, Live], int]) -> int:
    """Check the agenda and the port, open the log, claim and choose the session, run
    ``body(hub, session_id, live)``, and close everything — the hub last waits for its final
    write, so what was acknowledged is on disk. Problems a person can fix become a message on
    stderr in the command's language and exit status 2."""
    lang = cli_lang(args.lang)
    if args.resume is None and args.agenda is None:
        return fail(lang, "cli.no_agenda")
    if args.resume is not None and not exists(args.db):
        return missing_database(lang, args.db)
    try:
        agenda = read_agenda(args.agenda) if args.resume is None else None
        check_port(args.host, args.port)
    except (AgendaRefused, SessionRefused) as refused:
        return fail_with(refused.render(lang))
    made = [] if is_postgres(args.db) else _missing_paths(Path(args.db))
    try:
        store = open_event_store(args.db)
    except StoreError as error:
        _remove_database(Path(args.db), made)
        return store_failure(lang, args.db, error)
    hub = Hub(store)
    live: Live | None = None

    def run() -> int:
        with contextlib.ExitStack() as stack:
            owner = LiveOwner(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone())

            def claim(session_id: str) -> None:
                nonlocal live
                try:
                    live = Live(stack.enter_context(store.claim_live(session_id, owner)))
                except SessionLive as busy:
                    if not getattr(args, "takeover", False):
                        raise
                    from facilitator.cli._standby import stand_by

                    [(waited, held)], args.port = stand_by(
                        store,
                        [busy],
                        owner,
                        host=args.host,
                        port=args.port,
                        public_url=args.public_url,
                        lang=lang,
                    )
                    stack.push(waited)
                    live = Live(held)

            session_id = choose_session(hub, store, agenda, args.resume, claim)
            assert live is not None
            return body(hub, session_id, live)

    try:
        return exit_status(lang, store, args.db, run)
    finally:
        hub.close()
        store.close()
        if made and (live is None or not live.started):
            _remove_database(Path(args.db), made)


def choose_session(
    hub: Hub,
    store: EventLog,
    agenda: Agenda | None,
    resume: str | None,
    claim: Callable[[str], None],
) -> str:
    """The session to run, loaded in ``hub``: the one named, an unfinished one of this agenda, or
    a new one. ``claim(session_id)`` runs before the session is read or written, so a session
    live elsewhere is refused before this process touches it."""
    if resume is not None:
        try:
            session_id = resolve_session(store, resume)
        except UnknownSession:
            raise SessionRefused(
                "cli.unknown_session", code=resume, db=shown(store.location)
            ) from None
        claim(session_id)
        hub.load(session_id)
        return session_id
    assert agenda is not None
    unfinished = [
        info
        for info in store.sessions()
        if info.title == agenda.title
        and info.kind == agenda.kind
        and (agenda.date is None or info.date == agenda.date)
        and info.phase is not Phase.CLOSED
    ]
    if unfinished:  # the same command after a crash: carry on where the log stops
        latest = max(unfinished, key=lambda info: info.created_at)
        claim(latest.session_id)
        hub.load(latest.session_id)
        return latest.session_id
    command = new_session_command(store, agenda, dt.date.today())
    claim(command.session_id)
    hub.create(command)
    take_scheduled(store, command)
    return command.session_id


def prepare(hub: Hub, store: EventLog, agenda: Path | None, resume: str | None) -> str:
    """Load the session to run (as :func:`choose_session`) without claiming it: for tests and
    tools that hold the process themselves."""
    parsed = read_agenda(agenda) if resume is None and agenda is not None else None
    return choose_session(hub, store, parsed, resume, lambda _: None)


def check_port(host: str, port: int) -> None:
    """Refuse, before anything is written, a port another program already listens on."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except OSError:
        raise SessionRefused("cli.host_unknown", host=host) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(address)
        except OSError as error:
            raise listen_refused(host, port, error) from None


def listen_refused(host: str, port: int, error: OSError) -> SessionRefused:
    """Why the server cannot listen on ``host:port``, for the person who chose them."""
    if error.errno == errno.EADDRINUSE:
        return SessionRefused("cli.port_taken", host=host, port=port, other=port + 1)
    if error.errno == errno.EACCES:
        return SessionRefused("cli.port_denied", host=host, port=port)
    if error.errno == errno.EADDRNOTAVAIL:
        return SessionRefused("cli.host_not_here", host=host)
    return SessionRefused("cli.cannot_listen", host=host, port=port, reason=error.strerror or "")


def _missing_paths(db: Path) -> list[Path]:
    """What opening ``db`` would create: its missing folders (outermost first) and the file."""
    missing: list[Path] = []
    path = db.absolute()
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    return list(reversed(missing))


def _remove_database(db: Path, made: list[Path]) -> None:
    """Remove a database this run created (and its folders) when the run never started."""
    if not made:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db.absolute()}{suffix}").unlink()
    for folder in reversed(made[:-1]):
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_minutes_on_close(
    hub: Hub,
    session_id: str,
    folder: Path,
    done: Callable[[tuple[Path, Path] | None, str], None] = lambda paths, error: None,
    tasks: set[asyncio.Task[None]] | None = None,
) -> Callable[[], None]:
    """Write the minutes (Markdown and HTML) into ``folder`` as soon as the session closes.

    ``done(paths, error)`` hears the result (error is "" on success). ``tasks`` holds the writes
    under way, for a caller that must wait for them before it stops. Returns an unsubscribe.
    """
    tasks = set() if tasks is None else tasks

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
