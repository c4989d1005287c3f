"""The one door: every command, from a phone or from the moderator, goes through :class:`Hub`.

The hub decides who may do what, stamps the time, asks the engine, makes the events durable in the
log and only then applies them, acknowledges, and tells subscribers. Commands that arrive while a
write is in flight are decided together and written in one transaction (group commit), so a storm
of ballots costs one fsync per batch rather than one per ballot.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from facilitator.i18n import Refusal
from facilitator.session import SessionEngine, SessionError, SessionState
from facilitator.session import commands as c
from facilitator.session.access import Actor, authorize
from facilitator.session.events import Event
from facilitator.store import EventLog, StorageUnavailable, StoreError

log = logging.getLogger(__name__)

_T = TypeVar("_T")
Clock = Callable[[], dt.datetime]
Listener = Callable[[SessionState, tuple[Event, ...]], None]
StorageListener = Callable[[str | None], None]
REQUEST_MEMORY = 20_000  # recent request ids remembered per session, for retries


def local_now() -> dt.datetime:
    """The wall clock, timezone-aware in the machine's zone (the minutes show local times)."""
    return dt.datetime.now().astimezone()


class HubError(Refusal):
    """A command refused by the hub itself (not by the engine): a stable code and a message."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        self.params: dict[str, Any] = {}
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a dispatched command did: its events (empty when it changed nothing) and the state."""

    events: tuple[Event, ...]
    state: SessionState
    seq: int
    replayed: bool = False  # a retry of a request already done: answered again, not applied


@dataclass
class _Pending:
    command: c.Command
    actor: Actor
    request_id: str | None
    future: asyncio.Future[Outcome]


@dataclass
class _Session:
    engine: SessionEngine
    seq: int
    last_at: dt.datetime
    queue: list[_Pending] = field(default_factory=list)
    writer: asyncio.Task[None] | None = None
    listeners: list[Listener] = field(default_factory=list)
    done: OrderedDict[tuple[str, str], int] = field(default_factory=OrderedDict)
    inflight: dict[tuple[str, str], asyncio.Future[Outcome]] = field(default_factory=dict)


