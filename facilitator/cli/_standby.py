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
from facilitator.store import (
    EventLog,
    LiveClaim,
    LiveOwner,
    SessionLive,
    StoreError,
    WaitStopped,
)


def stand_by(
    store: EventLog,
    busy: SessionLive,
    me: LiveOwner,
    *,
    host: str,
    port: int,
    public_url: str | None,
    lang: str,
) -> tuple[AbstractContextManager[LiveClaim], LiveClaim, int]:
    """Wait for ``busy.session_id`` while serving the standby pages on ``host:port``.

    Returns the claim's context (for the caller to exit), the claim, and the port the standby
    listened on (the session's server takes the same one). Raises
    :class:`~facilitator.store.WaitStopped` when stopped first.
    """
    return asyncio.run(
        _stand_by(store, busy, me, host=host, port=port, public_url=public_url, lang=lang)
    )


async def _stand_by(
    store: EventLog,
    busy: SessionLive,
    me: LiveOwner,
    *,
    host: str,
    port: int,
    public_url: str | None,
    lang: str,
) -> tuple[AbstractContextManager[LiveClaim], LiveClaim, int]:
    server = await start_standby_server(store.location, host, port, public_url)
    bound = int(server.runner.addresses[0][1])
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    name = _name(store, busy.session_id, lang)
    print(_waiting(name, busy.owner, server.base_url, lang), file=sys.stderr, flush=True)
    waiting = store.wait_live(busy.session_id, me, stop=stop)
    try:
        claim = await asyncio.to_thread(waiting.__enter__)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
        await asyncio.wait_for(server.stop(), timeout=2.0)
    if stop.is_set():  # stopped in the very moment it got the claim: give it back
        waiting.__exit__(None, None, None)
        raise WaitStopped(busy.session_id)
    print(t("cli.standby.took_over", lang, session=name), file=sys.stderr, flush=True)
    return waiting, claim, bound


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
