"""``facilitator demo --headless``: the demo's phones and server work end to end, so it never rots;
and what it made is kept in the folder it names on exit, as the console's quit dialog promises.

Correctness only (who joined, what was counted), never timing: the pace is shortened so the run
takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.cli.demo import demo_folder
from facilitator.store import EventStore
from tests.cli.cli_kit import ENV, ROOT, facilitator

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_headless_demo_runs_a_whole_evening_and_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    done = facilitator("demo", "--headless", "--pace", "0.25", "--phones", "10", "--folder", folder)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    present = re.search(r"present: (\d+) \((\d+) phones\)", out)
    assert present is not None, out
    assert int(present.group(2)) >= 1  # simulated phones joined over socket.io
    assert "closed;" in out
    # The minutes were written on close and printed: the header and the phone channel of a vote.
    assert "# 廣場夜話：加裝電梯意見徵集會議紀要" in out
    phone_counts = re.findall(r"^\| 贊成 \| (\d+) \|", out, flags=re.M)
    assert phone_counts and int(phone_counts[0]) >= 1, out
    assert "stopped:" not in done.stderr
    # Kept: the database and both minutes files, named on exit with the command to read them.
    minutes = sorted((folder / "minutes").iterdir())
    assert [p.suffix for p in minutes] == [".html", ".md"]
    assert f"示範的記錄保存在 {folder}" in out
    for path in minutes:
        assert f"會議紀要：{path}" in out
    with EventStore.open(folder / "demo.db") as store:
        (session,) = store.sessions()
    command = [sys.executable, "-m", "facilitator", "minutes", session.numeric_code]
    command += ["--db", str(folder / "demo.db")]
    assert f"要再看會議紀要：{shlex.join(command)}" in out
    assert "要繼續" not in out  # the evening closed: nothing to carry on
    again = facilitator(*command[3:])
    assert again.returncode == 0, again.stderr
    assert again.stdout == minutes[1].read_text(encoding="utf-8")
    assert list(folder.glob("*.lock")) == []


def test_each_demo_gets_its_own_dated_folder(tmp_path: Path) -> None:
    now = dt.datetime(2026, 12, 4, 19, 30, 5)
    first = demo_folder(tmp_path, now)
    assert first == tmp_path / "20261204-193005"
    first.mkdir()
    assert demo_folder(tmp_path, now) == tmp_path / "20261204-193005-2"


def test_a_demo_stopped_with_ctrl_c_still_says_where_it_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    argv = ["demo", "--headless", "--phones", "2", "--pace", "5", "--folder", str(folder)]
    demo = subprocess.Popen(
        [sys.executable, "-m", "facilitator", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    assert demo.stdout is not None
    assert demo.stdout.readline().startswith("手機從 http://127.0.0.1:")  # it is serving
    demo.send_signal(signal.SIGINT)
    out, err = demo.communicate(timeout=60)
    assert demo.returncode == 130, err
    assert f"示範的記錄保存在 {folder}" in out
    assert "要繼續（沒有模擬手機）：" in out and "Traceback" not in err
    assert (folder / "demo.db").exists()
