"""The reliability tests reuse the server tests' live server and the console tests' kit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.server.server_kit import Live, start_live
from tests.tui.console_kit import Kit, make_kit


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    server = await start_live(tmp_path)
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Kit]:
    """The console tests' session (fixed clock and ids), for rendering hostile text."""
    made = make_kit(tmp_path)
    yield made
    made.close()
