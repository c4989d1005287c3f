"""The moderator token, the device tokens and invitation cards' tokens never leave where they
belong: not into the logs (captured at DEBUG), not into the event log file (its raw bytes, WAL
included), not into the minutes, and not into anything another phone or a display receives."""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from facilitator.minutes import minutes_html, render_minutes
from facilitator.server.app import SIO
from facilitator.server.participant import device_key
from facilitator.store import StorageUnavailable
from tests.reliability.rel_kit import read_log, record_figures
from tests.server.server_kit import Live


async def test_tokens_never_leak(
    live: Live, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger and everything that propagates to it
    for name in ("facilitator", "aiohttp", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    tokens = [secrets.token_hex(16) for _ in range(3)]
    mod_token = live.server.moderator_token
    moderator = await live.moderator()
    display = await live.connect("/display", {"v": 1})
    a = await live.resident("甲", tokens[0])
    b = await live.resident("乙", tokens[1])
    c = await live.resident("丙", tokens[2])
    poll = (await moderator.call("command", type="OpenPoll", question="Q"))["ids"]["poll_id"]
    for phone, choice in ((a, "yes"), (b, "no"), (c, "yes")):
        assert (await phone.call("vote", poll_id=poll, choices=[choice]))["ok"]
    assert (await a.call("raise_issue", text="路燈"))["ok"]
    assert (await b.call("raise_hand"))["ok"]
    # A personal invitation card: its token is the moderator's to print, and the card's phone's.
    await live.command("AddRosterEntry", display_name="丁")
    card = (await moderator.call("invite"))["cards"][0]
    card_token = parse_qs(urlsplit(card["url"]).query)["i"][0]
    invited = await live.phone()
    assert (await invited.call("join", invite=card_token))["me"]["name"] == "丁"
    await a.close()
    again = await live.phone(tokens[0])  # a phone coming back: bound by its token
    assert again.me["name"] == "甲"
    # Things that log: refusals, a wrong moderator token, a storage failure, a bug.
    assert (await c.call("vote", poll_id=poll, choices=["maybe"]))["ok"] is False
    await live.connect("/moderator", {"v": 1, "token": tokens[2]})
    await live.connect("/participant", {"v": 1, "token": "short"})

    def broken(*_: object) -> list[int]:
        raise StorageUnavailable("the disk is full")

    async def bug(*_: object, **__: object) -> None:
        raise RuntimeError("a bug, logged with its traceback")

    with monkeypatch.context() as patch:
        patch.setattr(live.store, "append_batch", broken)
        assert (await c.call("raise_issue", text="x"))["error"] == "storage_error"
    with monkeypatch.context() as patch:
        patch.setattr(live.hub, "dispatch", bug)
        assert (await c.call("raise_hand"))["error"] == "internal_error"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{live.url}/sheet?token={mod_token}") as sheet:
            assert sheet.status == 200  # the moderator's own page: the one place it belongs
        async with http.get(live.server.join_url) as page:
            phone_page = await page.text()
    await live.command("CloseSession")
    await b.until(lambda: b.state["session"]["phase"] == "closed")
    await display.until(lambda: display.state["session"]["phase"] == "closed")

    secrets_ = [mod_token, *tokens, card_token]
    keys = [device_key(t) for t in tokens]
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert len(caplog.records) >= 2 and "RuntimeError" in logs  # the capture really captured
    # engine.io's and socket.io's own packet logs stay off: they would print connect packets,
    # tokens included, so turning them on is the one way to leak a token into a log.
    sio = live.server.app[SIO]
    assert sio.logger.level >= logging.ERROR and sio.eio.logger.level >= logging.ERROR
    db = live.store.path
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    stored, _ = read_log(db, live.session_id)
    events = [s.event for s in stored]
    minutes = render_minutes(events, "zh-Hant") + minutes_html(events, "en")
    received_by_b = json.dumps([b.states, b.mes], ensure_ascii=False)
    received_by_display = json.dumps(display.states, ensure_ascii=False)
    moderator_view = json.dumps(moderator.states, ensure_ascii=False)

    for secret in secrets_:
        assert secret not in logs
        assert secret.encode() not in raw
        assert secret not in minutes
        assert secret not in received_by_b and secret not in received_by_display
        assert secret not in moderator_view and secret not in phone_page
    for key in keys:  # the hashes are stored (they are the identity), but shown to no one
        assert key not in logs and key not in minutes
        assert key not in received_by_b and key not in received_by_display
        assert key not in moderator_view
    assert keys[0].encode() in raw  # ...and the byte search does find what is there
    record_figures(
        "secrets",
        log_records_checked=len(caplog.records),
        database_bytes_checked=len(raw),
        secrets_checked=len(secrets_),
        leaks=0,
    )


def test_the_log_file_search_is_not_blind(tmp_path: Path) -> None:
    """The byte search above reads the WAL too: a fresh database keeps new rows there."""
    from facilitator.store import EventStore

    with EventStore.open(tmp_path / "f.db") as store:
        assert store.sessions() == []
        names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "f.db" and any(n.endswith("-wal") for n in names)
