"""The action ledger (整改臺賬): every action item of every session, followed up across sessions.

Pure functions of the sessions' events and of the ledger-only updates; ``today`` comes in as an
argument (never from the clock), so every answer is reproducible.
"""

from facilitator.ledger.export import to_csv, to_ics, to_json
from facilitator.ledger.fold import DEFAULT_POLICY, build_ledger, ref_of
from facilitator.ledger.followup import follow_up_titles, follow_ups_for, open_entries
from facilitator.ledger.model import (
    Entry,
    FeedbackEntry,
    Ledger,
    LedgerUpdate,
    Rating,
    SessionSummary,
    Status,
)
from facilitator.ledger.report import render_report
from facilitator.ledger.stats import Figures, Report, compute_report
from facilitator.session.review import ReopenPolicy

__all__ = [
    "DEFAULT_POLICY",
    "Entry",
    "FeedbackEntry",
    "Figures",
    "Ledger",
    "LedgerUpdate",
    "Rating",
    "ReopenPolicy",
    "Report",
    "SessionSummary",
    "Status",
    "build_ledger",
    "compute_report",
    "follow_up_titles",
    "follow_ups_for",
    "open_entries",
    "ref_of",
    "render_report",
    "to_csv",
    "to_ics",
    "to_json",
]
