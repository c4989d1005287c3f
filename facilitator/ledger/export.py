"""The ledger exported: CSV and JSON for spreadsheets and other systems, ICS for calendars.

Every export is a pure function of the ledger and ``today`` (overdue is derived from it), with a
fixed column order, so exporting twice gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from icalendar import Calendar, Event

from facilitator.i18n import lookup, translator
from facilitator.ledger.model import Entry, Ledger

COLUMNS = (
    "ref",
    "status",
    "title",
    "measures",
    "owner",
    "deadline",
    "place",
    "building",
    "category",
    "session_date",
    "session_title",
    "done_on",
    "reopened",
    "feedback",
    "ratings",
    "average",
)


def entry_record(entry: Entry, today: dt.date) -> dict[str, Any]:
    """One entry as plain JSON-ready values (dates as ISO text)."""
    average = entry.average
    return {
        "ref": entry.ref,
        "status": entry.shown_status(today).value,
        "title": entry.title,
        "measures": entry.measures,
        "owner": entry.owner,
        "deadline": entry.deadline.isoformat() if entry.deadline else None,
        "place": entry.place,
        "building": entry.building,
        "category": entry.category,
        "session_date": entry.session_date.isoformat(),
        "session_title": entry.session_title,
        "done_on": entry.done_on.isoformat() if entry.done_on else None,
        "reopened": entry.reopened,
        "feedback": [
            {"at": f.at.isoformat(), "text": f.text, "by": f.by, "status": f.status}
            for f in entry.feedback
        ],
        "ratings": [r.stars for r in entry.ratings],
        "average": None if average is None else round(average, 2),
    }


def to_json(ledger: Ledger, today: dt.date) -> str:
    """Every entry as a JSON array (UTF-8 text, participant text as written)."""
    records = [entry_record(x, today) for x in ledger.entries]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


BOM = "\ufeff"


def to_csv(ledger: Ledger, today: dt.date, lang: str | None = None) -> str:
    """One row per entry; feedback texts joined by `` / ``, ratings by spaces.

    With ``lang`` the file is for people: headers and statuses in that language, and a byte
    order mark first so that Excel reads it as UTF-8 (it guesses a local code page otherwise
    and shows 整改 as mojibake). Without, the headers are the stable column keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if lang is None:
        writer.writerow(COLUMNS)
    else:
        tr = translator(lang)
        buffer.write(BOM)
        writer.writerow([tr(f"minutes.csv.{c}") for c in COLUMNS])
    for entry in ledger.entries:
        record = entry_record(entry, today)
        record["feedback"] = " / ".join(f["text"] for f in record["feedback"])
        record["ratings"] = " ".join(str(s) for s in record["ratings"])
        if lang is not None:
            status = record["status"]
            record["status"] = lookup(f"term.action_status.{status}", lang) or status
        writer.writerow(["" if record[c] is None else record[c] for c in COLUMNS])
    return buffer.getvalue()


def to_ics(ledger: Ledger, today: dt.date) -> bytes:
    """An iCalendar file: one all-day event on each open or done item's deadline."""
    calendar = Calendar()
    calendar.add("prodid", "-//facilitator//action ledger//EN")
    calendar.add("version", "2.0")
    for entry in ledger.entries:
        if entry.deadline is None:
            continue
        event = Event()
        event.add("uid", f"{entry.ref}@facilitator")
        event.add("dtstamp", entry.created_at.astimezone(dt.UTC))
        event.add("dtstart", entry.deadline)
        event.add("dtend", entry.deadline + dt.timedelta(days=1))
        event.add("summary", entry.title)
        lines = [f"{entry.owner}" if entry.owner else "", entry.measures, entry.place]
        lines.append(f"status: {entry.shown_status(today).value}; ref: {entry.ref}")
        event.add("description", "\n".join(x for x in lines if x))
        if entry.place:
            event.add("location", entry.place)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
