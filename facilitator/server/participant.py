"""``/participant``: the residents' phones.

A phone is known by a random device token it keeps in localStorage and sends in the connect
``auth``. Only its SHA-256 reaches the engine (as the ``device_key``), so neither the log nor a
snapshot ever holds the token itself; the same token is the same participant, with its ballot,
supports and queue place.

Two connections with one token are one participant (two tabs, or a token copied to a second
device): both act as that person, with one ballot and one allowance, so a copied token gains
nothing. Raising issues, supporting and raising hands are rate limited per connection and per
participant (``limits.RateLimits``), whichever door (named event or generic ``command``) they
come through.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from facilitator.i18n import normalize_lang
from facilitator.server import actions, wire
from facilitator.server.broadcast import PARTICIPANT_NS, phone_room
from facilitator.server.generic import NEW_IDS, generic_command
from facilitator.server.limits import wait_seconds
from facilitator.server.namespaces import JSON, Context, GuardedNamespace, connection_key, refuse
from facilitator.session import ErrorCode, SessionError
from facilitator.session import commands as c
from facilitator.session.access import PHONE_COMMANDS, Actor, Role, authorize
from facilitator.session.events import DeviceLinked, DevicesRevoked, Event
from facilitator.session.state import SessionState

TOKEN_MIN, TOKEN_MAX = 16, 128


def device_key(token: str) -> str:
    """The engine's key for a phone: a hash, so the raw token is never stored or logged."""
    return hashlib.sha256(f"facilitator-device:{token}".encode()).hexdigest()


