"""Small helpers shared by the command-line modules: the language the command speaks, and how it
reports a problem.

Every message a command prints for a person comes from the ``cli.*`` keys of the catalogs, in the
language of ``--lang`` when given, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
Traditional Chinese.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from facilitator.i18n import DEFAULT_LANG, normalize_lang, t
from facilitator.store import Database, StoreError, StoreErrorCode, is_postgres, shown

DB_HELP = "the database: a SQLite file, or a postgresql:// URL"


def database(text: str) -> Database:
    """A ``--db`` value: a PostgreSQL URL as given, anything else a file path."""
    return text if is_postgres(text) else Path(text)


DEFAULT_DB = database(os.environ.get("FACILITATOR_DB", "facilitator.db"))
PROG = "facilitator"
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


def cli_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language of the command's messages: ``--lang``, else the locale, else zh-Hant.

    A locale is ``language[_territory][.codeset][@modifier]`` (``zh_TW.UTF-8``, ``en_US``);
    ``C`` and ``POSIX`` say nothing about the language, so they mean the default.
    """
    if explicit:
        return normalize_lang(explicit)
    environ = os.environ if env is None else env
    for name in _LOCALE_VARS:
        value = environ.get(name, "")
        if value:
            tag = value.split(".", 1)[0].split("@", 1)[0]
            return DEFAULT_LANG if tag in ("C", "POSIX") else normalize_lang(tag)
    return DEFAULT_LANG


def say(lang: str, key: str, /, **params: object) -> None:
    """Print the message ``key`` to stdout."""
    print(t(key, lang, **params), flush=True)


def fail(lang: str, key: str, /, status: int = 2, **params: object) -> int:
    """Print the message ``key`` to stderr as the command's error and return ``status``."""
    return fail_with(t(key, lang, **params), status)


def fail_with(text: str, status: int = 2) -> int:
    """Print an already translated ``text`` to stderr as the command's error."""
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)
    return status


_STORAGE_REASONS = {
    "the database file is read-only": "cli.reason.read_only",
    "the disk is full": "cli.reason.disk_full",
    "the disk reported an input/output error": "cli.reason.io_error",
    "the database is locked by another program": "cli.reason.locked",
    "the database file cannot be opened": "cli.reason.cannot_open",
    "access to the database file was denied": "cli.reason.denied",
    "the database file is damaged": "cli.reason.damaged",
    "the file is not a facilitator database": "cli.reason.not_a_database",
    # PostgreSQL (facilitator/store/pg_connect.py)
    "the PostgreSQL server cannot be reached": "cli.reason.pg_unreachable",
    "the PostgreSQL server refused the user name or password": "cli.reason.pg_password",
    "the PostgreSQL database does not exist": "cli.reason.pg_no_database",
    "the database URL is not valid": "cli.reason.bad_url",
    "the connection to the PostgreSQL server was lost": "cli.reason.pg_lost",
    "the database is read-only": "cli.reason.db_read_only",
    "access to the database was denied": "cli.reason.denied",
}


def store_failure(lang: str, db: Database, error: StoreError) -> int:
    """Report a store error about ``db`` in ``lang`` (exit status 2); a URL's password is never
    shown."""
    db = shown(db)
    if error.code is StoreErrorCode.SCHEMA_TOO_NEW:
        return fail(lang, "cli.store.too_new", db=db, **error.params)
    if error.code is StoreErrorCode.STORAGE_UNAVAILABLE:
        reason = str(error.params.get("reason", ""))
        key = _STORAGE_REASONS.get(reason)
        return fail(lang, "cli.store.unavailable", db=db, reason=t(key, lang) if key else reason)
    if error.code in (StoreErrorCode.CORRUPT_EVENT, StoreErrorCode.UNKNOWN_EVENT_TYPE):
        return fail(lang, "cli.store.damaged", db=db, detail=error.message)
    return fail(lang, "cli.store.other", db=db, detail=error.message)


def missing_database(lang: str, db: Database) -> int:
    """The error for a command that reads a database that is not there."""
    return fail(lang, "cli.no_database", db=shown(db))


def program(argv0: str | None = None) -> list[str]:
    """How this program was started, to repeat it in a hint the person can paste: ``facilitator``
    when that is what the shell finds, else the path typed (``.venv/bin/facilitator``), else
    ``python -m facilitator``."""
    typed = sys.argv[0] if argv0 is None else argv0
    if Path(typed).name == "__main__.py" or not typed:
        return [sys.executable, "-m", "facilitator"]
    if os.sep not in typed:
        return [typed]
    found = shutil.which(PROG)
    with contextlib.suppress(OSError):
        if found and os.path.samefile(found, typed):
            return [PROG]
    return [typed]


def command_line(words: Sequence[object]) -> str:
    """``words`` as one shell-quoted command a person can paste."""
    return shlex.join(str(word) for word in words)


_ERRNO_REASONS = {
    errno.ENOENT: "cli.reason.no_folder",
    errno.ENOTDIR: "cli.reason.no_folder",
    errno.EACCES: "cli.reason.denied",
    errno.EPERM: "cli.reason.denied",
    errno.ENOSPC: "cli.reason.disk_full",
    errno.EROFS: "cli.reason.read_only",
    errno.EISDIR: "cli.reason.is_folder",
    errno.EIO: "cli.reason.io_error",
}


def os_reason(lang: str, error: OSError) -> str:
    """Why a file could not be read or written, in ``lang`` (the system's words otherwise)."""
    key = _ERRNO_REASONS.get(error.errno or 0)
    return t(key, lang) if key else error.strerror or str(error)


def write_output(lang: str, path: Path, data: bytes) -> int:
    """Write a command's ``-o FILE`` (making its folder) and say so; an error if it cannot."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        return fail(lang, "cli.cannot_write", path=path, reason=os_reason(lang, error))
    say(lang, "cli.wrote", path=path)
    return 0
