"""One socket.io namespace per role; every event is answered, none dies silently.

:class:`GuardedNamespace` routes every event through one ``try``: a malformed payload, an engine
refusal, a storage failure or a bug each becomes ``{ok: false, error, message}`` in the client's
language. python-socketio only logs a handler's exception and the client would wait forever.

python-socketio hands *every* client message to ``trigger_event``, including a message a client
names ``"connect"`` or ``"disconnect"``; only the server's own lifecycle calls (made while the
client is not, or no longer, counted as connected) are treated as such. Every phone and display
message is charged to the connection's flood allowance (``limits.RateLimits.events``), and a
payload holding text that is not valid Unicode (a lone surrogate, which SQLite cannot store) or
absurdly deep nesting is refused before anything reads it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import socketio

from facilitator.hub import Hub, Outcome
from facilitator.i18n import DEFAULT_LANG, Answer, answer, error_message, normalize_lang
from facilitator.server import wire
from facilitator.server.badinput import BadInputLog
from facilitator.server.broadcast import DISPLAY_NS, MODERATOR_NS, Broadcaster
from facilitator.server.generic import NEW_IDS, generic_command
from facilitator.server.limits import ConnectionGate, RateLimiter, RateLimits, wait_seconds
from facilitator.server.packets import Malformed, remote_address
from facilitator.services import issue_cards
from facilitator.session import ErrorCode, SessionError
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR

log = logging.getLogger(__name__)

JSON = dict[str, Any]
MAX_DEPTH = 16  # a command's deepest field is two levels down; JSON nested deeper is junk
INVITE_ANSWERS_KEPT = 32  # recent ``invite`` answers by request id, for retries


@dataclass
class Context:
    """What every namespace shares: the hub, the one session served, fan-out and limits."""

    hub: Hub
    session_id: str
    broadcaster: Broadcaster
    gate: ConnectionGate
    moderator_token: str
    prefix: str = ""  # where the session's own routes and socket are: "" or "/s/<join code>"
    limits: RateLimiter = field(default_factory=lambda: RateLimiter(RateLimits()))
    bad_input: BadInputLog = field(default_factory=BadInputLog)


# Refusals that only a broken or hostile client causes: logged (briefly, see badinput.py).
LOGGED = frozenset({"bad_request", "unknown_event", "forbidden", "rate_limited"})


def failure(
    code: str, lang: str, params: Mapping[str, Any] | None = None, *, reader: str = "resident"
) -> JSON:
    """The negative ack of a refusal known by its code (a refused connection, a storage notice),
    worded for who reads it (``resident`` or ``moderator``)."""
    return Answer(code, error_message(code, lang, params, reader=reader)).ack()


def connection_key(sid: str) -> str:
    """The rate limiter's key of one connection."""
    return f"c:{sid}"


