"""``facilitator run`` in a real terminal (a pseudo-terminal of 120×40): the moderator quits with
Ctrl+Q and the terminal then says where the session is kept and, for a session not yet closed,
the exact command that was typed, quoted so it can be pasted back."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shlex
import struct
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.store import EventStore
from tests.cli.cli_kit import ENV, ROOT, free_port, write_agenda

pytestmark = pytest.mark.e2e  # runs facilitator as a separate process

ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[A-Za-z~]|[()][A-Z0-9]|[=>])")
NAME = "「廣場夜話：加裝電梯意見徵集」"


def numeric(db: Path) -> str:
    with EventStore.open(db) as store:
        (session,) = store.sessions()
        return session.numeric_code


class Terminal:
    """A process on the slave side of a pty; everything it printed, as bytes."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, in the repository, with a known locale
            os.chdir(ROOT)
            os.execve(argv[0], argv, ENV | {"TERM": "xterm-256color"})
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.out = b""
        self.closed = False

    def read_until(self, check: Callable[[str], bool], timeout: float = 30.0) -> None:
        """Read until ``check(text)`` holds or the process closes the terminal."""
        deadline = time.monotonic() + timeout
        while not check(self.text):
            if self.closed:
                return
            assert time.monotonic() < deadline, self.text[-3000:]
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:  # EIO: the other side is gone
                    data = b""
                self.out += data
                self.closed = not data

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait(self) -> int:
        self.read_until(lambda _: False)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_quitting_an_unfinished_session_prints_the_command_to_carry_on(tmp_path: Path) -> None:
    folder = tmp_path / "晚會 資料"
    folder.mkdir()
    agenda, db = write_agenda(folder), folder / "my db.sqlite"
    typed = ["run", str(agenda), "--db", str(db), "--host", "127.0.0.1", "--port", str(free_port())]
    terminal = Terminal([sys.executable, "-m", "facilitator", *typed])
    terminal.read_until(lambda text: "/j/" in text)  # the lobby shows the join URL
    terminal.type(b"\x11")  # Ctrl+Q
    terminal.read_until(lambda text: "確定要退出嗎" in text)
    terminal.type(b"y")
    assert terminal.wait() == 0
    after = terminal.text.rsplit("\x1b[?1049l", 1)[-1]  # once Textual has left the screen
    lines = [line for line in ANSI.sub("", after).replace("\r", "").splitlines() if line]
    assert lines[-2] == f"議事會{NAME}（數字碼 {numeric(db)}）已保存在 {db}"
    started = [sys.executable, "-m", "facilitator", *typed]  # exactly how it was started
    assert lines[-1] == f"要繼續，請運行：{shlex.join(started)}"
