"""Markers for console tests that take seconds: a whole evening through Pilot, the pictures of the
screen, the layout checks at several sizes and the console in real use (typing anything beside a
live server). Marked here by module (the other slow tests carry their ``pytestmark``), so
``make test-fast`` leaves them out; ``make test`` runs them all."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent
SLOW_CONSOLE = {
    "test_full_session.py",
    "test_snapshots.py",
    "test_layout.py",
    "test_console_in_use.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent == ROOT / "tui" and item.path.name in SLOW_CONSOLE:
            item.add_marker(pytest.mark.slow)
