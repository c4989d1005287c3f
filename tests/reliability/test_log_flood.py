"""Logs cannot be flooded: expected bad input is one line with a counter, at most a few per
minute per connection and per address; tracebacks are left for real bugs."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from facilitator.server import badinput
from facilitator.server.app import CONTEXT
from facilitator.server.badinput import BadInputLog
from tests.reliability.rel_kit import record_figures
from tests.server.raw_kit import PHONE, polling_phone, raw_phone
from tests.server.server_kit import Live


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_line_per_bad_input_up_to_the_allowance_then_a_counter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    log = BadInputLog(per_minute=10, clock=clock)
    with caplog.at_level(logging.WARNING, logger=badinput.log.name):
        for _ in range(25):
            log.note(
                "bad_request", "payload nested too deeply", address="10.0.0.5", connection="c1"
            )
        assert log.lines == 10 and log.total == 25
        clock.now += 60
        log.note("bad_request", "x", address="10.0.0.5", connection="c1")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 11
    assert lines[0].startswith("bad input from 10.0.0.5 [c1]: bad_request: payload nested")
    assert "(26 from this address; 15 more not logged)" in lines[-1]
    assert not any(r.exc_info for r in caplog.records)


def test_what_a_client_sent_cannot_forge_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    log = BadInputLog(clock=Clock())
    with caplog.at_level(logging.WARNING, logger=badinput.log.name):
        log.note("participant 'x\nERROR root: disk full'", "field\r\x1b[31m", address="10.0.0.9")
    (line,) = [r.getMessage() for r in caplog.records]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "x\\nERROR root" in line


def test_a_new_connection_does_not_reset_its_address() -> None:
    log = BadInputLog(per_minute=3, clock=Clock())
    for n in range(30):
        log.note("forbidden", address="10.0.0.6", connection=f"c{n}")  # reconnecting each time
    assert log.lines == 3
    for n in range(30):
        log.forget(f"c{n}")
    assert log.tracked == (0, 1)
    log.note("x", address="10.0.0.7", connection="other")  # another address has its own
    assert log.lines == 4


def test_addresses_are_forgotten_beyond_a_bound() -> None:
    log = BadInputLog(clock=Clock())
    for n in range(badinput.ADDRESSES_KEPT + 500):
        log.note("x", address=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    assert log.tracked == (0, badinput.ADDRESSES_KEPT)


async def test_a_hostile_run_leaves_a_few_lines_and_no_traceback(
    live: Live, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    sent = 0
    caplog.set_level(logging.INFO)
    async with aiohttp.ClientSession() as session:
        phone = await raw_phone(session, live.url)
        for n in range(100):  # answered bad_request, each
            await phone.send(f"42{PHONE},{n}" + "[" * 5000 + "]" * 5000)
            assert (await phone.ack(n))["error"] == "bad_request"
            await phone.send(f'42{PHONE},{n}["sync",{{"a":')
            assert (await phone.ack(n))["error"] == "bad_request"
            await phone.send('4{"not":"socket.io"}')  # nothing to answer: one line at most
            await phone.send(f'42{PHONE},{n}["launch_rockets",{{"rid":"r"}}]')
            assert (await phone.ack(n))["error"] == "unknown_event"
            await phone.send(f'42{PHONE},{n}["command",{{"rid":"r","type":"CloseSession"}}]')
            assert (await phone.ack(n))["error"] == "forbidden"
            sent += 5
        where = await polling_phone(session, live.url)
        for _ in range(50):
            async with session.post(where, data=b'42/participant,["sync","\xff"]') as response:
                assert response.status == 400
            sent += 1
        await session.get(f"{live.url}/socket.io/?EIO=4&transport=websocket&sid=nonsense")
    bad = live.server.app[CONTEXT].bad_input
    lines = [r for r in caplog.records if r.name == badinput.log.name]
    record_figures("log_flood", bad_inputs_sent=sent, counted=bad.total, lines_logged=len(lines))
    assert bad.total >= sent
    assert len(lines) <= badinput.PER_MINUTE  # one address: its allowance bounds everything
    assert not [r for r in caplog.records if r.exc_info], "a traceback for expected input"
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    # engine.io's own refusals (a bad session id) are logged once per kind per process by
    # engine.io itself, then at INFO: bounded, and no traceback.
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) <= 3
