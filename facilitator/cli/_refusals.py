"""Why a session cannot be run here, said in the command's language."""

from __future__ import annotations

from facilitator.i18n import t
from facilitator.store import EventLog, SessionLive, StoreError


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
