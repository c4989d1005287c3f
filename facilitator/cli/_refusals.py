"""Why a session cannot be run here, said in the command's language."""

from __future__ import annotations

import sys
from collections.abc import Callable

from facilitator.cli._common import fail_with, store_failure
from facilitator.i18n import t
from facilitator.store import Database, EventLog, SessionLive, StoreError, WaitStopped


class SessionRefused(Exception):
    """The session cannot be opened or served; ``key`` and ``params`` say why."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def live_elsewhere(lang: str, store: EventLog, busy: SessionLive) -> str:
    """The refusal of a session another process is running: which process, where it serves,
    since when, and how to reach it instead."""
    try:
        info = store.get_session(busy.session_id)
        name = t("cli.session_name", lang, title=info.title, code=info.numeric_code)
        join, display = f"/j/{info.join_code}", f"/d/{info.join_code}"
    except StoreError:
        name, join, display = busy.session_id, "", "/display"
    owner = busy.owner
    if owner is None:
        return t("cli.live.unknown", lang, session=name)
    params: dict[str, object] = {
        "session": name,
        "pid": owner.pid,
        "hostname": owner.hostname or "?",
        "since": f"{owner.started:%Y-%m-%d %H:%M}",
    }
    if not owner.url:
        return t("cli.live.starting", lang, **params)
    url = owner.url.rstrip("/")
    return t(
        "cli.live.serving",
        lang,
        address=owner.address,
        join=url + join,
        display=url + display,
        **params,
    )


def exit_status(lang: str, store: EventLog, db: Database, run: Callable[[], int]) -> int:
    """``run()``'s exit status, or what a command that runs sessions on ``store`` says when it
    cannot (``run``, ``serve``, ``serve --session``): a refusal or a store failure is a message
    on stderr and status 2; a standby told to stop while it waited is status 0."""
    try:
        return run()
    except SessionRefused as refused:
        return fail_with(refused.render(lang))
    except SessionLive as busy:
        return fail_with(live_elsewhere(lang, store, busy))
    except WaitStopped:
        print(t("cli.serve.stopping", lang), file=sys.stderr, flush=True)
        return 0
    except StoreError as error:
        return store_failure(lang, db, error)
