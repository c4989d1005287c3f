"""Coalesced fan-out: a change marks the session dirty; one ticker sends whole snapshots.

A storm of 1,000 ballots must not become 1,000 emits to 1,000 phones. The hub's listener only
records the newest state and which participants' own data may have changed; the ticker sends at
most one snapshot per interval to each room, each encoded once for all its members (python-socketio
encodes a room emit once), plus a ``me`` message to each phone whose own data really changed:
to every connection of that participant (two tabs, a phone and a tablet), except one that was
already given that very ``me`` in the answer to its own request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from facilitator.server.fanout import RawJSON
from facilitator.server.views import (
    JSON,
    display_view,
    me_view,
    moderator_view,
    public_view,
    roster_view,
)
from facilitator.session import events as e
from facilitator.session.state import SessionState

log = logging.getLogger(__name__)

PARTICIPANT_NS, DISPLAY_NS, MODERATOR_NS = "/participant", "/display", "/moderator"

# Events after which every phone waiting in (or speaking from) the queue may have a new place.
_QUEUE_EVENTS = (
    e.HandRaised,
    e.HandLowered,
    e.FloorGranted,
    e.SpeakingEnded,
    e.ItemStarted,
    e.ItemCompleted,
    e.ItemSkipped,
    e.ItemDeferred,
    e.IssuesMerged,
)


_ROLES = (("participant", PARTICIPANT_NS), ("display", DISPLAY_NS), ("moderator", MODERATOR_NS))


def phone_room(pid: str) -> str:
    """The room of one participant's phones (a resident may have two tabs open)."""
    return f"p:{pid}"


