"""The engine is sans-IO: importing it pulls in no event loop, sockets, database or UI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("asyncio", "sqlite3", "socket", "textual", "aiohttp", "socketio", "engineio")
ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
before = set(sys.modules)
import facilitator.session
import facilitator.session.engine
loaded = sorted(set(sys.modules) - before)
print(json.dumps({"loaded": loaded, "session": "facilitator.session.engine" in sys.modules}))
"""


def test_importing_the_engine_imports_no_io() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    report = json.loads(done.stdout)
    assert report["session"]
    loaded = set(report["loaded"])
    found = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    assert found == []
