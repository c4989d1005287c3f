"""One socket.io namespace per role; every event is answered, none dies silently.

:class:`GuardedNamespace` routes every event through one ``try``: a malformed payload, an engine
refusal, a storage failure or a bug each becomes ``{ok: false, error, message}`` in the client's
language. python-socketio only logs a handler's exception and the client would wait forever.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import socketio

from facilitator.hub import Hub, HubError, Outcome
from facilitator.i18n import DEFAULT_LANG, error_message, normalize_lang
from facilitator.server import wire
from facilitator.server.broadcast import DISPLAY_NS, MODERATOR_NS, Broadcaster
from facilitator.server.limits import ConnectionGate
from facilitator.session import ErrorCode, SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR

log = logging.getLogger(__name__)

JSON = dict[str, Any]


@dataclass
class Context:
    """What every namespace shares: the hub, the one session served, fan-out and limits."""

    hub: Hub
    session_id: str
    broadcaster: Broadcaster
    gate: ConnectionGate
    moderator_token: str


def failure(code: str, lang: str, params: Mapping[str, Any] | None = None) -> JSON:
    """The negative ack: a stable code and the message in the client's language."""
    return {"ok": False, "error": code, "message": error_message(code, lang, params)}


def refuse(code: str, lang: str, **params: Any) -> socketio.exceptions.ConnectionRefusedError:
    """A refused connection; the client's ``connect_error`` gets ``{error, message}`` as data."""
    return socketio.exceptions.ConnectionRefusedError(code, failure(code, lang, params))


class GuardedNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """A namespace whose every event gets an answer; subclasses implement ``handle``."""

    role = "participant"
    counted = True  # whether connections count against the cap

    def __init__(self, namespace: str, ctx: Context) -> None:
        super().__init__(namespace)
        self.ctx = ctx
        self.langs: dict[str, str] = {}
        self._greetings: set[asyncio.Task[None]] = set()

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event == "connect":
            return await self._connect(args[0], args[2] if len(args) > 2 else None)
        if event == "disconnect":
            self.langs.pop(args[0], None)
            self.ctx.gate.release(args[0])
            self.gone(args[0])
            return None
        sid = args[0]
        lang = self.langs.get(sid, DEFAULT_LANG)
        try:
            payload = wire.payload_of(args[1] if len(args) > 1 else None)
            return await self.handle(sid, event, payload)
        except wire.WireError as error:
            return failure(error.code, lang, error.params)
        except SessionError as error:
            return failure(error.code.value, lang, error.params)
        except HubError as error:
            return failure(error.code, lang, error.params)
        except Exception:
            log.exception("%s event %r failed", self.role, event)
            return failure("internal_error", lang)

    async def _connect(self, sid: str, auth: object) -> bool:
        data: Mapping[str, Any] = auth if isinstance(auth, dict) else {}
        lang = normalize_lang(data.get("lang") if isinstance(data.get("lang"), str) else None)
        if data.get("v") != wire.PROTOCOL_VERSION:
            raise refuse("protocol_mismatch", lang)
        try:
            await self.admit(sid, data, lang)
        except socketio.exceptions.ConnectionRefusedError:
            self.ctx.gate.release(sid)
            raise
        except Exception:
            log.exception("%s connect failed", self.role)
            self.ctx.gate.release(sid)
            raise refuse("internal_error", lang) from None
        self.langs[sid] = lang
        task = asyncio.create_task(self._greet_when_connected(sid))
        self._greetings.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._greetings.discard)
        return True

    async def admit(self, sid: str, auth: Mapping[str, Any], lang: str) -> None:
        """Check the connect ``auth``; raise :func:`refuse` to turn the client away."""
        if self.counted and not self.ctx.gate.admit(sid):
            raise refuse("server_full", lang)

    async def _greet_when_connected(self, sid: str) -> None:
        # The connect handler runs before the client is told it is connected; wait for that, so
        # the first snapshot is not the first thing it hears.
        manager = self.server.manager
        for _ in range(200):
            if manager.is_connected(sid, self.namespace):
                break
            await asyncio.sleep(0.005)
        else:
            return
        try:
            await self.greet(sid)
        except Exception:
            log.exception("%s greeting failed", self.role)

    async def greet(self, sid: str) -> None:
        """Send a newly connected client the full current state at once."""
        await self.emit("state", self.ctx.broadcaster.view(self.role), to=sid)

    def gone(self, sid: str) -> None:
        """Forget a disconnected client."""

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any]) -> JSON:
        raise wire.WireError("unknown_event", event=event[:64])

    async def dispatch(self, command: c.Command, actor: Any, rid: str) -> Outcome:
        return await self.ctx.hub.dispatch(self.ctx.session_id, command, actor, request_id=rid)


class DisplayNamespace(GuardedNamespace):
    """``/display``: a projector; receives the public snapshot and how to join, sends nothing."""

    role = "display"

    def __init__(self, ctx: Context) -> None:
        super().__init__(DISPLAY_NS, ctx)

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any]) -> JSON:
        if event == "sync":
            return {"ok": True, "state": self.ctx.broadcaster.view(self.role)}
        raise SessionError(ErrorCode.FORBIDDEN)  # a display never acts


class ModeratorNamespace(GuardedNamespace):
    """``/moderator``: any moderator command by a client holding the session's secret token."""

    role = "moderator"
    counted = False

    def __init__(self, ctx: Context) -> None:
        super().__init__(MODERATOR_NS, ctx)

    async def admit(self, sid: str, auth: Mapping[str, Any], lang: str) -> None:
        token = auth.get("token")
        if not isinstance(token, str) or not secrets.compare_digest(
            token.encode(), self.ctx.moderator_token.encode()
        ):
            raise refuse("forbidden", lang)

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any]) -> JSON:
        if event == "sync":
            return {"ok": True, "state": self.ctx.broadcaster.view(self.role)}
        if event != "command":
            raise wire.WireError("unknown_event", event=event[:64])
        rid = wire.rid(payload)
        command = wire.generic_command(payload)
        outcome = await self.dispatch(command, MODERATOR, rid)
        new = wire.NEW_IDS.get(type(command))
        return {
            "ok": True,
            "seq": outcome.state.version,
            "replayed": outcome.replayed,
            "events": [type(ev).__name__ for ev in outcome.events],
            "ids": {new[0]: getattr(command, new[0])} if new and not outcome.replayed else {},
        }
