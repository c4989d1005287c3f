"""The district report as Markdown, as CSV (UTF-8 with a byte order mark, like the ledger's CSV)
and as JSON. Labels come from the catalogs; place, building and category names are participant
text: the caller passes the Markdown escaping of the minutes (``escape``) for the Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from facilitator.i18n import normalize_lang, translator
from facilitator.ledger.district import DistrictReport, PlaceName
from facilitator.ledger.export import BOM
from facilitator.ledger.report import rate
from facilitator.ledger.stats import Figures, Report

Escape = Callable[[str], str]
COLUMNS = (
    "minutes.district.col.sessions",
    "minutes.report.col.issues",
    "minutes.district.col.requests",
    "term.resolution_rate",
    "term.on_time_rate",
    "term.satisfaction_rate",
    "minutes.district.col.answer_median",
    "minutes.district.col.answer_p90",
    "minutes.district.col.close_median",
    "minutes.district.col.close_p90",
)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _cells(f: Figures, sessions: int | None) -> list[str]:
    return [
        "—" if sessions is None else str(sessions),
        str(f.issues_raised),
        str(f.requests),
        rate(f.resolution_rate),
        rate(f.on_time_rate),
        rate(f.satisfaction_rate),
        _number(f.answer_median),
        _number(f.answer_p90),
        _number(f.close_median),
        _number(f.close_p90),
    ]


def _name(tr: Callable[..., str], text: str, escape: Escape) -> str:
    return escape(text) if text else tr("minutes.unspecified")


def _period(tr: Callable[..., str], report: Report) -> str:
    if report.since is None and report.until is None:
        return tr("minutes.district.period_all", today=report.today.isoformat())
    since = report.since.isoformat() if report.since else "…"
    until = report.until.isoformat() if report.until else "…"
    return tr("minutes.district.period", since=since, until=until, today=report.today.isoformat())


def render_district(report: DistrictReport, lang: str, escape: Escape) -> str:
    """The district report in Markdown: by place (with the total), by category, by building."""
    tr = translator(normalize_lang(lang))
    header = [tr(key) for key in COLUMNS]

    def table(first: list[str], rows: list[list[str]], sessions: bool = False) -> list[str]:
        shown = header if sessions else header[1:]  # sessions belong to places, not to slices
        marks = ["---"] * len(first) + ["---:"] * len(shown)
        lines = [[*first, *shown], marks, *rows]
        return [*("| " + " | ".join(line) + " |" for line in lines), ""]

    out = [f"# {tr('minutes.district.title')}", "", _period(tr, report.total), ""]
    out += [f"## {tr('minutes.district.by_place')}", ""]
    rows = [
        [_name(tr, p.place.name, escape), *_cells(p.report.total, p.report.sessions_held)]
        for p in report.places
    ]
    total = [
        f"**{tr('minutes.district.total')}**",
        *_cells(report.total.total, report.total.sessions_held),
    ]
    out += table([tr("minutes.csv.place")], [*rows, total], sessions=True)
    out += [f"## {tr('minutes.report.by_category')}", ""]
    out += (
        table(
            [tr("term.category")],
            [[_name(tr, n, escape), *_cells(f, None)[1:]] for n, f in report.by_category],
        )
        if report.by_category
        else [tr("minutes.none"), ""]
    )
    out += [f"## {tr('minutes.report.by_building')}", ""]
    out += (
        table(
            [tr("minutes.csv.place"), tr("term.building")],
            [
                [_name(tr, p.name, escape), _name(tr, n, escape), *_cells(f, None)[1:]]
                for p, n, f in report.by_building
            ],
        )
        if report.by_building
        else [tr("minutes.none"), ""]
    )
    notes = [
        tr("minutes.report.note.resolution"),
        tr("minutes.report.note.on_time"),
        tr("minutes.report.note.satisfaction"),
        tr("minutes.district.note.times"),
    ]
    out += ["---", "", *(line + "  " for line in notes[:-1]), notes[-1], ""]
    return "\n".join(out)


def _record(f: Figures) -> dict[str, Any]:
    def share(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "issues_raised": f.issues_raised,
        "issues_rejected": f.issues_rejected,
        "issues_resolved": f.issues_resolved,
        "resolution_rate": share(f.resolution_rate),
        "actions": f.actions,
        "actions_done": f.actions_done,
        "actions_overdue": f.actions_overdue,
        "on_time": f.on_time,
        "on_time_base": f.on_time_base,
        "on_time_rate": share(f.on_time_rate),
        "ratings": f.ratings,
        "satisfied": f.satisfied,
        "satisfaction_rate": share(f.satisfaction_rate),
        "requests": f.requests,
        "first_answer_hours_median": f.answer_median,
        "first_answer_hours_p90": f.answer_p90,
        "close_days_median": f.close_median,
        "close_days_p90": f.close_p90,
    }


def _place(p: PlaceName) -> dict[str, str]:
    return {"place_id": p.place_id, "place": p.name}


def district_json(report: DistrictReport) -> str:
    """The figures with their counts, for other systems (keys are stable, not translated)."""
    total = report.total
    data = {
        "from": total.since.isoformat() if total.since else None,
        "to": total.until.isoformat() if total.until else None,
        "today": total.today.isoformat(),
        "total": {"sessions_held": total.sessions_held, **_record(total.total)},
        "places": [
            {**_place(p.place), "sessions_held": p.report.sessions_held, **_record(p.report.total)}
            for p in report.places
        ],
        "by_category": [{"category": n, **_record(f)} for n, f in report.by_category],
        "by_building": [
            {**_place(p), "building": n, **_record(f)} for p, n, f in report.by_building
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def district_csv(report: DistrictReport, lang: str) -> str:
    """One row per place, the total, each category and each place's building."""
    tr = translator(normalize_lang(lang))
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    first = ["minutes.district.col.level", "minutes.csv.place", "term.building", "term.category"]
    writer.writerow([tr(key) for key in (*first, *COLUMNS)])
    level = {
        k: tr(f"minutes.district.level.{k}") for k in ("place", "total", "category", "building")
    }
    for p in report.places:
        writer.writerow(
            [level["place"], p.place.name, "", "", *_cells(p.report.total, p.report.sessions_held)]
        )
    total = report.total
    writer.writerow([level["total"], "", "", "", *_cells(total.total, total.sessions_held)])
    for name, f in report.by_category:
        writer.writerow([level["category"], "", "", name, *_cells(f, None)])
    for place, name, f in report.by_building:
        writer.writerow([level["building"], place.name, name, "", *_cells(f, None)])
    return buffer.getvalue()
