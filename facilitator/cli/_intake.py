"""What ``place``, ``intake`` and ``publish`` share: opening the place hub, finding a place, and
running one command with its refusal printed as a sentence (exit status 2)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from facilitator.cli._common import cli_lang, fail_with, store_failure
from facilitator.intake import IntakeError, PlaceState
from facilitator.intake import commands as c
from facilitator.place_hub import IntakeOutcome, PlaceHub
from facilitator.place_hub.staff import operator
from facilitator.store import Database, StoreError

# Whoever can run the command line on the database file can do anything to it: the local
# operator, on every place; the events say it was the command line.
CLI = operator("cli")


@contextlib.contextmanager
def open_hub(db: Database) -> Iterator[PlaceHub | None]:
    """The place hub of ``db`` (``None`` after printing why it cannot be opened, in the locale's
    language: these commands' ``--lang`` is the place's or the page's)."""
    try:
        hub = PlaceHub.open(db)
    except StoreError as error:
        store_failure(cli_lang(), db, error)
        yield None
        return
    try:
        yield hub
    finally:
        hub.close()


def place_or_fail(hub: PlaceHub, place_id: str) -> PlaceState | None:
    if place_id not in hub.place_ids():
        known = ", ".join(hub.place_ids()) or "none yet; create one with: facilitator place create"
        fail_with(f"no place {place_id!r} (places: {known})")
        return None
    return hub.state(place_id)


def execute(hub: PlaceHub, place_id: str, command: c.Command) -> IntakeOutcome | None:
    """Run ``command``; a refusal or a storage problem is printed and gives ``None``."""
    try:
        return hub.execute(place_id, command, actor=CLI.actor)
    except IntakeError as error:
        lang = hub.state(place_id).lang if place_id in hub.place_ids() else None
        fail_with(error.sentence(lang))
    except StoreError as error:
        fail_with(error.message)
    return None


def run_command(hub: PlaceHub, place_id: str, command: c.Command, done: str) -> int:
    if execute(hub, place_id, command) is None:
        return 2
    print(done)
    return 0
