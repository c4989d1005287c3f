"""Attendance by category and by building, head count, and — for meetings of an invited roster
(議事亭, 7+X) — whether a two-thirds quorum of the roster is met, and who on the roster has no
phone yet (to hand a card to, ``invite``, or to link, ``link``). A 廣場夜話 is open to whoever
comes: its roster is simply who came, so a roster quorum would say nothing there."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.widgets import Static

from facilitator.agenda import SessionKind
from facilitator.minutes.rules import quorum_line
from facilitator.session.decision import QuorumStatus, required_for
from facilitator.session.people import by_category
from facilitator.session.values import QuorumRule
from facilitator.tui.view import View, label
from facilitator.tui.widgets.colors import BAD_STYLE, OK_STYLE

QUORUM_NUM, QUORUM_DEN = 2, 3  # the usual rule of a 7+X council, unless the agenda sets one
ROSTER_KINDS = (SessionKind.PAVILION, SessionKind.SEVEN_PLUS_X)
NAMES_MAX = 12  # roster entries without a phone named in the lobby; the rest are counted


def attendance_text(view: View) -> Text:
    tr, state = view.tr, view.state
    present = [p for p in state.participants.values() if p.checked_in]
    text = Text()
    text.append(
        tr(
            "console.lobby.present",
            present=state.present,
            checked_in=state.checked_in,
            walk_ins=state.walk_ins,
        )
        + "\n",
        "bold",
    )
    # the place's own categories first, in its order (session.people.by_category)
    for category, count in by_category(state, (p.category for p in present)):
        name = (
            label(tr, f"term.category.{category}", category)
            if category
            else tr("console.lobby.uncategorized")
        )
        text.append(f"  {name}  {count}\n")
    by_building = Counter(p.building for p in present if p.building)
    if len(by_building) > 1:
        buildings = sorted(by_building.items(), key=lambda kv: kv[0])
        text.append("  " + " · ".join(f"{b} {n}" for b, n in buildings) + "\n", "dim")
    roster = len(state.participants)
    if state.quorum.rule in (QuorumRule.COUNT, QuorumRule.ROSTER_FRACTION):
        # the agenda's own quorum of people present: 「在場9人，法定人數8人：已達」
        required = required_for(state.quorum, roster, state.present)
        status = QuorumStatus(state.quorum.rule, state.present, required, state.present)
        text.append(quorum_line(tr, status), OK_STYLE if status.met else BAD_STYLE)
    elif roster and state.kind in ROSTER_KINDS:
        needed = -(-QUORUM_NUM * roster // QUORUM_DEN)
        met = state.present >= needed
        text.append(
            tr("console.lobby.quorum", roster=roster, needed=needed, num=QUORUM_NUM, den=QUORUM_DEN)
            + " "
        )
        text.append(
            tr("console.lobby.quorum_met" if met else "console.lobby.quorum_short"),
            OK_STYLE if met else BAD_STYLE,
        )
    if state.kind in ROSTER_KINDS:
        without = sorted(
            (p for p in state.participants.values() if not p.has_device), key=lambda p: p.number
        )
        if without:
            names = [p.display_name + (" ✓" if p.checked_in else "") for p in without[:NAMES_MAX]]
            more = f" +{len(without) - NAMES_MAX}" if len(without) > NAMES_MAX else ""
            text.append("\n" + tr("console.lobby.no_phone", names="、".join(names) + more))
            text.append("\n" + tr("console.lobby.no_phone_hint"), "dim")
    if view.phones is not None:
        text.append("\n" + tr("console.status.phones", count=view.phones), "dim")
    text.rstrip()
    return text


class Attendance(Static):
    """The lobby's attendance panel."""

    def show(self, view: View) -> None:
        self.update(attendance_text(view))
