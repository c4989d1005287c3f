"""The agenda model and the Markdown agenda format."""

from facilitator.agenda.errors import AgendaError, AgendaErrorCode, AgendaErrors
from facilitator.agenda.model import Agenda, AgendaItemSpec, SessionKind
from facilitator.agenda.parse import parse_agenda, parse_time_box
from facilitator.agenda.source import decode_agenda, guess_encoding
from facilitator.agenda.templates import agenda_template, valid_kinds, valid_langs

__all__ = [
    "Agenda",
    "AgendaError",
    "AgendaErrorCode",
    "AgendaErrors",
    "AgendaItemSpec",
    "SessionKind",
    "agenda_template",
    "decode_agenda",
    "guess_encoding",
    "parse_agenda",
    "parse_time_box",
    "valid_kinds",
    "valid_langs",
]
