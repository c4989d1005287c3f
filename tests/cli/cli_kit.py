"""Helpers for the command-line tests: ``facilitator`` as a real process, on temp files."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from facilitator.agenda import SessionKind, agenda_template

ROOT = Path(__file__).resolve().parents[2]
ENV = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
ENV |= {"LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_agenda(folder: Path, lang: str = "zh-Hant", name: str = "agenda.md") -> Path:
    path = folder / name
    path.write_text(agenda_template(SessionKind.SQUARE_TALK, lang), encoding="utf-8")
    return path


def facilitator(
    *args: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``facilitator ARGS`` to the end; its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env=env or ENV,
    )


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``check`` until it holds (a condition, never a fixed pause)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition never held")
        time.sleep(0.02)


class Serve:
    """``facilitator serve`` as a process that waits until it listens (its ready file)."""

    def __init__(self, folder: Path, *args: object) -> None:
        stamp = time.monotonic_ns()
        self.ready = folder / f"ready-{stamp}.json"
        self.out, self.err = folder / f"serve-{stamp}.out", folder / f"serve-{stamp}.err"
        argv = [sys.executable, "-m", "facilitator", "serve", *map(str, args)]
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [*argv, "--ready-file", str(self.ready)],
                stdout=out,
                stderr=err,
                cwd=ROOT,
                env=ENV,
            )

    def wait_ready(self) -> dict[str, Any]:
        wait_for(lambda: self.ready.exists() or self.process.poll() is not None)
        assert self.ready.exists(), self.err.read_text(encoding="utf-8")
        data: dict[str, Any] = json.loads(self.ready.read_text(encoding="utf-8"))
        return data

    def interrupt(self) -> tuple[int, str, str]:
        """Stop it as Ctrl-C does: its exit status, standard output and standard error."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=10)
        return code, self.out.read_text(encoding="utf-8"), self.err.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
