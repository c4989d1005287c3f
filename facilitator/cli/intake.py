"""``facilitator intake``: screen a place's requests from the shell — list, show, accept, merge,
reject, answer, fix (a ledger item with owner and deadline), schedule for the next session, and
record progress of fixed items."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from facilitator.cli._common import DB_HELP, DEFAULT_DB, database
from facilitator.cli._intake import execute, open_hub, place_or_fail
from facilitator.i18n import lookup, t
from facilitator.intake import ItemProgress, PlaceState, Request, RequestStatus, Urgency
from facilitator.intake import commands as c
from facilitator.intake.state import Note
from facilitator.place_hub import PlaceHub


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "intake",
        help="screen a place's requests (碼上議): accept, merge, reject, answer, fix, schedule",
        description="Requests raised from a building's QR code, and what to do with them.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=database, default=DEFAULT_DB, help=DB_HELP)
    common.add_argument("place", metavar="PLACE_ID")
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument("--by", default="", help="the staff member doing it")
    sub = parser.add_subparsers(dest="intake_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[common], help="requests, open ones first")
    listing.add_argument("--all", action="store_true", help="also merged, rejected and done ones")
    show = sub.add_parser("show", parents=[common], help="one request with its history")
    show.add_argument("number", type=int, metavar="N")
    accept = sub.add_parser("accept", parents=[common, by], help="accept (受理)")
    accept.add_argument("number", type=int, metavar="N")
    accept.add_argument("--category", default="")
    accept.add_argument("--urgent", action="store_true")
    merge = sub.add_parser("merge", parents=[common, by], help="merge N into another request")
    merge.add_argument("number", type=int, metavar="N")
    merge.add_argument("into", type=int, metavar="INTO")
    reject = sub.add_parser("reject", parents=[common, by], help="not taken up, with a reason")
    reject.add_argument("number", type=int, metavar="N")
    reject.add_argument("reason", metavar="REASON", help="the resident reads it")
    answer = sub.add_parser("answer", parents=[common, by], help="answer the resident")
    answer.add_argument("number", type=int, metavar="N")
    answer.add_argument("text", metavar="TEXT")
    fix = sub.add_parser("fix", parents=[common, by], help="a ledger item: owner and deadline")
    fix.add_argument("number", type=int, metavar="N")
    fix.add_argument("--owner", required=True)
    fix.add_argument("--deadline", type=dt.date.fromisoformat, help="default: deliver-within")
    fix.add_argument("--title", default="", help="default: the request's text")
    schedule = sub.add_parser("schedule", parents=[common, by], help="for the next session")
    schedule.add_argument("number", type=int, metavar="N")
    schedule.add_argument("note", metavar="NOTE", nargs="?", default="", help="for the resident")
    feedback = sub.add_parser("feedback", parents=[common, by], help="progress of a fixed item")
    feedback.add_argument("item", metavar="ITEM", help="e.g. r7 (see intake show)")
    feedback.add_argument("text", metavar="TEXT", nargs="?", default="")
    feedback.add_argument("--status", choices=[p.value for p in ItemProgress])
    parser.set_defaults(handler=run)


def _line(place: PlaceState, r: Request, now: dt.datetime) -> str:
    status = t(f"intake.status.{r.status.value}", place.lang)
    waiting = r.first_answer_at is None and place.answer_overdue(r, now)
    late = " !" + t("intake.overdue", place.lang) if waiting else ""
    extra = f" → #{r.merged_into}" if r.merged_into else (f" [{r.item_id}]" if r.item_id else "")
    urgent = " " + t("intake.urgent", place.lang) if r.urgency is Urgency.URGENT else ""
    return (
        f"#{r.number}\t{status}{extra}{urgent}{late}\t{place.building_name(r.building)} {r.unit}"
        f"\t{r.category or '-'}\t+{len(r.supporters)}\t{r.text}"
    )


def _show(place: PlaceState, number: int) -> int:
    r = place.requests.get(number)
    if r is None:
        print(t("intake.error.unknown_request", place.lang, number=number))
        return 2
    print(_line(place, r, r.raised_at))
    if r.contact:
        print(t("cli.intake.contact", place.lang, contact=r.contact))
    if r.photo:
        print(t("cli.intake.photo", place.lang, photo=r.photo))
    for note in r.history:
        print(_note(note, place.lang))
    if r.item_id:
        item = place.items[r.item_id]
        print(
            t(
                "cli.intake.item",
                place.lang,
                item=item.item_id,
                ref=item.ref,
                owner=item.owner,
                deadline=item.deadline,
            )
        )
        for note in item.feedback:
            print(_note(note, place.lang))
    return 0


def _note(note: Note, lang: str) -> str:
    """One line of a history: when, what (a status, an answer, a support, a feedback) and who."""
    kinds = ("intake.status.", "intake.kind.", "cli.intake.")
    kind = next((t(k + note.kind, lang) for k in kinds if lookup(k + note.kind, lang)), note.kind)
    return f"  {note.at:%Y-%m-%d %H:%M}  {kind}  {note.text}  {note.by}".rstrip()


def _command(args: argparse.Namespace, at: dt.datetime) -> c.Command:
    n = getattr(args, "number", 0)
    match args.intake_command:
        case "accept":
            urgency = Urgency.URGENT if args.urgent else Urgency.NORMAL
            return c.AcceptRequest(
                at=at, number=n, category=args.category, urgency=urgency, by=args.by
            )
        case "merge":
            return c.MergeRequest(at=at, number=n, into=args.into, by=args.by)
        case "reject":
            return c.RejectRequest(at=at, number=n, reason=args.reason, by=args.by)
        case "answer":
            return c.AnswerRequest(at=at, number=n, text=args.text, by=args.by)
        case "fix":
            return c.FixRequest(
                at=at,
                number=n,
                item_id=f"r{n}",
                title=args.title,
                owner=args.owner,
                deadline=args.deadline,
                by=args.by,
            )
        case "schedule":
            return c.ScheduleRequest(at=at, number=n, note=args.note, by=args.by)
    status = ItemProgress(args.status) if args.status else None
    return c.RecordItemFeedback(at=at, item_id=args.item, text=args.text, status=status, by=args.by)


def run(args: argparse.Namespace) -> int:
    with open_hub(args.db) as hub:
        if hub is None:
            return 2
        place = place_or_fail(hub, args.place)
        if place is None:
            return 2
        if args.intake_command == "list":
            return _list(hub, place, args.all)
        if args.intake_command == "show":
            return _show(place, args.number)
        done = execute(hub, args.place, _command(args, hub.clock()))
        if done is None:
            return 2
        if hasattr(args, "number"):
            request = done.state.requests[args.number]
            print(_line(done.state, request, hub.clock()))
        elif args.status:
            status = t(f"intake.kind.{args.status}", place.lang)
            print(t("cli.intake.progress_recorded", place.lang, item=args.item, status=status))
        else:
            print(t("cli.intake.feedback_recorded", place.lang, item=args.item))
        return 0


_CLOSED = (RequestStatus.MERGED, RequestStatus.REJECTED, RequestStatus.ANSWERED)


def _list(hub: PlaceHub, place: PlaceState, everything: bool) -> int:
    now = hub.clock()
    shown = [r for r in place.requests.values() if everything or r.status not in _CLOSED]
    shown.sort(key=lambda r: (r.status is not RequestStatus.PENDING, r.number))
    for request in shown:
        print(_line(place, request, now))
    if not shown:
        print("-")
    return 0
