"""One way to turn an error into an answer, for every door (phones, scripts, the console).

Each error family a person can cause — the engine's ``SessionError``, the intake's
``IntakeError``, the hub's ``HubError``, the server's ``WireError`` — is a :class:`Refusal`: a
stable code (the catalog's ``error.<code>``, the intake's ``intake.error.<code>``) and the
parameters of its message. :func:`answer` turns any exception into the code and the sentence
in the asker's language; anything that is not a refusal is a bug, answered as ``internal_error``
(the caller logs it), so nobody is left without an answer and no internals leak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from facilitator.i18n.catalog import error_message

INTERNAL_ERROR = "internal_error"


class Refusal(Exception):
    """Base of every error a person can cause: ``code`` names its message in the catalogs."""

    code: str
    params: dict[str, Any]

    def sentence(self, lang: str | None, reader: str = "moderator") -> str:
        """What ``reader`` reads in ``lang``: ``error.<code>`` (see :func:`error_message`). A
        family with messages of its own (the intake's ``intake.error.<code>``) says so here."""
        return error_message(str(self.code), lang, self.params, reader=reader)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the asker is told: the stable code, the sentence in their language, the params."""

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def expected(self) -> bool:
        """False when the answer stands for a bug (which the caller should log)."""
        return self.code != INTERNAL_ERROR

    def ack(self) -> dict[str, Any]:
        """The negative acknowledgement of the socket protocol (docs/protocol.md)."""
        return {"ok": False, "error": self.code, "message": self.message}


def answer(error: BaseException, lang: str | None, *, reader: str = "moderator") -> Answer:
    """The answer to ``error`` in ``lang``, worded for ``reader`` (the moderator, or a
    ``"resident"`` on a phone): its code and message, or ``internal_error``."""
    if isinstance(error, Refusal):
        code = str(error.code)  # an engine ErrorCode is a StrEnum: its value
        return Answer(code, error.sentence(lang, reader), dict(error.params))
    return Answer(INTERNAL_ERROR, error_message(INTERNAL_ERROR, lang, reader=reader))
