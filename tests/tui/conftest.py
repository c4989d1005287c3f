"""Fixtures for the console tests; the helpers live in ``console_kit``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.console_kit import Kit, make_kit


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Kit]:
    """A created (not yet opened) session in a real SQLite log, with a fixed clock and ids."""
    made = make_kit(tmp_path)
    yield made
    made.close()
