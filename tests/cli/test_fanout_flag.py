"""``--stock-fanout`` on ``serve`` and ``run`` turns the fast fan-out off (docs/console.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import facilitator.cli.serve as serve_cli
import facilitator.server as server_package
from facilitator.cli import build_parser, main
from facilitator.server import ServerSettings


@pytest.mark.parametrize(("flags", "fast"), [([], True), (["--stock-fanout"], False)])
def test_serve_builds_its_settings_from_the_flag(
    flags: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[ServerSettings] = []

    @dataclass
    class Recording(ServerSettings):
        def __post_init__(self) -> None:
            built.append(self)

    def no_session(args: Any, body: Callable[..., int]) -> int:
        return 0

    monkeypatch.setattr(server_package, "ServerSettings", Recording)  # serve imports it late
    monkeypatch.setattr(serve_cli, "with_session", no_session)
    assert main(["serve", "AGENDA.md", *flags]) == 0
    assert [s.fast_fanout for s in built] == [fast]


def test_run_takes_the_flag_too() -> None:
    args = build_parser().parse_args(["run", "AGENDA.md", "--stock-fanout"])
    assert args.stock_fanout is True
    assert build_parser().parse_args(["run", "AGENDA.md"]).stock_fanout is False
