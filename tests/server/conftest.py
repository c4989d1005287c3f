"""Each server test gets its own live server in its own event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.server.server_kit import Live, start_live


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    server = await start_live(tmp_path)
    try:
        yield server
    finally:
        await server.close()
