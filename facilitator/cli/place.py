"""``facilitator place``: a place (小區/社區) between evenings — create it, add buildings (each gets
an intake code for its QR sheet), staff and settings, and print one A4 sheet per building."""

from __future__ import annotations

import argparse
import secrets
import string
from pathlib import Path
from typing import Any

from facilitator.cli._common import DB_HELP, DEFAULT_DB, database, fail
from facilitator.cli._intake import open_hub, place_or_fail, run_command
from facilitator.i18n import LANGS, t
from facilitator.intake import PlaceState
from facilitator.intake import commands as c
from facilitator.server.intake_sheet import building_sheets, building_url

_ALPHABET = string.ascii_lowercase + string.digits


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (value or "").replace("，", ",").split(",") if x.strip())


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "place",
        help="a place (小區/社區): buildings with their QR codes, categories, staff, settings",
        description="Places outlive sessions: residents raise requests from a building's QR code.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    sub = parser.add_subparsers(dest="place_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", parents=[common], help="create a place")
    create.add_argument("place", metavar="PLACE_ID", help="a short id, e.g. heping (in URLs)")
    create.add_argument("--name", required=True, help="the name residents know, e.g. 和平里社區")
    create.add_argument("--lang", choices=LANGS, default=LANGS[0])
    create.add_argument("--categories", help="comma-separated, e.g. 路燈照明,停車收費,環境衛生")
    create.add_argument("--answer-within", type=int, default=48, metavar="HOURS")
    create.add_argument("--deliver-within", type=int, default=14, metavar="DAYS")
    setting = sub.add_parser("set", parents=[common], help="change name, categories, timeliness")
    setting.add_argument("place", metavar="PLACE_ID")
    setting.add_argument("--name")
    setting.add_argument("--categories")
    setting.add_argument("--answer-within", type=int, metavar="HOURS")
    setting.add_argument("--deliver-within", type=int, metavar="DAYS")
    building = sub.add_parser("building", parents=[common], help="add a building")
    building.add_argument("place", metavar="PLACE_ID")
    building.add_argument("name", metavar="NAME", help="e.g. 6號樓")
    building.add_argument("--units", help="comma-separated, e.g. 1單元,2單元")
    building.add_argument("--code", help="the intake code (default: random, 6 characters)")
    staff = sub.add_parser("staff", parents=[common], help="add a staff member")
    staff.add_argument("place", metavar="PLACE_ID")
    staff.add_argument("name", metavar="NAME")
    show = sub.add_parser("show", parents=[common], help="the place, its buildings and codes")
    show.add_argument("place", metavar="PLACE_ID")
    show.add_argument("--url", default="", help="the server's public URL, to print full links")
    sub.add_parser("list", parents=[common], help="every place")
    sheets = sub.add_parser("sheets", parents=[common], help="A4 sheets with QR codes (HTML)")
    sheets.add_argument("place", metavar="PLACE_ID")
    sheets.add_argument(
        "--url", required=True, help="the URL phones use, e.g. http://10.0.0.2:8080"
    )
    sheets.add_argument("--building", help="only this building (name or code)")
    sheets.add_argument("--lang", choices=LANGS, help="default: the place's language")
    sheets.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with open_hub(args.db) as hub:
        if hub is None:
            return 2
        if args.place_command == "list":
            for place_id in hub.place_ids():
                state = hub.state(place_id)
                print(f"{place_id}\t{state.name}\t{len(state.buildings)}\t{len(state.requests)}")
            return 0
        if args.place_command == "create":
            command: c.Command = c.CreatePlace(
                at=hub.clock(),
                place_id=args.place,
                name=args.name,
                lang=args.lang,
                categories=_split(args.categories),
                answer_within_h=args.answer_within,
                deliver_within_d=args.deliver_within,
            )
            return run_command(hub, args.place, command, "cli.place.created", place=args.place)
        found = place_or_fail(hub, args.place)
        if found is None:
            return 2
        return _act(args, hub, found)


def _act(args: argparse.Namespace, hub: Any, state: PlaceState) -> int:
    now, lang = hub.clock(), state.lang
    match args.place_command:
        case "set":
            categories = None if args.categories is None else _split(args.categories)
            command: c.Command = c.UpdatePlace(
                at=now,
                name=args.name,
                categories=categories,
                answer_within_h=args.answer_within,
                deliver_within_d=args.deliver_within,
            )
            return run_command(hub, args.place, command, "cli.place.updated", place=args.place)
        case "building":
            code = args.code or "".join(secrets.choice(_ALPHABET) for _ in range(6))
            command = c.AddBuilding(at=now, code=code, name=args.name, units=_split(args.units))
            return run_command(
                hub, args.place, command, "cli.place.building", name=args.name, code=code
            )
        case "staff":
            command = c.AddStaff(at=now, name=args.name)
            return run_command(
                hub, args.place, command, "cli.place.staff_added", name=args.name, place=args.place
            )
        case "show":
            print(f"{state.name} ({state.place_id}, {state.lang})")
            print(t("cli.place.categories", lang, categories="、".join(state.categories) or "-"))
            hours, days = state.answer_within_h, state.deliver_within_d
            print(t("cli.place.timeliness", lang, hours=hours, days=days))
            print(t("cli.place.staff", lang, names="、".join(state.staff) or "-"))
            for b in state.buildings:
                where = building_url(args.url, b) if args.url else f"/b/{b.code}"
                units = f" ({'、'.join(b.units)})" if b.units else ""
                print(f"  {b.name}{units}\t{where}")
            return 0
        case "sheets":
            page = building_sheets(state, args.url, args.lang, args.building)
            if args.building and not any(
                args.building in (b.code, b.name) for b in state.buildings
            ):
                return fail(lang, "cli.place.no_building", building=args.building, place=args.place)
            if args.output:
                args.output.write_text(page, encoding="utf-8")
                print(t("cli.wrote", lang, path=args.output))
            else:
                print(page)
            return 0
    return fail(lang, "cli.unknown_action", action=args.place_command)
