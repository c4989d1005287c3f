"""The lobby's attendance panel: by category and building; a roster quorum only where it means
something (an invited roster: 議事亭, 7+X)."""

from __future__ import annotations

import datetime as dt

from facilitator.agenda import AgendaItemSpec, SessionKind
from facilitator.session import SessionEngine, SessionState
from facilitator.session import commands as c
from facilitator.tui.view import View
from facilitator.tui.widgets.attendance import attendance_text

T0 = dt.datetime(2026, 5, 20, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def room(kind: SessionKind, present: int, absent: int) -> SessionState:
    engine = SessionEngine()
    engine.handle(
        c.CreateSession(
            at=T0,
            session_id="s",
            kind=kind,
            title="議事",
            join_code="ABC234",
            numeric_code="4321",
            items=(AgendaItemSpec("一"),),
            item_ids=("a1",),
        )
    )
    for n in range(present + absent):
        engine.handle(
            c.AddRosterEntry(
                at=T0,
                participant_id=f"r{n}",
                display_name=f"代表{n}",
                category="居民代表",
                building=f"{n % 2 + 1}號樓",
                check_in=n < present,
            )
        )
    return engine.state


def text(state: SessionState) -> str:
    return attendance_text(View(state=state, now=T0, lang="zh-Hant", join_url="")).plain


def test_an_invited_roster_shows_its_quorum() -> None:
    shown = text(room(SessionKind.PAVILION, present=7, absent=5))
    assert "需 8 人" in shown and "未達到" in shown
    assert "已達到" in text(room(SessionKind.SEVEN_PLUS_X, present=8, absent=4))


def test_a_square_talk_has_no_roster_quorum_but_counts_by_building() -> None:
    shown = text(room(SessionKind.SQUARE_TALK, present=5, absent=0))
    assert "法定人數" not in shown
    assert "1號樓 3 · 2號樓 2" in shown
    assert "居民代表  5" in shown


def test_an_invited_roster_names_who_has_no_phone_yet() -> None:
    state = room(SessionKind.PAVILION, present=1, absent=13)
    shown = text(state)
    assert "名冊上尚未用手機的（✓ 已到）：代表0 ✓、代表1、" in shown
    assert "代表11 +2" in shown and "代表12" not in shown  # twelve names, then a count
    assert "invite" in shown and "link" in shown
    engine = SessionEngine(state)
    for n in range(14):
        engine.handle(c.InviteRosterEntry(at=T0, participant_id=f"r{n}", invite_key=f"card{n}"))
        engine.handle(
            c.JoinSession(
                at=T0, participant_id=f"x{n}", device_key=f"d{n}", display_name="",
                invite_key=f"card{n}",
            )
        )  # fmt: skip
    assert "尚未用手機" not in text(engine.state)
    assert "尚未用手機" not in text(room(SessionKind.SQUARE_TALK, present=2, absent=2))