def check_sound(payload: object) -> None:
    """Refuse text that is not valid Unicode anywhere in ``payload``, and nesting past MAX_DEPTH.

    JSON can carry a lone surrogate (``"\\ud800"``); Python accepts it in a ``str`` but SQLite
    cannot store it, so it must never reach the engine or the log.
    """
    stack: list[tuple[object, int]] = [(payload, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise wire.bad("text is not valid Unicode") from None
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise wire.bad("payload nested too deeply")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def refuse(
    code: str, lang: str, *, reader: str = "resident", **params: Any
) -> socketio.exceptions.ConnectionRefusedError:
    """A refused connection; the client's ``connect_error`` gets ``{error, message}`` as data."""
    return socketio.exceptions.ConnectionRefusedError(
        code, failure(code, lang, params, reader=reader)
    )


class GuardedNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """A namespace whose every event gets an answer; subclasses implement ``handle``."""

    role = "participant"
    counted = True  # whether connections count against the cap
    limited = True  # whether messages are charged to the connection's flood allowance

    def __init__(self, namespace: str, ctx: Context) -> None:
        super().__init__(namespace)
        self.ctx = ctx
        self.langs: dict[str, str] = {}
        self._greetings: set[asyncio.Task[None]] = set()

    async def trigger_event(self, event: object, *args: Any) -> Any:
        sid = args[0]
        # A client may name its message "connect" or "disconnect"; those reach us while the client
        # is connected, the server's own lifecycle calls while it is not (yet, or any more).
        lifecycle = event in ("connect", "disconnect") and not self.server.manager.is_connected(
            sid, self.namespace
        )
        if lifecycle and event == "connect":
            return await self._connect(sid, args[2] if len(args) > 2 else None)
        if lifecycle:
            self.langs.pop(sid, None)
            self.ctx.gate.release(sid)
            self.ctx.limits.forget(connection_key(sid))
            self.gone(sid)
            return None
        lang = self.langs.get(sid, DEFAULT_LANG)
        try:
            if isinstance(event, Malformed):  # a packet python-socketio could not read
                raise wire.bad(f"unreadable request: {event}")
            if not isinstance(event, str):
                raise wire.bad(f"an event name must be a string: {repr(event)[:64]}")
            # Charged now (every message counts), refused only once the request is known to be
            # one this client may send: a request it may not send at all is ``forbidden``.
            flood = self.ctx.limits.check("events", connection_key(sid)) if self.limited else 0.0
            raw = args[1] if len(args) > 1 else None
            check_sound(raw)
            payload = wire.payload_of(raw)
            return await self.handle(sid, event, payload, flood)
        except Exception as error:
            told = answer(error, lang, reader=self.reader)
            if not told.expected:
                log.exception("%s event %r failed", self.role, event)
                return told.ack()
            return self.refused(sid, event, told)

    @property
    def reader(self) -> str:
        """Who reads this namespace's messages: the moderator, or a resident (or a room)."""
        return "moderator" if self.role == "moderator" else "resident"

    def refused(self, sid: str, event: object, told: Answer) -> JSON:
        """The answer to a refused request. What only a broken or hostile client causes is
        logged (one short line, rate limited); the developer's detail of a ``bad_request``
        goes there (and to a moderator's script), never into a person's message."""
        ack = told.ack()
        detail = str(told.params.get("detail", "")) if told.code == "bad_request" else ""
        if detail and self.role == "moderator":
            ack["detail"] = detail
        if told.code in LOGGED:
            name = "(unreadable)" if isinstance(event, Malformed) else str(event)[:40]
            environ = self.server.get_environ(sid, self.namespace)
            seconds = told.params.get("seconds")
            self.ctx.bad_input.note(
                f"{self.role} {name!r}: {told.code}",
                detail or (f"{seconds} s" if seconds else ""),
                address=remote_address(environ),
                connection=self.server.manager.eio_sid_from_sid(sid, self.namespace) or sid,
            )
        return ack

    def limit(self, flood: float) -> None:
        """Refuse a request this client may send, but not this fast (see ``trigger_event``)."""
        if flood:
            raise wire.WireError("rate_limited", seconds=wait_seconds(flood))

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

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any], flood: float) -> JSON:
        """Answer one event; call :meth:`limit` once the request is one this client may send."""
        raise wire.WireError("unknown_event", event=event[:64])

    async def dispatch(self, command: c.Command, actor: Any, rid: str) -> Outcome:
        return await self.ctx.hub.dispatch(self.ctx.session_id, command, actor, request_id=rid)


class DisplayNamespace(GuardedNamespace):
    """``/display``: a projector; receives the public snapshot and how to join, sends nothing."""

    role = "display"

    def __init__(self, ctx: Context) -> None:
        super().__init__(DISPLAY_NS, ctx)

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any], flood: float) -> JSON:
        if event != "sync":
            raise SessionError(ErrorCode.FORBIDDEN)  # a display never acts
        wire.only(payload, frozenset())
        self.limit(flood)
        return {"ok": True, "state": self.ctx.broadcaster.view(self.role)}


