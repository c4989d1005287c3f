"""``serve --takeover``: a standby for a session another process is serving.

While the owner lives, the standby serves nothing of the session: its address answers the places'
pages and sends phones asking for the session to the owner (server/standby_app.py). It waits on
the session's claim (``wait_live`` of the store); the moment the owner ends, however it ended, the
claim is this process's, the standby's server stops, and ``serve`` carries on as it always does:
replay the log, listen on the same address, serve. Ctrl-C while waiting stops it, having
changed nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from contextlib import AbstractContextManager

from facilitator.i18n import t
from facilitator.server.standby_app import start_standby_server
from facilitator.session.values import Phase
from facilitator.store import (
    EventLog,
    LiveClaim,
    LiveOwner,
    SessionLive,
    StoreError,
    WaitStopped,
)

Held = tuple[AbstractContextManager[LiveClaim], LiveClaim]
"""A claim taken by waiting: its context (for the caller to exit) and the claim."""


def stand_by(
    store: EventLog,
    busy: list[SessionLive],
    me: LiveOwner,
    *,
    host: str,
    port: int,
    public_url: str | None,
    lang: str,
) -> tuple[list[Held], int]:
    """Wait for every session of ``busy`` while serving the standby pages on ``host:port``.

    Returns the claims, in order, and the port the standby listened on (the sessions' server
    takes the same one). Sessions served together by a process that died are free together;
    the standby takes them over together, once it holds them all. Raises
    :class:`~facilitator.store.WaitStopped` when stopped first, having given back what it held.
    """
    return asyncio.run(
        _stand_by(store, busy, me, host=host, port=port, public_url=public_url, lang=lang)
    )


async def _stand_by(
    store: EventLog,
    busy: list[SessionLive],
    me: LiveOwner,
    *,
    host: str,
    port: int,
    public_url: str | None,
    lang: str,
) -> tuple[list[Held], int]:
    server = await start_standby_server(store.location, host, port, public_url)
    bound = int(server.runner.addresses[0][1])
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    names = [_name(store, one.session_id, lang) for one in busy]
    for name, one in zip(names, busy, strict=True):
        print(_waiting(name, one.owner, server.base_url, lang), file=sys.stderr, flush=True)
    held: list[Held] = []
    try:
        for one in busy:
            waiting = store.wait_live(one.session_id, me, stop=stop)
            held.append((waiting, await asyncio.to_thread(waiting.__enter__)))
        if stop.is_set():  # stopped in the very moment it got the last claim
            raise WaitStopped(busy[-1].session_id)
    except BaseException:
        for waiting, _ in reversed(held):
            waiting.__exit__(None, None, None)
        raise
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    if all(_ended(store, one.session_id) for one in busy):
        # The owner closed its sessions and quit: there is nothing left to take over.
        for waiting, _ in reversed(held):
            waiting.__exit__(None, None, None)
        for name in names:
            print(t("cli.standby.ended", lang, session=name), file=sys.stderr, flush=True)
        raise WaitStopped(busy[0].session_id)
    for name in names:
        print(t("cli.standby.took_over", lang, session=name), file=sys.stderr, flush=True)
    return held, bound


def _ended(store: EventLog, session_id: str) -> bool:
    try:
        return store.get_session(session_id).phase is Phase.CLOSED
    except StoreError:
        return False


def _name(store: EventLog, session_id: str, lang: str) -> str:
    try:
        info = store.get_session(session_id)
    except StoreError:
        return session_id
    return t("cli.session_name", lang, title=info.title, code=info.numeric_code)


def _waiting(name: str, owner: LiveOwner | None, here: str, lang: str) -> str:
    if owner is None:
        return t("cli.standby.waiting_unknown", lang, session=name, here=here)
    return t(
        "cli.standby.waiting",
        lang,
        session=name,
        pid=owner.pid,
        hostname=owner.hostname or "?",
        url=owner.url or "-",
        here=here,
    )
