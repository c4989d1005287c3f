"""``serve --takeover``: a standby process for a session another process serves. While the owner
lives the standby says so on stderr (naming it), sends phones there and writes nothing; when the
owner is killed with SIGKILL the standby takes the session over on its own address; Ctrl-C while
waiting stops it having changed nothing."""

from __future__ import annotations

import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import socketio

from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, free_port, wait_for, write_agenda

pytestmark = pytest.mark.e2e  # runs facilitator as separate processes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str) -> tuple[int, str]:
    """Status and Location (or body) of a GET, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location") or error.read().decode()


def log_size(db: Path) -> list[int]:
    with EventStore.open(db) as store:
        return [store.last_seq(s.session_id) for s in store.sessions()]


def test_a_standby_waits_sends_phones_to_the_owner_and_takes_over_when_it_is_killed(
    tmp_path: Path,
) -> None:
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    owner_port, standby_port = free_port(), free_port()
    owner = Serve(tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", owner_port)
    standby: Serve | None = None
    try:
        ready = owner.wait_ready()
        with EventStore.open(db) as store:
            join = store.get_session(ready["session_id"]).join_code
        standby = Serve(
            tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", standby_port,
            "--takeover", "--lang", "en",
        )  # fmt: skip
        wait_for(lambda: "Standing by" in standby.err.read_text(encoding="utf-8"))
        said = standby.err.read_text(encoding="utf-8")
        assert f"process {ready['pid']}" in said and f"http://127.0.0.1:{owner_port}" in said
        before = log_size(db)
        here = f"http://127.0.0.1:{standby_port}"
        assert get(f"{here}/j/{join}?lang=en") == (
            307,
            f"http://127.0.0.1:{owner_port}/j/{join}?lang=en",
        )
        status, _ = get(f"{here}/socket.io/?EIO=4&transport=polling")
        assert status == 404  # nothing live is served by a standby
        assert log_size(db) == before and not standby.ready.exists()
        assert standby.process.poll() is None

        owner.process.send_signal(signal.SIGKILL)
        owner.process.wait(timeout=10)
        took = standby.wait_ready()
        assert took["session_id"] == ready["session_id"] and took["url"] == here
        assert "taking the session over here" in standby.err.read_text(encoding="utf-8")
        status, page = get(f"{here}/j/{join}")
        assert status == 200 and '"code": "' + join in page
        assert log_size(db)[0] >= before[0]  # replayed: nothing lost (the failover test counts)
        standby.process.send_signal(signal.SIGTERM)
        assert standby.process.wait(timeout=10) == 0
    finally:
        owner.stop()
        if standby is not None:
            standby.stop()


def test_ctrl_c_while_standing_by_stops_it_with_nothing_changed(tmp_path: Path) -> None:
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    owner = Serve(tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port())
    try:
        owner.wait_ready()
        before = log_size(db)
        port = free_port()
        standby = Serve(
            tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", port, "--takeover"
        )
        try:
            wait_for(lambda: "Ctrl-C" in standby.err.read_text(encoding="utf-8"))
            standby.process.send_signal(signal.SIGINT)
            assert standby.process.wait(timeout=10) == 0
        finally:
            standby.stop()
        assert log_size(db) == before and owner.process.poll() is None
    finally:
        owner.stop()


async def test_a_standby_whose_session_ended_there_takes_nothing_over(tmp_path: Path) -> None:
    """The owner closes the session and quits: the standby says so and exits, serving nothing."""
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    owner = Serve(tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port())
    standby: Serve | None = None
    try:
        ready = owner.wait_ready()
        standby = Serve(
            tmp_path, agenda, "--db", db, "--host", "127.0.0.1", "--port", free_port(),
            "--takeover", "--lang", "en",
        )  # fmt: skip
        waiting = standby
        wait_for(lambda: "Standing by" in waiting.err.read_text(encoding="utf-8"))
        chair = socketio.AsyncClient(reconnection=False)
        auth = {"v": 1, "token": ready["moderator_token"]}
        await chair.connect(ready["url"], namespaces=["/moderator"], auth=auth, wait_timeout=5)
        command = {"rid": "close-1", "type": "CloseSession"}
        ack = await chair.call("command", command, namespace="/moderator", timeout=10)
        assert ack["ok"], ack
        await chair.disconnect()
        owner.process.send_signal(signal.SIGTERM)
        assert owner.process.wait(timeout=10) == 0
        assert standby.process.wait(timeout=20) == 0
        said = standby.err.read_text(encoding="utf-8")
        assert "has ended and its process has quit" in said and not standby.ready.exists()
    finally:
        owner.stop()
        if standby is not None:
            standby.stop()
