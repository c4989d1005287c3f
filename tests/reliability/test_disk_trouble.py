"""The disk fills up, or the database turns read-only: nothing unstored is ever acknowledged, the
moderator is told at once (even when only phones were writing), and the meeting goes on once the
cause is gone.

The disk-full test is a real one: the database lives on a small tmpfs, and a file fills it until
the kernel answers ENOSPC. Root writes through ``chmod``, and a mount cannot be remounted read-only
while the database is open for writing (EBUSY), so a read-only file mid-session is simulated with
``PRAGMA query_only`` on the store's own connection (the same SQLITE_READONLY a read-only mount
gives); a truly read-only bind mount is used for the start-up case.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from facilitator.server.app import CONTEXT
from facilitator.server.limits import Rate, RateLimiter, RateLimits
from facilitator.session import events as e
from tests.reliability.rel_kit import ServeProcess, read_log, record_figures, write_agenda
from tests.server.server_kit import Client, Live, start_live

UNLIMITED = RateLimits(issue=Rate(10_000, 10_000.0), events=Rate(10_000, 10_000.0))


@cache
def why_no_mount() -> str | None:
    """Why this machine cannot mount a tmpfs here (None when it can, as root in CI can)."""
    if os.geteuid() != 0:
        return "needs root to mount a tmpfs or a bind mount (CI runs the suite as root)"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "needs the mount and umount commands"
    with tempfile.TemporaryDirectory() as probe:
        tried = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
            capture_output=True,
            text=True,
            check=False,
        )
        if tried.returncode != 0:
            return f"mount is refused here ({tried.stderr.strip() or tried.returncode})"
        subprocess.run(["umount", "-l", probe], check=False)
    return None


def needs_mount() -> pytest.MarkDecorator:
    reason = why_no_mount()
    return pytest.mark.skipif(reason is not None, reason=reason or "")


@contextlib.contextmanager
def mounted(where: Path, *options: str, source: str = "tmpfs") -> Iterator[Path]:
    """A mount for the test's lifetime (:func:`needs_mount` skips where mounting is refused)."""
    where.mkdir(parents=True, exist_ok=True)
    kind = ["-t", "tmpfs"] if source == "tmpfs" else ["--bind"]
    subprocess.run(["mount", *kind, *options, source, str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the file system is full; returns it (delete it to free the space)."""
    filler = folder / "filler"
    chunk = b"\0" * 4096
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        while True:
            os.write(fd, chunk)  # unbuffered: ENOSPC shows here, not later on close
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


@contextlib.asynccontextmanager
async def live_on(folder: Path) -> AsyncIterator[Live]:
    live = await start_live(folder)
    live.server.app[CONTEXT].limits = RateLimiter(UNLIMITED)
    try:
        yield live
    finally:
        await live.close()


def storage_notices(moderator: Client) -> list[Any]:
    found: list[Any] = []
    moderator.sio.on("storage", found.append, namespace="/moderator")
    return found


@needs_mount()
async def test_a_full_disk_refuses_instead_of_acknowledging(tmp_path: Path) -> None:
    with mounted(tmp_path / "disk", "-o", "size=3m") as disk:
        async with live_on(disk) as live:
            moderator = await live.moderator()
            notices = storage_notices(moderator)
            phones = [await live.resident(f"R{i}") for i in range(4)]
            filler = fill(disk)
            acked: list[str] = []
            refused: list[str] = []
            # SQLite may still have room in pages it already owns: keep going until it is refused.
            for n in range(400):
                text = f"issue {n} " + "長" * 250
                ack = await phones[n % 4].call("raise_issue", text=text)
                if ack["ok"]:
                    acked.append(text)
                    continue
                assert ack["error"] == "storage_error", ack
                assert "could not save" in ack["message"]
                refused.append(text)
                if len(refused) >= 5:
                    break
            assert len(refused) == 5, "the disk never filled up"
            assert live.hub.storage_error == "cannot save the change: the disk is full"
            await moderator.until(lambda: bool(notices))
            assert notices[0]["error"] == "storage_error"
            assert notices[0]["reason"] == "cannot save the change: the disk is full"
            sync = await moderator.call("sync")
            assert sync["storage"]["reason"] == "cannot save the change: the disk is full"
            ack = await moderator.call("command", type="OpenPoll", question="Q")
            assert ack["error"] == "storage_error"  # the moderator's own commands, too

            live_issues = {i.text for i in live.hub.state(live.session_id).issues.values()}
            assert live_issues == set(acked)  # nothing refused is on the board
            filler.unlink()
            ack = await phones[0].call("raise_issue", text="after the disk was freed")
            assert ack["ok"], ack
            assert live.hub.storage_error is None
            await moderator.until(lambda: notices[-1] == {"ok": True})
            state = live.hub.state(live.session_id)
            stored, replayed = read_log(live.store.path, live.session_id)
    raised = [s.event.text for s in stored if isinstance(s.event, e.IssueRaised)]
    assert raised == [*acked, "after the disk was freed"]  # each acknowledged one, once, in order
    assert replayed == state
    record_figures(
        "disk_full",
        tmpfs_size="3 MiB",
        acknowledged_before_full=len(acked),
        refused_with_storage_error=len(refused),
        refused_found_in_log=0,
    )


async def test_a_read_only_database_refuses_and_recovers(live: Live) -> None:
    live.server.app[CONTEXT].limits = RateLimiter(UNLIMITED)
    moderator = await live.moderator()
    notices = storage_notices(moderator)
    phone = await live.resident("A")
    poll_id = (await live.command("OpenPoll", question="Q")).events[0].poll_id
    before = live.hub.state(live.session_id)

    conn = live.store._conn  # the store's own connection, used on the hub's I/O thread
    await live.hub.run_io(conn.execute, "PRAGMA query_only = ON")
    ack = await phone.call("vote", poll_id=poll_id, choices=["yes"])
    assert ack["error"] == "storage_error"
    assert live.hub.storage_error == "cannot save the change: the database file is read-only"
    await moderator.until(lambda: bool(notices))
    assert "read-only" in notices[0]["reason"]
    assert live.hub.state(live.session_id) == before  # nothing moved
    assert phone.me["ballots"] == {}

    await live.hub.run_io(conn.execute, "PRAGMA query_only = OFF")
    again = await phone.call("vote", poll_id=poll_id, choices=["yes"])
    assert again["ok"] and again["me"]["ballots"] == {poll_id: ["yes"]}
    await moderator.until(lambda: notices[-1] == {"ok": True})


@pytest.mark.e2e
@needs_mount()
async def test_a_read_only_mount_at_start_is_a_clear_refusal(tmp_path: Path) -> None:
    serve = ServeProcess(tmp_path / "rw", write_agenda(tmp_path))
    serve.folder.mkdir()
    ready = await serve.start()
    assert await serve.stop() == 0
    with mounted(tmp_path / "ro", source=str(serve.folder)) as ro:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "facilitator", "serve", "--resume", ready.session_id,
            "--db", str(ro / "facilitator.db"), "--host", "127.0.0.1", "--port", "0",
            "--lang", "en", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            _, err = await asyncio.wait_for(process.communicate(), 30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
    assert process.returncode == 2
    assert "read-only" in err.decode(), err.decode()


def test_without_root_the_mount_tests_skip_and_say_why(monkeypatch: pytest.MonkeyPatch) -> None:
    why_no_mount.cache_clear()
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    try:
        reason = why_no_mount()
    finally:
        why_no_mount.cache_clear()
    assert reason is not None and "root" in reason
