"""``facilitator sessions`` lists a database's sessions (code, numeric code, date, phase, title,
place) in the chosen language, fitted to 80 columns; ``minutes`` takes any of those codes,
a closed session's numeric code included."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.cli.sessions import width
from facilitator.store import EventStore

PHASES = {"zh-Hant": "已結束", "zh-Hans": "已结束", "en": "Closed"}


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_sessions_lists_every_session_readably_at_80_columns(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["sessions", "--db", str(db), "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    with EventStore.open(db) as store:
        sessions = store.sessions()
    assert len(lines) == 1 + len(sessions) + 1  # header, one per session, the hint
    assert all(width(line) <= 80 for line in lines[:-1]), lines  # the hint holds the path
    for info, line in zip(sessions, lines[1:], strict=False):  # newest first
        assert line.split()[:3] == [
            info.join_code,
            info.numeric_code,
            (info.date or info.created_at.date()).isoformat(),
        ]
        assert PHASES[lang] in line
        assert line.split("  ")[-1].startswith(info.title[:10])
    assert "facilitator minutes" in lines[-1]


def test_a_long_title_is_cut_to_fit(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from facilitator.cli.sessions import fit, table

    with EventStore.open(db) as store:
        sessions = store.sessions()
    lines = table("zh-Hant", sessions, 60)
    assert all(width(line) <= 60 for line in lines)
    assert any(line.endswith("…") for line in lines)
    assert fit("加裝電梯意見徵集", 9) == "加裝電梯…" and width("加裝電梯…") == 9


def test_sessions_says_so_when_there_are_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    EventStore.open(empty).close()
    assert main(["sessions", "--db", str(empty)]) == 0
    assert "裏還沒有會議" in capsys.readouterr().err
    assert main(["sessions", "--db", str(tmp_path / "none.db")]) == 2
    assert "找不到資料庫" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_minutes_takes_the_numeric_code_of_a_closed_session(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EventStore.open(db) as store:
        closed = [s for s in store.sessions() if s.phase.value == "closed"]
    info = closed[0]  # the newest with its code, as `sessions` shows it
    assert main(["minutes", info.numeric_code, "--db", str(db)]) == 0
    by_number = capsys.readouterr().out
    assert main(["minutes", info.session_id, "--db", str(db)]) == 0
    assert by_number == capsys.readouterr().out
    assert main(["minutes", info.join_code.lower(), "--db", str(db)]) == 0
    assert by_number == capsys.readouterr().out
