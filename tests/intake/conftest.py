"""The coverage meta-tests read what every other intake test recorded, so they run last."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name == "test_zz_coverage.py")
