"""An app whose notifications show their text as written.

Textual parses a notification's message as markup by default. The console's notifications carry
participants' and agenda writers' text, file paths and error messages (``[Errno 28] …``), any of
which may hold square brackets: parsed, they are mangled or raise ``MarkupError`` and stop the
console — and, in ``facilitator run``, the phones' server in the same loop. So nothing is parsed.
"""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel


class PlainApp(App[None]):
    """:meth:`notify` never parses markup, whoever calls it (widgets' notify lands here too)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