class ModeratorNamespace(GuardedNamespace):
    """``/moderator``: any moderator command by a client holding the session's secret token."""

    role = "moderator"
    counted = False
    limited = False  # the moderator's scripts may be as fast as they like

    def __init__(self, ctx: Context) -> None:
        super().__init__(MODERATOR_NS, ctx)
        self._notices: set[asyncio.Task[None]] = set()
        # A retried ``invite`` must get the cards already issued, not new ones that void them:
        # the tokens exist only in the answer, so the answer itself is kept by request id.
        self._invites: dict[str, asyncio.Future[JSON]] = {}
        ctx.hub.on_storage(self._storage_changed)

    def _storage_changed(self, problem: str | None) -> None:
        """Hub listener: the log stopped (or started again) taking writes; tell every moderator."""
        task = asyncio.create_task(self._send_storage(problem))
        self._notices.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._notices.discard)

    async def _send_storage(self, problem: str | None) -> None:
        try:
            for sid, lang in list(self.langs.items()):
                await self.emit("storage", self.storage_notice(problem, lang), to=sid)
        except Exception:  # a closed server or a gone client: the next sync still tells
            log.exception("could not send a storage notice")

    @staticmethod
    def storage_notice(problem: str | None, lang: str) -> JSON:
        """``{ok: true}`` while the log takes writes, else the error and the store's reason."""
        if problem is None:
            return {"ok": True}
        return {**failure("storage_error", lang, reader="moderator"), "reason": problem}

    async def admit(self, sid: str, auth: Mapping[str, Any], lang: str) -> None:
        token = auth.get("token")
        if not isinstance(token, str) or not secrets.compare_digest(
            token.encode(), self.ctx.moderator_token.encode()
        ):
            raise refuse("forbidden", lang, reader="moderator")

    async def handle(self, sid: str, event: str, payload: Mapping[str, Any], flood: float) -> JSON:
        events = {"sync": self._sync, "invite": self._invite, "command": self._command}
        handler = events.get(event)
        if handler is None:
            raise wire.WireError("unknown_event", event=event[:64])
        return await handler(sid, payload)

    async def _sync(self, sid: str, payload: Mapping[str, Any]) -> JSON:
        wire.only(payload, frozenset())
        lang = self.langs.get(sid, DEFAULT_LANG)
        storage = self.storage_notice(self.ctx.hub.storage_error, lang)
        return {"ok": True, "state": self.ctx.broadcaster.view(self.role), "storage": storage}

    async def _command(self, sid: str, payload: Mapping[str, Any]) -> JSON:
        """``command``: any command of the generic door, as the moderator."""
        rid = wire.rid(payload)
        command = generic_command(payload)
        outcome = await self.dispatch(command, MODERATOR, rid)
        new = NEW_IDS.get(type(command))
        return {
            "ok": True,
            "seq": outcome.state.version,
            "replayed": outcome.replayed,
            "events": [type(ev).__name__ for ev in outcome.events],
            "ids": {new[0]: getattr(command, new[0])} if new and not outcome.replayed else {},
        }

    async def _invite(self, sid: str, payload: Mapping[str, Any]) -> JSON:
        """``invite``: personal invitation cards for roster entries (``participant_ids``, or
        every entry without a phone). Answers each card's link and the printable page; the
        tokens are not kept anywhere else, so the caller saves what it needs. A retry with the
        same ``rid`` (while this process runs) is answered with the same cards."""
        wire.only(payload, {"participant_ids"})
        rid = wire.rid(payload)
        known = self._invites.get(rid)
        if known is not None:
            return await asyncio.shield(known)
        answer: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self._invites[rid] = answer
        while len(self._invites) > INVITE_ANSWERS_KEPT:
            self._invites.pop(next(iter(self._invites)))
        try:
            result = await self._issue_cards(sid, payload)
        except BaseException as error:
            self._invites.pop(rid, None)  # a failed attempt may be tried again for real
            if isinstance(error, Exception):
                answer.set_exception(error)
                answer.exception()  # retrieved: no "never retrieved" warning if nobody waits
            else:
                answer.cancel()
            raise
        answer.set_result(result)
        return result

    async def _issue_cards(self, sid: str, payload: Mapping[str, Any]) -> JSON:
        wanted = wire.strings(payload, "participant_ids") if "participant_ids" in payload else None
        url = self.ctx.broadcaster.join_info()["url"]
        lang = self.langs.get(sid, DEFAULT_LANG)
        issued = await issue_cards(self.ctx.hub, self.ctx.session_id, url, lang, wanted)
        state = issued.state
        cards = [
            {"participant_id": pid, "name": state.participants[pid].display_name, "url": link}
            for pid, link in issued.links.items()
        ]
        return {"ok": True, "seq": state.version, "cards": cards, "html": issued.page}
