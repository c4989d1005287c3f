"""Meta-tests: every command was run and every refusal the engine can raise was seen.

The other test modules record what they did through ``session_kit``; these tests run last (see
``conftest.py``) and are skipped when only part of the folder was selected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitator.session import engine
from facilitator.session.errors import ErrorCode, SessionError, default_message
from tests.session.session_kit import ACCEPTED, REJECTED

PACKAGE = Path(engine.__file__).parent
# errors.py lists every code; access.py is the hub's permission guard, tested with the hub.
NOT_DECIDERS = {"errors.py", "access.py"}
DOMAIN_TESTS = {
    "test_meeting.py",
    "test_issues.py",
    "test_items.py",
    "test_speakers.py",
    "test_votes.py",
    "test_actions.py",
}


@pytest.fixture
def whole_folder(request: pytest.FixtureRequest) -> None:
    ran = {item.path.name for item in request.session.items}
    if not ran >= DOMAIN_TESTS:
        pytest.skip("needs the whole tests/session folder")


def raised_codes() -> set[ErrorCode]:
    """Every ``ErrorCode.X`` written in the engine's source."""
    names: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        if path.name not in NOT_DECIDERS:
            names |= set(re.findall(r"ErrorCode\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    return {ErrorCode[name] for name in names}


def test_the_source_scan_finds_the_codes() -> None:
    codes = raised_codes()
    assert ErrorCode.OVER_CAPACITY in codes
    assert len(codes) >= 40


@pytest.mark.usefixtures("whole_folder")
def test_every_error_code_the_engine_raises_is_exercised() -> None:
    missing = sorted(code.value for code in raised_codes() - REJECTED)
    assert missing == []


@pytest.mark.usefixtures("whole_folder")
def test_every_command_type_is_run() -> None:
    missing = sorted(cls.__name__ for cls in engine.COMMAND_TYPES if cls not in ACCEPTED)
    assert missing == []


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_code_has_an_english_message(code: ErrorCode) -> None:
    template = default_message(code)
    assert template.endswith((".", ")")) or "{reason}" in template
    error = SessionError(code)  # missing parameters fall back to the template
    assert error.code is code
    assert str(error).startswith(f"{code.value}: ")
