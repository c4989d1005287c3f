"""Each server test gets its own live server in its own event loop, under both fan-out paths.

``fast``: snapshots written as one frame to each websocket (server/fanout.py); ``stock``:
python-socketio's own manager, the fallback ``ServerSettings.fast_fanout=False`` turns on. Every
server test passes with either, so the fallback is known to work the day it is needed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.server.server_kit import Live, start_live


@pytest.fixture(params=[True, False], ids=["fast", "stock"])
async def live(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Live]:
    server = await start_live(tmp_path, fast_fanout=request.param)
    try:
        yield server
    finally:
        await server.close()
