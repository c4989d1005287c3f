"""The one door of the places' intake: every command from a resident's phone, staff (the staff
API, the CLI, the console) goes through :class:`PlaceHub`.

As for sessions: the hub stamps the time, asks the engine, makes the events durable in the log and
only then applies them and answers; a client request id already done is answered again, not applied
twice (also after a restart: the ids are in the log). Commands of one place are decided and written
one at a time, so two phones raising at once get two numbers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from facilitator.intake import Building, IntakeEngine, IntakeEvent, PlaceState, apply
from facilitator.intake import commands as c
from facilitator.ledger import Ledger
from facilitator.place_hub.staff import DEFAULT_PARAMS, ScryptParams, StaffDirectory
from facilitator.store import ConcurrencyConflict, StorageUnavailable
from facilitator.store.backend import Database, open_place_log
from facilitator.store.ledger_log import PartsCache, read_ledger
from facilitator.store.protocols import EventLog, IntakeLog

Clock = Callable[[], dt.datetime]
Listener = Callable[[PlaceState, tuple[IntakeEvent, ...]], None]
REQUEST_MEMORY = 20_000
RETRIES = 5  # appends raced by another process before giving up
LEDGER_MAX_AGE = dt.timedelta(seconds=5)  # sessions change the ledger too


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True, slots=True)
class IntakeOutcome:
    events: tuple[IntakeEvent, ...]
    state: PlaceState
    seq: int
    replayed: bool = False


@dataclass
class _Place:
    engine: IntakeEngine
    seq: int
    last_at: dt.datetime
    done: OrderedDict[tuple[str, str], tuple[IntakeEvent, ...]] = field(default_factory=OrderedDict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    listeners: list[Listener] = field(default_factory=list)


class PlaceHub:
    """Dispatches intake commands for the places of one database (a file or a server)."""

    def __init__(
        self,
        log: IntakeLog,
        *,
        clock: Clock = local_now,
        staff_params: ScryptParams = DEFAULT_PARAMS,
    ) -> None:
        self.log = log
        # Reads happen on the event loop while a write may be running on the I/O thread: each
        # has its own connection, so calls on one connection never overlap.
        self.reader = open_place_log(log.location)
        self.clock = clock
        self._places: dict[str, _Place] = {}
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facilitator-intake")
        self._ledger: Ledger | None = None
        self._ledger_at = self.clock()
        self._parts: PartsCache = {}  # sessions' folded logs, kept while they do not grow
        self.staff_params = staff_params
        self._staff: StaffDirectory | None = None

    @classmethod
    def open(
        cls, db: Database, *, clock: Clock = local_now, staff_params: ScryptParams = DEFAULT_PARAMS
    ) -> PlaceHub:
        return cls(open_place_log(db), clock=clock, staff_params=staff_params)

    @property
    def staff(self) -> StaffDirectory:
        """The staff accounts of this database (opened, and the schema upgraded, on first use:
        a command that never needs them never migrates the database)."""
        if self._staff is None:
            self._staff = StaffDirectory.open(self.log.location, self.clock, self.staff_params)
        return self._staff

    def close(self) -> None:
        self._io.shutdown(wait=True)
        self.log.close()
        self.reader.close()
        if self._staff is not None:
            self._staff.close()

    def __enter__(self) -> PlaceHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- places -------------------------------------------------------------------------------

    def load(self, place_id: str) -> PlaceState:
        """The place's state, brought up to date with its stream: other processes (the CLI, a
        standing server, the console) may write to the same file."""
        runtime = self._places.get(place_id)
        if runtime is None:
            runtime = self._places[place_id] = _Place(IntakeEngine(), 0, self.clock())
        newer = self.reader.load(place_id, after_seq=runtime.seq)
        if newer:
            for stored in newer:
                runtime.engine.state = apply(runtime.engine.state, stored.event)
                if stored.request_id:
                    key = (stored.actor, stored.request_id)
                    runtime.done[key] = (*runtime.done.get(key, ()), stored.event)
            runtime.seq = newer[-1].seq
            runtime.last_at = max(runtime.last_at, newer[-1].event.at)
            self._ledger = None
        return runtime.engine.state

    def place_ids(self) -> list[str]:
        return self.log.places()

    def state(self, place_id: str) -> PlaceState:
        return self.load(place_id)

    def find_building(self, code: str) -> tuple[PlaceState, Building] | None:
        """The place and building of an intake code (``/b/<code>``)."""
        for place_id in self.place_ids():
            state = self.load(place_id)
            building = state.building(code)
            if building is not None:
                return state, building
        return None

    def subscribe(self, place_id: str, listener: Listener) -> Callable[[], None]:
        listeners = self._places[place_id].listeners if place_id in self._places else None
        if listeners is None:
            self.load(place_id)
            listeners = self._places[place_id].listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    # --- commands -----------------------------------------------------------------------------

    def _begin(
        self, place_id: str, command: c.Command, actor: str, request_id: str | None
    ) -> tuple[_Place, c.Command, tuple[IntakeEvent, ...]] | IntakeOutcome:
        self.load(place_id)
        runtime = self._places[place_id]
        if request_id is not None and (actor, request_id) in runtime.done:
            events = runtime.done[(actor, request_id)]
            return IntakeOutcome(events, runtime.engine.state, runtime.seq, replayed=True)
        at = max(self.clock(), runtime.last_at)  # never backwards: replay keeps the order
        command = dataclasses.replace(command, at=at)
        return runtime, command, runtime.engine.decide(command)  # raises IntakeError

    def _finish(
        self,
        runtime: _Place,
        command: c.Command,
        events: tuple[IntakeEvent, ...],
        *,
        seq: int,
        actor: str,
        request_id: str | None,
    ) -> IntakeOutcome:
        if runtime.seq < seq:  # a read during the write may have caught up with it already
            runtime.engine.execute(command)  # decided on this same state a moment ago
        runtime.seq, runtime.last_at = seq, max(command.at, runtime.last_at)
        if request_id is not None:
            runtime.done[(actor, request_id)] = events
            while len(runtime.done) > REQUEST_MEMORY:
                runtime.done.popitem(last=False)
        self._ledger = None
        state = runtime.engine.state
        for listener in list(runtime.listeners):
            listener(state, events)
        return IntakeOutcome(events, state, seq)

    def execute(
        self, place_id: str, command: c.Command, actor: str = "staff", request_id: str | None = None
    ) -> IntakeOutcome:
        """Decide, store and apply ``command`` now (the CLI; nothing else writes meanwhile)."""
        for _ in range(RETRIES):
            begun = self._begin(place_id, command, actor, request_id)
            if isinstance(begun, IntakeOutcome):
                return begun
            runtime, stamped, events = begun
            try:
                seq = self.log.append(
                    place_id, events, request_id=request_id, actor=actor, expected_seq=runtime.seq
                )
            except ConcurrencyConflict:  # another process wrote first: catch up, decide again
                continue
            return self._finish(
                runtime, stamped, events, seq=seq, actor=actor, request_id=request_id
            )
        raise StorageUnavailable("another program keeps writing", action="save the request")

    async def dispatch(
        self, place_id: str, command: c.Command, actor: str = "staff", request_id: str | None = None
    ) -> IntakeOutcome:
        """:meth:`execute` for the server: one command of a place at a time, the write (fsync)
        on the hub's I/O thread; answered only once the events are on disk."""
        self.load(place_id)
        async with self._places[place_id].lock:
            begun = self._begin(place_id, command, actor, request_id)
            if isinstance(begun, IntakeOutcome):
                return begun
            runtime, command, events = begun
            loop = asyncio.get_running_loop()
            seq = await loop.run_in_executor(
                self._io,
                lambda: self.log.append(place_id, events, request_id=request_id, actor=actor),
            )
            return self._finish(
                runtime, command, events, seq=seq, actor=actor, request_id=request_id
            )

    # --- the ledger of all places and sessions --------------------------------------------------

    def ledger(self, store: EventLog | None) -> Ledger:
        """The ledger of every session in ``store`` and every place's items; cached until the
        next intake change or for a few seconds (a live session's changes show up by then)."""
        now = self.clock()
        if self._ledger is None or now - self._ledger_at > LEDGER_MAX_AGE:
            self._ledger_at = now
            places = [self.load(p) for p in self.place_ids()]
            if store is None:
                from facilitator.ledger import build_ledger
                from facilitator.ledger.intake import intake_entries, intake_updates, request_facts

                more = [x for p in places for x in intake_entries(p)]
                built = build_ledger([], intake_updates(places), more=more)
                self._ledger = dataclasses.replace(
                    built,
                    requests=tuple(f for p in places for f in request_facts(p)),
                    intake_ids=tuple(p.place_id for p in places),
                )
            else:
                self._ledger = read_ledger(store, places=places, parts=self._parts)
        return self._ledger

    def forget_ledger(self) -> None:
        self._ledger = None