class ParticipantNamespace(GuardedNamespace):
    """Join, check in, raise and support issues, raise a hand, vote, claim, rate."""

    role = "participant"

    def __init__(self, ctx: Context) -> None:
        super().__init__(PARTICIPANT_NS, ctx)
        self.devices: dict[str, str] = {}  # sid -> device key
        self.joined: dict[str, str] = {}  # sid -> participant id
        self.connections: dict[str, int] = {}  # participant id -> connections open
        ctx.broadcaster.devices = lambda pid: self.connections.get(pid, 0)
        self._tasks: set[asyncio.Task[None]] = set()
        # The namespace's own events; a phone's actions are the table in ``actions``.
        self._events: dict[str, Callable[[str, Mapping[str, Any], float], Awaitable[JSON]]] = {
            "sync": self._sync,
            "set_lang": self._set_lang,
            "join": self._join,
            "command": self._generic,
        }

    async def admit(self, sid: str, auth: Mapping[str, Any], lang: str) -> None:
        token = auth.get("token")
        if not isinstance(token, str) or not TOKEN_MIN <= len(token) <= TOKEN_MAX:
            raise refuse("bad_request", lang, detail="device token")
        await super().admit(sid, auth, lang)
        key = device_key(token)
        self.devices[sid] = key
        pid = self.ctx.broadcaster.state.devices.get(key)
        if pid is not None:  # a known phone is back: same participant, nothing to ask
            await self._bind(sid, pid)

    async def _bind(self, sid: str, pid: str) -> None:
        self.joined[sid] = pid
        self.connections[pid] = self.connections.get(pid, 0) + 1
        await self.enter_room(sid, phone_room(pid))
        self.ctx.broadcaster.presence_changed(pid)

    def _unbind(self, sid: str) -> str | None:
        """``sid`` is no longer any participant's connection; returns whose it was."""
        pid = self.joined.pop(sid, None)
        if pid is not None:
            left = self.connections.get(pid, 0) - 1
            if left > 0:
                self.connections[pid] = left
            else:
                self.connections.pop(pid, None)
            self.ctx.broadcaster.presence_changed(pid)
        return pid

    async def greet(self, sid: str) -> None:
        await super().greet(sid)
        pid = self.joined.get(sid)
        me = self.ctx.broadcaster.me(pid, sid=sid) if pid else {"joined": False}
        await self.emit("me", me, to=sid)

    def gone(self, sid: str) -> None:
        self.devices.pop(sid, None)
        self._unbind(sid)

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any], flood: float) -> JSON:
        own = self._events.get(event)
        if own is not None:
            return await own(sid, payload, flood)
        action = actions.ACTIONS.get(event)
        if action is None:
            raise wire.WireError("unknown_event", event=event[:64])
        rid = wire.rid(payload)
        wire.only(payload, action.fields)  # a malformed request is that, joined or not
        pid = self._pid(sid)
        command = action.command_of(payload, pid, self.ctx.broadcaster.state)
        return await self._act(sid, pid, command, rid, flood)

    def _pid(self, sid: str) -> str:
        pid = self.joined.get(sid)
        if pid is None:
            raise wire.WireError("not_joined")
        return pid

    async def _sync(self, sid: str, payload: Mapping[str, Any], flood: float) -> JSON:
        wire.only(payload, frozenset())
        self.limit(flood)
        pid = self.joined.get(sid)
        me = self.ctx.broadcaster.me(pid, sid=sid) if pid else {"joined": False}
        return {"ok": True, "state": self.ctx.broadcaster.view(self.role), "me": me}

    async def _set_lang(self, sid: str, payload: Mapping[str, Any], flood: float) -> JSON:
        wire.only(payload, {"lang"})
        lang = normalize_lang(wire.string(payload, "lang"))
        self.limit(flood)
        self.langs[sid] = lang
        return {"ok": True, "lang": lang}

    async def _generic(self, sid: str, payload: Mapping[str, Any], flood: float) -> JSON:
        """``command``: the generic door, under the same rules as the named events. A command a
        phone may never send is ``forbidden`` (also before joining, and before any limit)."""
        rid = wire.rid(payload)
        command = generic_command(payload)
        if isinstance(command, c.JoinSession) or type(command) not in PHONE_COMMANDS:
            # ``join`` is the only way in: through here a phone could bind a participant to a
            # device key of its choosing.
            raise SessionError(ErrorCode.FORBIDDEN)
        return await self._act(sid, self._pid(sid), command, rid, flood)

    async def _act(self, sid: str, pid: str, command: c.Command, rid: str, flood: float) -> JSON:
        actor = Actor(Role.PARTICIPANT, pid)
        authorize(self.ctx.broadcaster.state, command, actor)  # ``forbidden`` before any limit
        self.limit(flood)
        kind = actions.RATE_KINDS.get(type(command))
        if kind is not None:
            wait = self.ctx.limits.check(kind, connection_key(sid), f"p:{pid}")
            if wait:
                raise wire.WireError("rate_limited", seconds=wait_seconds(wait))
        outcome = await self.dispatch(command, actor, rid)
        ack: JSON = {
            "ok": True,
            "seq": outcome.state.version,
            "replayed": outcome.replayed,
            "me": self.ctx.broadcaster.me(pid, outcome.state, sid=sid),
        }
        new = NEW_IDS.get(type(command))
        if new is not None and not outcome.replayed:
            ack[new[0]] = getattr(command, new[0])
        return ack

    async def _join(self, sid: str, payload: Mapping[str, Any], flood: float) -> JSON:
        wire.only(payload, actions.JOIN.fields)
        rid = wire.rid(payload)
        self.limit(flood)
        key = self.devices[sid]
        pid = self.joined.get(sid)
        # A known phone joining again is a no-op, unless it brings an invitation card: then it
        # may become that roster entry (the engine decides, and refuses if it took part).
        if pid is None or wire.invite(payload):
            state = self.ctx.broadcaster.state
            command = actions.JOIN.command_of(payload, "", state, device_key=key)
            # The request id is scoped by the device: the phone may not be a participant yet.
            actor = Actor(Role.PARTICIPANT)
            outcome = await self.dispatch(command, actor, f"{key[:16]}:{rid}")
            await self._rebind(sid, outcome.state.devices[key])
            pid = self.joined[sid]
        state = self.ctx.broadcaster.state
        return {
            "ok": True,
            "seq": state.version,
            "me": self.ctx.broadcaster.me(pid, state, sid=sid),
        }

    async def _rebind(self, sid: str, pid: str) -> None:
        old = self.joined.get(sid)
        if old == pid:
            return
        if old is not None:
            self._unbind(sid)
            await self.leave_room(sid, phone_room(old))
        await self._bind(sid, pid)

    def changed(self, state: SessionState, events: tuple[Event, ...]) -> None:
        """Hub listener: a phone the moderator linked to a roster entry is that entry from now
        on, and a phone whose devices the moderator revoked is nobody from now on, on every
        connection it has open (without waiting for it to act or reconnect)."""
        for event in events:
            if isinstance(event, DeviceLinked) and event.from_participant_id:
                sids = [s for s, p in self.joined.items() if p == event.from_participant_id]
                if sids:
                    self._later(self._relinked(sids, event.participant_id))
            elif isinstance(event, DevicesRevoked):
                keys = set(event.device_keys)
                sids = [s for s, key in self.devices.items() if key in keys]
                for sid in sids:
                    # At once, not in a task: a ``me`` the ticker sends from now on must not
                    # reach these connections (they are nobody now).
                    if self._unbind(sid) is not None:
                        room = phone_room(event.participant_id)
                        self.server.manager.basic_leave_room(sid, self.namespace, room)
                if sids:
                    self._later(self._revoked(sids))

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._tasks.discard)

    async def _revoked(self, sids: list[str]) -> None:
        for sid in sids:
            if sid in self.devices:  # still connected
                await self.emit("me", {"joined": False, "revoked": True}, to=sid)

    async def _relinked(self, sids: list[str], pid: str) -> None:
        for sid in sids:
            if sid in self.joined:  # still connected
                await self._rebind(sid, pid)
                await self.emit("me", self.ctx.broadcaster.me(pid, sid=sid), to=sid)
