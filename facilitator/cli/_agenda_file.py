"""Reading the agenda a session is run from, with every problem said in the command's language:
a missing file, a file that is not UTF-8 (with the exact ``iconv`` command that converts it), and
each mistake in the agenda itself, by line."""

from __future__ import annotations

import errno
from pathlib import Path

from facilitator.agenda import Agenda, AgendaError, AgendaErrorCode, decode_agenda, parse_agenda
from facilitator.cli._common import command_line
from facilitator.cli._refusals import SessionRefused
from facilitator.i18n import lookup, t


class AgendaRefused(Exception):
    """The agenda file has mistakes; :meth:`render` lists them, translated, by line."""

    def __init__(self, error: AgendaError, path: Path) -> None:
        super().__init__(str(error))
        self.error, self.path = error, path

    def render(self, lang: str) -> str:
        error = self.error
        if error.code is AgendaErrorCode.NOT_UTF8:
            return not_utf8(lang, self.path, str(error.params.get("encoding", "")))
        errors = getattr(error, "errors", (error,))
        lines = [t("cli.agenda.problems", lang, path=self.path, count=len(errors))]
        lines += [f"  {_where(e)}: {agenda_message(lang, e)}" for e in errors]
        return "\n".join(lines)


def _where(error: AgendaError) -> str:
    return error.source if error.line is None else f"{error.source}:{error.line}"


def agenda_message(lang: str, error: AgendaError) -> str:
    """One agenda mistake in ``lang`` (the English text when the catalog lacks the code)."""
    key = f"cli.{error.code.value}"
    if lookup(key, lang) is None:
        return error.message
    return t(key, lang, **error.params)


def not_utf8(lang: str, path: Path, encoding: str) -> str:
    """What to do with an agenda saved in another encoding: the exact command that converts it."""
    if not encoding:
        return t("cli.agenda.unknown_encoding", lang, path=path)
    fixed = path.with_name(f"{path.stem}-utf8{path.suffix or '.md'}")
    iconv = command_line(["iconv", "-f", encoding, "-t", "UTF-8", path])
    convert = f"{iconv} > {command_line([fixed])}"
    params = {"path": path, "encoding": encoding, "convert": convert, "fixed": fixed}
    return t("cli.agenda.encoding", lang, **params)


def read_agenda(path: Path) -> Agenda:
    """The parsed agenda at ``path``; raises :class:`SessionRefused` when it cannot be read and
    :class:`AgendaRefused` when it is not UTF-8 or has mistakes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SessionRefused("cli.agenda.missing", path=path) from None
    except IsADirectoryError:
        raise SessionRefused("cli.agenda.folder", path=path) from None
    except OSError as error:
        if error.errno == errno.EACCES:
            raise SessionRefused("cli.agenda.denied", path=path) from None
        reason = error.strerror or str(error)
        raise SessionRefused("cli.agenda.unreadable", path=path, reason=reason) from None
    try:
        return parse_agenda(decode_agenda(data, source=str(path)), source=str(path))
    except AgendaError as error:
        raise AgendaRefused(error, path) from None