class Broadcaster:
    """Sends snapshots of one session to the three namespaces, at most once per interval."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        state: SessionState,
        join_info: Callable[[], JSON],
        interval_s: float,
    ) -> None:
        self.sio = sio
        self.state = state
        self.join_info = join_info
        self.interval_s = interval_s
        self.sent = 0  # snapshots emitted to the phones' namespace (tests count them)
        self._dirty = asyncio.Event()
        self._pids: set[str] = set()
        self._last_me: dict[str, JSON] = {}  # per participant: the ``me`` its room was sent
        self._sent: dict[str, dict[str, JSON]] = {}  # per participant: sid -> ``me`` sent alone
        # How many connections a participant has open (the phones' namespace counts them).
        self.devices: Callable[[str], int] = lambda pid: 1
        self._views: dict[str, tuple[int, JSON]] = {}
        # The moderator's roster (thousands of rows) is rebuilt only when the participants change:
        # a storm of ballots leaves the participants' map (immutable, shared) the same object.
        self._roster: tuple[object, list[JSON]] | None = None
        self._roster_text: tuple[object, str] | None = None
        self._task: asyncio.Task[None] | None = None

    # --- input from the hub (synchronous, on the hub's writer task) ----------------------------

    def changed(self, state: SessionState, events: tuple[e.Event, ...]) -> None:
        """Hub listener: remember the newest state and whose own data may have changed."""
        before = self.state
        self.state = state
        for event in events:
            pid = getattr(event, "participant_id", None)
            if isinstance(pid, str):
                self._pids.add(pid)
            if isinstance(event, _QUEUE_EVENTS):
                for snapshot in (before, state):
                    self._pids.update(q.participant_id for q in snapshot.queue if q.participant_id)
            if isinstance(event, e.IssuesMerged):
                for issue_id in (event.issue_id, event.into_issue_id):
                    found = state.issues.get(issue_id)
                    if found is not None:
                        self._pids.update(found.supporters.keys())
        self._dirty.set()

    # --- views, cached per state version -------------------------------------------------------

    def view(self, role: str) -> JSON:
        """The current snapshot for ``role`` (participant, display, moderator); built once."""
        cached = self._views.get(role)
        if cached is not None and cached[0] == self.state.version:
            return cached[1]
        if role == "display":
            view = display_view(self.state, self.join_info())
        elif role == "moderator":
            if self._roster is None or self._roster[0] is not self.state.participants:
                self._roster = (self.state.participants, roster_view(self.state))
            view = moderator_view(self.state, self._roster[1])
        else:
            view = public_view(self.state)
        self._views[role] = (self.state.version, view)
        return view

    def _payload(self, role: str) -> JSON | RawJSON:
        """What a broadcast sends to ``role``: the view, or for the moderator its JSON text with
        the roster's text spliced in (encoded once per change of the participants)."""
        view = self.view(role)
        if role != "moderator" or not getattr(self.sio.manager, "accepts_raw", False):
            return view
        roster = self._roster_json()
        rest = json.dumps({k: v for k, v in view.items() if k != "roster"}, separators=(",", ":"))
        return RawJSON(f'{rest[:-1]},"roster":{roster}}}')

    def _roster_json(self) -> str:
        participants = self.state.participants
        if self._roster_text is None or self._roster_text[0] is not participants:
            self.view("moderator")  # makes sure self._roster is this state's
            assert self._roster is not None
            self._roster_text = (participants, json.dumps(self._roster[1], separators=(",", ":")))
        return self._roster_text[1]

    def me(self, pid: str, state: SessionState | None = None, *, sid: str | None = None) -> JSON:
        """One participant's own data, with how many devices they are connected on. Given
        ``sid`` (an ack, a greeting), it is remembered as sent to that connection alone: the
        ticker then sends it to the participant's *other* connections, not again to this one."""
        view = self._me_view(state or self.state, pid)
        if sid is not None:
            self._sent.setdefault(pid, {})[sid] = view
        return view

    def _me_view(self, state: SessionState, pid: str) -> JSON:
        return {**me_view(state, pid), "devices": self.devices(pid)}

    def presence_changed(self, pid: str) -> None:
        """A connection of ``pid`` came or went: its phones get the new device count."""
        self._pids.add(pid)
        self._dirty.set()

    def _listened(self, namespace: str) -> bool:
        """Whether any client is connected to ``namespace`` (True if the manager cannot tell)."""
        has_clients = getattr(self.sio.manager, "has_clients", None)
        return True if has_clients is None else bool(has_clients(namespace))

    # --- the ticker ----------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="facilitator-broadcast")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            started = loop.time()
            try:
                await self.flush()
            except Exception:  # a failed send must not end all future broadcasts
                log.exception("broadcast failed")
            # The first change goes out at once; a storm waits for the next tick, an interval
            # after this one began (not after it ended: sending to 5,000 phones takes a while).
            await asyncio.sleep(max(0.0, started + self.interval_s - loop.time()))

    async def flush(self) -> None:
        """Send the current snapshots and the changed ``me`` messages now."""
        pids, self._pids = self._pids, set()
        sends: list[Any] = [
            self._send_state(role, namespace, pids)
            for role, namespace in _ROLES
            # Nobody there: do not build (a moderator roster is thousands of rows) or encode.
            if namespace == PARTICIPANT_NS or self._listened(namespace)
        ]
        self.sent += 1
        for pid in pids:
            sends.extend(self._me_sends(pid))
        await asyncio.gather(*sends)

    def _send_state(self, role: str, namespace: str, pids: set[str]) -> Awaitable[None]:
        """The snapshot for ``role``. To the phones, those of the people whose own data just
        changed (they voted, raised a hand, raised an issue) are written to first: they are
        waiting to see what they did in it; everyone else is looking, not waiting. With 5,000
        phones the last phone is written to ~50 ms after the first."""
        payload = self._payload(role)
        manager = self.sio.manager
        if namespace != PARTICIPANT_NS or not pids or not getattr(manager, "writes_first", False):
            return self.sio.emit("state", payload, namespace=namespace)  # type: ignore[no-any-return]
        first = [
            sid
            for pid in pids
            for sid, _ in manager.get_participants(PARTICIPANT_NS, phone_room(pid))
        ]
        return manager.emit("state", payload, namespace, first=first)  # type: ignore[no-any-return]

    def _me_sends(self, pid: str) -> list[Any]:
        """The ``me`` messages that bring every connection of ``pid`` up to date: the room,
        less the connections already sent this very ``me`` (in their ack)."""
        view = self._me_view(self.state, pid)
        alone = self._sent.pop(pid, {})
        if self._last_me.get(pid) == view:  # the room has it; only a connection sent another
            stale = [sid for sid, sent in alone.items() if sent != view]
            return [self.sio.emit("me", view, to=sid, namespace=PARTICIPANT_NS) for sid in stale]
        self._last_me[pid] = view
        # The recipients are taken now, with the view: a connection that joins the room while
        # the sends are under way got its own ``me`` (greeting, ack) and must not get this one.
        members = self.sio.manager.get_participants(PARTICIPANT_NS, phone_room(pid))
        to = [sid for sid, _ in members if alone.get(sid) != view]
        return [self.sio.emit("me", view, to=to, namespace=PARTICIPANT_NS)] if to else []
