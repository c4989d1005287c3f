"""Meta-tests: every intake command was run and every refusal the engine can raise was seen."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from facilitator.i18n import LANGS, catalog
from facilitator.intake import IntakeCode, engine
from facilitator.intake import commands as c
from tests.intake.intake_kit import ACCEPTED, REFUSED

SOURCE = "".join(  # the deciders and their checks
    (Path(engine.__file__).parent / name).read_text(encoding="utf-8")
    for name in ("engine.py", "checks.py")
)
ENGINE_TESTS = {"test_intake_engine.py", "test_intake_properties.py"}


@pytest.fixture
def whole_folder(request: pytest.FixtureRequest) -> None:
    if not {item.path.name for item in request.session.items} >= ENGINE_TESTS:
        pytest.skip("needs the whole tests/intake folder")


def test_every_code_is_raised_by_the_engine_and_has_a_message() -> None:
    raised = {IntakeCode[name] for name in re.findall(r"IntakeCode\.([A-Z_]+)", SOURCE)}
    assert raised == set(IntakeCode)  # no code is declared that nothing raises
    assert all(catalog(lang).get(f"intake.error.{code}") for code in IntakeCode for lang in LANGS)


@pytest.mark.usefixtures("whole_folder")
def test_every_refusal_is_exercised() -> None:
    assert sorted(code.value for code in set(IntakeCode) - REFUSED) == []


@pytest.mark.usefixtures("whole_folder")
def test_every_command_is_run() -> None:
    commands = {
        cls
        for _, cls in inspect.getmembers(c, inspect.isclass)
        if issubclass(cls, c.Command) and cls is not c.Command
    }
    assert sorted(cls.__name__ for cls in commands - ACCEPTED) == []
