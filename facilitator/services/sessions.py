"""Creating a session from a prepared agenda: fresh ids and codes, the place's open promises."""

from __future__ import annotations

import datetime as dt
import logging

from facilitator.agenda import Agenda
from facilitator.hub import Hub, local_now
from facilitator.intake import IntakeError
from facilitator.ledger import follow_ups_for
from facilitator.place_hub import PlaceHub
from facilitator.place_hub.sessions import place_for, scheduled_issues, take
from facilitator.services.ids import new_codes, new_id
from facilitator.session import commands as c
from facilitator.session.values import Quorum, QuorumRule
from facilitator.store import EventLog
from facilitator.store.ledger_log import read_ledger

log = logging.getLogger(__name__)


def session_command(
    agenda: Agenda,
    store: EventLog,
    *,
    follow_ups: tuple[c.FollowUpSpec, ...] = (),
    intake_issues: tuple[c.IntakeIssueSpec, ...] = (),
    session_id: str | None = None,
) -> c.CreateSession:
    """The CreateSession command for a prepared agenda, with fresh ids and codes."""
    join, numeric = new_codes(store)
    return c.CreateSession(
        at=local_now(),
        session_id=session_id or new_id("s-"),
        kind=agenda.kind,
        title=agenda.title,
        join_code=join,
        numeric_code=numeric,
        place=agenda.place,
        moderator=agenda.moderator,
        recorder=agenda.recorder,
        date=agenda.date or local_now().date(),
        lang=agenda.lang,
        items=agenda.items,
        item_ids=tuple(new_id("a-") for _ in agenda.items),
        follow_ups=follow_ups,
        quorum=Quorum(
            QuorumRule(agenda.quorum.rule.value),
            count=agenda.quorum.count,
            num=agenda.quorum.num,
            den=agenda.quorum.den,
        ),
        categories=agenda.categories,
        intake_issues=intake_issues,
    )


def new_session_command(store: EventLog, agenda: Agenda, today: dt.date) -> c.CreateSession:
    """The CreateSession for ``agenda``; the place's open promises from the ledger come first,
    for review (the caller may claim its session id before creating it)."""
    follow_ups = follow_ups_for(read_ledger(store), agenda.place, today) if agenda.place else ()
    with PlaceHub.open(store.location) as places:  # its scheduled requests become issues
        place = place_for(places, agenda.place)
        intake = scheduled_issues(place, new_id) if place else ()
    return session_command(agenda, store, follow_ups=follow_ups, intake_issues=intake)


def take_scheduled(store: EventLog, command: c.CreateSession) -> None:
    """Once the session exists, mark the requests it took from its place's intake as taken."""
    if not command.intake_issues:
        return
    with PlaceHub.open(store.location) as places:
        place = place_for(places, command.place)
        if place is None:
            return
        try:
            take(places, place, command.intake_issues, command.session_id, command.at)
        except IntakeError as error:  # staff changed one meanwhile: the issue stays tonight
            log.warning("scheduled requests not marked taken: %s", error.message)


def create_session(hub: Hub, agenda: Agenda, today: dt.date) -> str:
    """Create a session for ``agenda`` (before phones or the console attach), as
    :func:`new_session_command` makes it. Returns the new session's id."""
    command = new_session_command(hub.store, agenda, today)
    hub.create(command)
    take_scheduled(hub.store, command)
    return command.session_id
