"""The load benchmark at N = 50 (on each store) and the store benchmark, so they never rot:
correctness only, never timing.

Runs the real driver (``bench/load/driver.py``): ``facilitator serve`` in its own process, the
phones in a generator process, the moderator opening the poll. Every phone must join, get its
vote acknowledged, see a tally holding its own ballot, end on the final tally and receive every
snapshot of the broadcast phase.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
N = 50


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_fifty_phones_vote_and_all_see_the_final_tally(tmp_path: Path, store: str) -> None:
    out = tmp_path / "load.json"
    argv = [sys.executable, str(ROOT / "bench/load/driver.py"), "--n", str(N), "--stores", store]
    argv += ["--modes", "front", "--servers", "facilitator", "--window", "3"]
    argv += ["--broadcasts", "3", "--rate", "200", "--json", str(out)]
    done = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = json.loads(out.read_text(encoding="utf-8"))
    assert result["poll_opened"]
    assert result["join_failed"] == 0, result["errors"]
    assert result["vote_failed"] == 0, result["errors"]
    assert result["not_seen"] == 0  # every phone saw a tally holding its own ballot
    assert result["lost"] == 0  # every phone's last snapshot is the final tally
    assert result["missed_broadcasts"] == 0
    assert result["acked"] == N
    assert result["server"] == (
        "facilitator (PostgreSQL)" if store == "postgresql" else "facilitator"
    )


def test_the_store_benchmark_measures_both_backends() -> None:
    argv = [sys.executable, str(ROOT / "bench/store.py"), "--quick"]
    done = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [row.split("|")[1].strip() for row in rows[1:]] == ["SQLite", "PostgreSQL"]
    assert "PostgreSQL / SQLite:" in done.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="the peer needs Node.js (make install)")
def test_twenty_phones_against_the_node_peer_and_facilitator_give_ratios(tmp_path: Path) -> None:
    """The Node socket.io peer runs the same meeting, and the report puts the two side by side."""
    out = tmp_path / "load.json"
    argv = [sys.executable, str(ROOT / "bench/load/driver.py"), "--n", "20"]
    argv += ["--modes", "uniform", "--servers", "facilitator", "peer", "--window", "2"]
    argv += ["--broadcasts", "2", "--rate", "200", "--json", str(out)]
    done = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["server"] for r in results] == ["facilitator", "peer"]
    for result in results:
        assert "error" not in result, result
        assert result["join_failed"] == result["vote_failed"] == 0, result["errors"]
        assert result["not_seen"] == result["lost"] == result["missed_broadcasts"] == 0
        assert result["acked"] == 20
        assert result["generator_msgs"] > 0  # the generator counted what it received
    assert "| / peer |" in done.stdout  # the medians table carries facilitator / peer ratios