class Hub:
    """Dispatches commands for the sessions of one event store."""

    def __init__(self, store: EventLog, *, clock: Clock = local_now) -> None:
        self.store = store
        self.clock = clock
        self._sessions: dict[str, _Session] = {}
        # SQLite calls leave the event loop so an fsync never stalls the phones or the console;
        # one worker keeps them in order.
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facilitator-store")
        self.storage_error: str | None = None
        self._storage_listeners: list[StorageListener] = []

    # --- sessions ------------------------------------------------------------------------------

    def load(self, session_id: str) -> SessionState:
        """Replay a session from the log (once) and keep it live in the hub."""
        if session_id not in self._sessions:
            stored = list(self.store.load(session_id))
            engine = SessionEngine.replay(s.event for s in stored)
            last_at = stored[-1].event.at if stored else self.clock()
            runtime = _Session(engine=engine, seq=stored[-1].seq if stored else 0, last_at=last_at)
            for stored_id, seq in self.store.recent_request_ids(session_id, REQUEST_MEMORY):
                actor_key, _, request_id = stored_id.partition("|")
                runtime.done[(actor_key, request_id)] = seq
            self._sessions[session_id] = runtime
        return self._sessions[session_id].engine.state

    def create(self, command: c.CreateSession) -> SessionState:
        """Create a session (synchronously: before any phone or console is attached)."""
        command = dataclasses.replace(command, at=self.clock())
        events = SessionEngine().decide(command)
        seq = self.store.append(command.session_id, events, actor="moderator")
        engine = SessionEngine.replay(events)
        self._sessions[command.session_id] = _Session(engine=engine, seq=seq, last_at=command.at)
        return engine.state

    def state(self, session_id: str) -> SessionState:
        return self._runtime(session_id).engine.state

    def sessions(self) -> list[str]:
        return list(self._sessions)

    def subscribe(self, session_id: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener(state, events)`` after every durable change; returns an unsubscribe."""
        runtime = self._runtime(session_id)
        runtime.listeners.append(listener)
        return lambda: runtime.listeners.remove(listener) if listener in runtime.listeners else None

    def on_storage(self, listener: StorageListener) -> Callable[[], None]:
        """Call ``listener(problem)`` when the log stops taking writes (the store's message) and
        ``listener(None)`` when it takes them again, so the moderator hears of it even when only
        phones were writing. Returns an unsubscribe."""
        self._storage_listeners.append(listener)
        return lambda: self._storage_listeners.remove(listener)

    def _set_storage_error(self, problem: str | None) -> None:
        if problem == self.storage_error:
            return
        self.storage_error = problem
        for listener in list(self._storage_listeners):
            try:
                listener(problem)
            except Exception:  # a broken view must not stop the meeting
                log.exception("storage listener failed")

    def _runtime(self, session_id: str) -> _Session:
        runtime = self._sessions.get(session_id)
        if runtime is None:
            raise HubError("unknown_session", f"no session {session_id!r} is loaded")
        return runtime

    # --- commands ------------------------------------------------------------------------------

    async def dispatch(
        self,
        session_id: str,
        command: c.Command,
        actor: Actor,
        *,
        request_id: str | None = None,
    ) -> Outcome:
        """Run ``command`` for ``actor``; returns once its events are durable and applied.

        Raises :class:`SessionError` (the engine refused), or :class:`HubError` (``forbidden``,
        ``storage_error``, ``unknown_session``). A ``request_id`` already done for this actor is
        answered again without being applied twice.
        """
        runtime = self._runtime(session_id)
        authorize(runtime.engine.state if runtime.engine.created else None, command, actor)
        key = (actor.key, request_id or "")
        if request_id is not None:
            seq = runtime.done.get(key)
            if seq is not None:
                return Outcome(events=(), state=runtime.engine.state, seq=seq, replayed=True)
            twin = runtime.inflight.get(key)
            if twin is not None:  # the same request sent twice before the first was written
                first = await asyncio.shield(twin)
                return dataclasses.replace(first, events=(), replayed=True)
        # The hub owns the future: a caller that goes away (a closed connection, a timeout) stops
        # waiting, but its command is still decided and answered, so a retry can be too.
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)
        runtime.queue.append(_Pending(command, actor, request_id, future))
        if request_id is not None:
            runtime.inflight[key] = future
        if runtime.writer is None or runtime.writer.done():
            writer = asyncio.create_task(self._drain(session_id, runtime))
            writer.add_done_callback(lambda _: _writer_stopped(runtime, writer))
            runtime.writer = writer
        return await asyncio.shield(future)

    async def _drain(self, session_id: str, runtime: _Session) -> None:
        while runtime.queue:
            batch, runtime.queue = runtime.queue, []
            try:
                await self._write_batch(session_id, runtime, batch)
            except Exception:  # already answered (see the finally); the next batch still runs
                log.exception("a batch of %d command(s) failed", len(batch))

    async def _write_batch(self, session_id: str, runtime: _Session, batch: list[_Pending]) -> None:
        """Decide every command of the batch, persist what changed, then settle every caller.

        Settlement is total: whatever happens on the way (a bug, the writer being cancelled), the
        ``finally`` answers each command still unanswered and forgets it as in flight, so no
        caller, and no retry of a caller, waits for good.
        """
        try:
            engine = SessionEngine(runtime.engine.state)  # a scratch copy: the live state moves on
            now = max(self.clock(), runtime.last_at)  # the log's times never run backwards
            accepted, refused = _decide(engine, batch, now)
            try:
                seqs = await self._persist(session_id, accepted)
            except HubError as error:
                for pending, _ in accepted:
                    _settle(pending, error=error)
                return
            finally:
                for pending, refusal in refused:
                    _settle(pending, error=refusal)
            runtime.engine, runtime.last_at = engine, now  # the scratch state is now durable
            if seqs:
                runtime.seq = seqs[-1]
            state = runtime.engine.state
            for pending, events in accepted:
                if pending.request_id is not None:
                    runtime.done[(pending.actor.key, pending.request_id)] = runtime.seq
                    if len(runtime.done) > REQUEST_MEMORY:
                        runtime.done.popitem(last=False)
                _settle(pending, Outcome(events=events, state=state, seq=runtime.seq))
            all_events = tuple(ev for _, events in accepted for ev in events)
            if all_events:
                self._tell(runtime, state, all_events)
        finally:
            _abandon(runtime, batch)

    async def _persist(
        self, session_id: str, accepted: list[tuple[_Pending, tuple[Event, ...]]]
    ) -> list[int]:
        """Append the accepted commands' events in one transaction; a failed write is a HubError."""
        groups = [
            (session_id, events, p.request_id and f"{p.actor.key}|{p.request_id}", p.actor.key)
            for p, events in accepted
            if events
        ]
        try:
            seqs = await asyncio.get_running_loop().run_in_executor(
                self._io, self.store.append_batch, groups
            )
        except (StorageUnavailable, StoreError) as error:
            self._set_storage_error(error.message)
            log.error("could not store %d command(s): %s", len(groups), error.message)
            raise HubError("storage_error", error.message) from error
        except Exception as error:
            # A bug (say, a value the driver cannot bind) must still answer every caller.
            log.exception("could not store %d command(s)", len(groups))
            raise HubError("internal_error", "the change was not saved") from error
        self._set_storage_error(None)
        return seqs

    def _tell(self, runtime: _Session, state: SessionState, events: tuple[Event, ...]) -> None:
        for listener in list(runtime.listeners):
            try:
                listener(state, events)
            except Exception:  # a broken view must not stop the meeting
                log.exception("listener failed")

    async def run_io(self, fn: Callable[..., _T], /, *args: Any) -> _T:
        """Run a store call on the hub's one I/O worker, in order with its writes.

        The store's connection must never be used by two threads at once: while the hub runs,
        anything else that reads the log (minutes on close, the ledger) goes through here.
        ``load`` and ``create`` are for start-up, before commands flow.
        """
        return await asyncio.get_running_loop().run_in_executor(self._io, fn, *args)

    async def history(self, session_id: str) -> tuple[Event, ...]:
        """The session's events as the log holds them, read on the I/O worker (the preview of
        the minutes is rendered from exactly what will be published)."""

        def read() -> tuple[Event, ...]:
            return tuple(stored.event for stored in self.store.load(session_id))

        return await self.run_io(read)

    def close(self) -> None:
        """Wait for the last write and release the worker (the store stays open)."""
        self._io.shutdown(wait=True)


def _decide(
    engine: SessionEngine, batch: list[_Pending], now: dt.datetime
) -> tuple[list[tuple[_Pending, tuple[Event, ...]]], list[tuple[_Pending, Exception]]]:
    """Run the batch through the scratch engine in order: what it accepted and what it refused."""
    accepted: list[tuple[_Pending, tuple[Event, ...]]] = []
    refused: list[tuple[_Pending, Exception]] = []
    for pending in batch:
        command = dataclasses.replace(pending.command, at=now)
        try:
            accepted.append((pending, engine.handle(command)))
        except SessionError as error:
            refused.append((pending, error))
        except Exception:  # an engine bug fails its own command, not the batch (nor hangs it)
            log.exception("command %s failed", type(command).__name__)
            refused.append((pending, HubError("internal_error", "the command failed")))
    return accepted, refused


def _settle(
    pending: _Pending, outcome: Outcome | None = None, *, error: Exception | None = None
) -> None:
    """Answer a command once; a later answer (the ``finally``'s fallback) is ignored."""
    if pending.future.done():
        return
    if error is not None:
        pending.future.set_exception(error)
    else:
        assert outcome is not None
        pending.future.set_result(outcome)


def _abandon(runtime: _Session, batch: list[_Pending]) -> None:
    """Fail whatever in ``batch`` is still unanswered and forget the batch as in flight."""
    unanswered = HubError("internal_error", "the command was not completed")
    for pending in batch:
        _settle(pending, error=unanswered)
        key = (pending.actor.key, pending.request_id or "")
        if runtime.inflight.get(key) is pending.future:
            del runtime.inflight[key]


def _writer_stopped(runtime: _Session, writer: asyncio.Task[None]) -> None:
    """A writer leaves its queue empty unless it was cancelled (the loop shutting down, maybe
    before it ever ran): then what it would have written is answered, not left waiting."""
    if runtime.writer is writer and runtime.queue:
        waiting, runtime.queue = runtime.queue, []
        _abandon(runtime, waiting)


def _retrieved(future: asyncio.Future[Outcome]) -> None:
    """Mark a refusal as seen even when its caller went away (no "never retrieved" noise)."""
    if not future.cancelled():
        future.exception()
