"""``facilitator new --intake``: an agenda item listing the requests a place scheduled for the next
session, put right after the follow-ups ("what we promised"). The requests themselves become
issues when the session is created (``run`` / ``serve``), with their supporters."""

from __future__ import annotations

from facilitator.i18n import t
from facilitator.intake import PlaceState, RequestStatus
from facilitator.store import Database, exists

INTAKE_TIME_BOX = {"zh-Hant": "（20分鐘）", "zh-Hans": "（20分钟）", "en": " (20 min)"}
SHOWN = 60  # characters of a request's text in the agenda


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SHOWN else line[: SHOWN - 1] + "…"


def intake_block(place: PlaceState, lang: str) -> str:
    """The Markdown item, or "" when nothing is scheduled."""
    scheduled = [r for r in place.requests.values() if r.status is RequestStatus.SCHEDULED]
    if not scheduled:
        return ""
    scheduled.sort(key=lambda r: (-len(r.supporters), r.number))
    lines = [
        t(
            "intake.agenda_line",
            lang,
            number=r.number,
            text=_one_line(r.text),
            building=place.building_name(r.building),
            count=len(r.supporters),
        )
        for r in scheduled
    ]
    title = t("intake.agenda_title", lang) + INTAKE_TIME_BOX.get(lang, " (20 min)")
    body = "\n".join(f"{line}  " for line in lines).rstrip()  # a line break after each
    return f"## {title}\n\n{t('intake.agenda_text', lang)}\n\n{body}\n\n"


def insert_after_follow_ups(agenda: str, block: str, follow_up_prefix: str) -> str:
    """``agenda`` with ``block`` before its first item that is not a follow-up."""
    if not block:
        return agenda
    lines = agenda.split("\n")
    in_front = False
    for n, line in enumerate(lines):
        if line.strip() == "---":
            in_front = not in_front
            continue
        if not in_front and line.startswith("## ") and not line[3:].startswith(follow_up_prefix):
            return "\n".join([*lines[:n], block.rstrip("\n"), "", *lines[n:]])
    return agenda.rstrip("\n") + "\n\n" + block


def with_intake(agenda: str, db: Database, place_text: str, lang: str, says: str) -> str | None:
    """``agenda`` (in ``lang``) with the place's scheduled requests; ``None`` after printing why
    not, in ``says`` (the command's language)."""
    from facilitator.agenda.templates import _FOLLOW_UP_TITLE
    from facilitator.cli._common import fail, missing_database
    from facilitator.place_hub import PlaceHub
    from facilitator.place_hub.sessions import place_for

    if not exists(db):
        missing_database(says, db)
        return None
    with PlaceHub.open(db) as hub:
        place = place_for(hub, place_text)
        if place is None:
            known = ", ".join(hub.place_ids()) or t("cli.place.none", says)
            fail(says, "cli.place.no_match", place=place_text, known=known)
            return None
        block = intake_block(place, lang)
    return insert_after_follow_ups(agenda, block, _FOLLOW_UP_TITLE[lang])
