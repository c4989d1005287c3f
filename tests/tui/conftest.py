"""Fixtures for the console tests; the helpers live in ``console_kit``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from facilitator.tui.app import ConsoleApp
from facilitator.tui.screens.base import SessionScreen
from tests.tui.console_kit import Kit, make_kit, until


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Kit]:
    """A created (not yet opened) session in a real SQLite log, with a fixed clock and ids."""
    made = make_kit(tmp_path)
    yield made
    made.close()


@pytest.fixture(autouse=True)
def _first_view_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_test`` hands over the pilot once the console shows its first view.

    The app pushes its view from ``on_mount``; on a loaded machine a test could otherwise reach
    for ``app.screen`` a moment before there is one ("No screens on stack").
    """
    original = ConsoleApp.run_test

    def showing(app: ConsoleApp) -> bool:
        try:
            return isinstance(app.screen, SessionScreen)
        except Exception:  # no screen yet
            return False

    @asynccontextmanager
    async def run_test(self: ConsoleApp, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot[None]]:
        async with original(self, *args, **kwargs) as pilot:
            await until(lambda: showing(self), timeout=10.0)
            yield pilot

    monkeypatch.setattr(ConsoleApp, "run_test", run_test)
