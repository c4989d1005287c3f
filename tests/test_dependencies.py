"""The Python dependencies are locked: constraints.txt pins every package the tests ran with.

``make install`` installs with ``pip -c constraints.txt``, so a fresh clone gets these versions.
This fails when a direct dependency is missing from the lock, or when the environment running the
tests is not the locked one (then either reinstall, or run ``make lock`` and commit the new pins
once the tests pass with them).
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).parents[1]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"constraints.txt: {line!r} is not pinned with =="
        found[canonical(name)] = version
    return found


def direct_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted.extend(extra)
    return {canonical(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in wanted}


def test_every_direct_dependency_is_pinned() -> None:
    missing = direct_dependencies() - set(pins())
    assert not missing, f"not in constraints.txt: {sorted(missing)} (run make lock)"


def test_the_tests_run_with_the_locked_versions() -> None:
    wrong = {}
    for name, version in pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "(not installed)"
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked vs installed: {wrong} (make clean install, or make lock)"
