"""``facilitator staff``: the staff accounts of a database — a district admin acts on every place,
place staff only on the places granted to them (docs/intake.md, "Staff accounts").

A secret is generated and shown once, or read from a prompt (``--prompt``) or a line of standard
input (``--secret-stdin``); never from the command line, which other users see in ``ps``. Only its
scrypt hash is stored.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from facilitator.cli._common import (
    DB_HELP,
    DEFAULT_DB,
    cli_lang,
    database,
    fail,
    fail_with,
    say,
    store_failure,
)
from facilitator.cli._intake import open_hub
from facilitator.i18n import LANGS, t
from facilitator.place_hub import PlaceHub
from facilitator.place_hub.staff import StaffError, new_secret
from facilitator.store import StoreError
from facilitator.store.accounts import ROLES, Account


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "staff",
        help="staff accounts: district admins and place staff, their places and secrets",
        description="Who may screen which place's requests through the staff API.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    common.add_argument("--lang", choices=LANGS, help="the language of the messages")
    secret = argparse.ArgumentParser(add_help=False)
    given = secret.add_mutually_exclusive_group()
    given.add_argument("--prompt", action="store_true", help="type the secret (asked twice)")
    given.add_argument(
        "--secret-stdin", action="store_true", help="read the secret from a line of stdin"
    )
    sub = parser.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", parents=[common, secret], help="create an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="staff")
    add.add_argument(
        "--place", action="append", default=[], metavar="PLACE_ID", help="repeat for more places"
    )
    sub.add_parser("list", parents=[common], help="every account, its role and places")
    for verb, what in (
        ("grant", "let NAME act on PLACE"),
        ("revoke-place", "stop NAME acting on PLACE"),
    ):
        grant = sub.add_parser(verb, parents=[common], help=what)
        grant.add_argument("name", metavar="NAME")
        grant.add_argument("place", metavar="PLACE_ID")
    reset = sub.add_parser("reset-secret", parents=[common, secret], help="a new secret")
    reset.add_argument("name", metavar="NAME")
    for verb, what in (("disable", "sign out and lock the account"), ("enable", "unlock it")):
        sub.add_parser(verb, parents=[common], help=what).add_argument("name", metavar="NAME")
    parser.set_defaults(handler=run)


def _line(account: Account, lang: str) -> str:
    places = "*" if account.role == "admin" else ",".join(account.places) or "-"
    state = "cli.staff.disabled" if account.disabled else "cli.staff.active"
    return f"{account.name}\t{account.role}\t{places}\t{t(state, lang)}"


def _read_secret(args: argparse.Namespace, lang: str) -> tuple[str, bool] | None:
    """The secret and whether it was generated (to be shown once); ``None`` after a message."""
    if args.secret_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if args.prompt:
        first = getpass.getpass(t("cli.staff.prompt", lang) + " ")
        if getpass.getpass(t("cli.staff.prompt_again", lang) + " ") != first:
            fail(lang, "cli.staff.mismatch")
            return None
        return first, False
    return new_secret(), True


def run(args: argparse.Namespace) -> int:
    lang = cli_lang(args.lang)
    with open_hub(args.db) as hub:
        if hub is None:
            return 2
        try:
            return _act(args, hub, lang)
        except StaffError as error:
            return fail_with(error.sentence(lang))
        except StoreError as error:
            return store_failure(lang, args.db, error)


def _act(args: argparse.Namespace, hub: PlaceHub, lang: str) -> int:
    staff = hub.staff
    command = args.staff_command
    if command == "list":
        for account in staff.accounts():
            print(_line(account, lang))
        if not staff.accounts():
            say(lang, "cli.staff.none")
        return 0
    if command in ("add", "grant"):
        wanted = args.place if command == "add" else [args.place]
        unknown = [p for p in wanted if p not in hub.place_ids()]
        if unknown:
            known = ", ".join(hub.place_ids()) or "-"
            return fail(lang, "cli.staff.no_place", place=unknown[0], places=known)
    if command in ("add", "reset-secret"):
        read = _read_secret(args, lang)
        if read is None:
            return 2
        secret, generated = read
        if command == "add":
            account = staff.add(args.name, args.role, tuple(args.place), secret)
            say(lang, "cli.staff.added", line=_line(account, lang))
        else:
            staff.reset_secret(args.name, secret)
            say(lang, "cli.staff.reset", name=args.name)
        if generated:
            say(lang, "cli.staff.secret", name=args.name, secret=secret)
        return 0
    match command:
        case "grant":
            account = staff.grant(args.name, args.place)
        case "revoke-place":
            account = staff.revoke(args.name, args.place)
        case "disable" | "enable":
            account = staff.set_disabled(args.name, command == "disable")
        case _:
            return fail(lang, "cli.unknown_action", action=command)
    print(_line(account, lang))
    return 0
