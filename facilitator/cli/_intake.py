"""What ``place``, ``intake`` and ``publish`` share: opening the place hub, finding a place, and
running one command with its refusal printed as a sentence (exit status 2).

These commands speak the place's language (:func:`place_lang`): its staff share it, and its
refusals, statuses and QR sheets are in it already. Before a place is known (no database, no such
place) they speak the locale's, as every other command does without ``--lang``; their own
``--lang`` is the place's (``place create``) or the page's (``sheets``, ``publish``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from facilitator.cli._common import cli_lang, fail, fail_with, store_failure
from facilitator.i18n import t
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


def place_lang(hub: PlaceHub, place_id: str) -> str:
    """The language of a command about ``place_id``: the place's, else the locale's."""
    return hub.state(place_id).lang if place_id in hub.place_ids() else cli_lang()


def known_places(hub: PlaceHub, lang: str) -> str:
    """The place ids of ``hub`` for a refusal that names them, or how to make the first."""
    return ", ".join(hub.place_ids()) or t("cli.place.none", lang)


def place_or_fail(hub: PlaceHub, place_id: str) -> PlaceState | None:
    if place_id not in hub.place_ids():
        lang = cli_lang()
        fail(lang, "cli.place.unknown", place=place_id, known=known_places(hub, lang))
        return None
    return hub.state(place_id)


def execute(hub: PlaceHub, place_id: str, command: c.Command) -> IntakeOutcome | None:
    """Run ``command``; a refusal or a storage problem is printed and gives ``None``."""
    try:
        return hub.execute(place_id, command, actor=CLI.actor)
    except IntakeError as error:
        fail_with(error.sentence(place_lang(hub, place_id)))
    except StoreError as error:
        store_failure(place_lang(hub, place_id), hub.log.location, error)
    return None


def run_command(
    hub: PlaceHub, place_id: str, command: c.Command, done: str, /, **params: object
) -> int:
    """Run ``command`` and say ``done`` (a ``cli.*`` key filled with ``params``) in the place's
    language; a refusal is said instead (exit status 2)."""
    if execute(hub, place_id, command) is None:
        return 2
    print(t(done, place_lang(hub, place_id), **params))
    return 0
