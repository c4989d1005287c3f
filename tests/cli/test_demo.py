"""``facilitator demo --headless``: the demo's phones and server work end to end, so it never rots.

Correctness only (who joined, what was counted), never timing: the pace is shortened so the run
takes a few seconds.
"""

from __future__ import annotations

import re
import subprocess
import sys


def test_the_headless_demo_runs_a_whole_evening_with_real_phones() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "facilitator",
            "demo",
            "--headless",
            "--pace",
            "0.25",
            "--phones",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
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
