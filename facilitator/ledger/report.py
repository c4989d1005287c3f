"""The report as Markdown (``facilitator report``): the figures, a table by category and one by
building, and a footnote defining every rate, in the catalog's language.

Category and building names are participant text: the caller passes the Markdown escaping of the
minutes (``escape``), which this layer may not import itself.
"""

from __future__ import annotations

from collections.abc import Callable

from facilitator.i18n import lookup, normalize_lang, translator
from facilitator.ledger.stats import Figures, Report

Escape = Callable[[str], str]


def rate(value: float | None) -> str:
    """``85.7%`` (one decimal, half away from zero); ``—`` when there was nothing to count."""
    if value is None:
        return "—"
    tenths = int(value * 1000 + 0.5 + 1e-9)
    return f"{tenths // 10}.{tenths % 10}%"


def _label(lang: str, group: str, name: str, escape: Escape) -> str:
    if not name:
        return translator(lang)("minutes.unspecified")
    known = lookup(f"term.{group}.{name}", lang)
    return known if known is not None else escape(name)


def _with(lang: str, text: str, detail: str) -> str:
    if not detail:
        return text
    return f"{text} ({detail})" if lang == "en" else f"{text}（{detail}）"


def _row(label: str, f: Figures) -> list[str]:
    return [
        label,
        str(f.issues_raised),
        str(f.issues_resolved),
        rate(f.resolution_rate),
        str(f.actions),
        str(f.actions_done),
        str(f.actions_overdue),
        rate(f.on_time_rate),
        str(f.ratings),
        rate(f.satisfaction_rate),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    marks = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    return [*lines, *("| " + " | ".join(r) + " |" for r in rows), ""]


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _intake_lines(report: Report) -> list[tuple[str, str]]:
    intake = report.intake
    if intake is None:
        return []
    return [
        ("minutes.report.requests", str(intake.received)),
        ("minutes.report.answer_median", _hours(intake.median_hours)),
        ("minutes.report.answer_p90", _hours(intake.p90_hours)),
        ("minutes.report.answers_overdue", str(intake.overdue_answers)),
    ]


def render_report(report: Report, lang: str, escape: Escape) -> str:
    """The report in Markdown."""
    lang = normalize_lang(lang)
    tr = translator(lang)
    today = report.today.isoformat()
    if report.until is not None:  # a closed period: its end, and the day the outcomes are from
        until = report.until.isoformat()
        since = report.since.isoformat() if report.since else None
        key = "minutes.report.period_range" if since else "minutes.report.period_upto"
        period = tr(key, since=since, until=until, today=today)
    elif report.since:
        period = tr("minutes.report.period", since=report.since.isoformat(), today=today)
    else:
        period = tr("minutes.report.period_all", today=today)
    total = report.total
    kinds = ("、" if lang != "en" else ", ").join(
        tr("minutes.report.kind_count", kind=tr(f"term.kind.{k}"), count=n)
        for k, n in report.sessions_by_kind
    )
    figures = [
        ("minutes.report.sessions", _with(lang, str(report.sessions_held), kinds)),
        ("minutes.report.issues_raised", str(total.issues_raised)),
        ("minutes.report.issues_rejected", str(total.issues_rejected)),
        ("minutes.report.issues_resolved", str(total.issues_resolved)),
        *_intake_lines(report),
        ("term.resolution_rate", rate(total.resolution_rate)),
        ("minutes.report.actions", str(total.actions)),
        ("minutes.report.actions_done", str(total.actions_done)),
        ("minutes.report.actions_overdue", str(total.actions_overdue)),
        ("term.on_time_rate", rate(total.on_time_rate)),
        ("minutes.report.ratings", str(total.ratings)),
        ("term.satisfaction_rate", rate(total.satisfaction_rate)),
        ("minutes.report.session_satisfaction", rate(report.session_satisfaction_rate)),
    ]
    out = [f"# {tr('minutes.report.title')}", "", period, ""]
    out += _table(
        [tr("minutes.report.figure"), tr("minutes.report.value")],
        [[tr(k) + _MARKS.get(k, ""), v] for k, v in figures],
    )
    header = [
        "",
        tr("minutes.report.col.issues"),
        tr("minutes.report.col.resolved"),
        tr("term.resolution_rate"),
        tr("minutes.report.col.actions"),
        tr("minutes.report.col.done"),
        tr("minutes.report.col.overdue"),
        tr("term.on_time_rate"),
        tr("minutes.report.col.ratings"),
        tr("term.satisfaction_rate"),
    ]
    for heading, group, rows in (
        ("minutes.report.by_category", "category", report.by_category),
        ("minutes.report.by_building", "building", report.by_building),
        ("minutes.report.by_people", "category", report.by_people),
    ):
        if heading == "minutes.report.by_people" and not rows:
            continue
        out += [f"## {tr(heading)}", ""]
        if not rows:
            out += [tr("minutes.none"), ""]
            continue
        header[0] = tr(f"term.{group}")
        out += _table(header, [_row(_label(lang, group, n, escape), f) for n, f in rows])
    out += ["---", ""]
    notes = [f"{_MARKS[term]} {tr(note)}" for term, note in _NOTES]
    if report.intake:
        notes.append(tr("minutes.report.note.intake"))
    out += [line + "  " for line in notes[:-1]] + [notes[-1], ""]
    return "\n".join(out)


# Each rate and its definition share a number, so a reader finds the right footnote.
_NOTES = (
    ("term.resolution_rate", "minutes.report.note.resolution"),
    ("term.on_time_rate", "minutes.report.note.on_time"),
    ("term.satisfaction_rate", "minutes.report.note.satisfaction"),
)
_MARKS = {term: mark for (term, _), mark in zip(_NOTES, "¹²³", strict=True)}
