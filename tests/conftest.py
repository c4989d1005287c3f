"""Markers for console tests that take seconds: a whole evening through Pilot, the pictures of the
screen and the layout checks at several sizes. Marked here by module (the other slow tests carry
their ``pytestmark``), so ``make test-fast`` leaves them out; ``make test`` runs them all."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent
SLOW_CONSOLE = {"test_full_session.py", "test_snapshots.py", "test_layout.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent == ROOT / "tui" and item.path.name in SLOW_CONSOLE:
            item.add_marker(pytest.mark.slow)
