"""Fixtures for the engine tests; the helpers themselves live in ``session_kit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.session.session_kit import Clock, Harness, make_session

META_TESTS = "test_zz_coverage.py"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make() -> Callable[..., Harness]:
    """The session factory: ``make(phones=5, walk_ins=3, ...)``."""
    return make_session


@pytest.fixture
def h() -> Harness:
    """An opened session with five checked-in phones ``p1..p5``, two roster entries ``r1, r2``
    (not checked in) and three pending items ``a1..a3``."""
    return make_session(phones=5, roster=2)


@pytest.fixture
def live() -> Harness:
    """Like ``h``, with the first item in progress."""
    return make_session(phones=5, roster=2, start_first=True)


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    """The coverage meta-tests read what every other test recorded, so they run last."""
    items.sort(key=lambda item: item.path.name == META_TESTS)
