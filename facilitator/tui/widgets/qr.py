"""A QR code drawn with half-block characters in explicit black on white.

Terminal themes differ (dark, light, solarized); a code drawn in the theme's colours may come out
inverted or low-contrast and fail to scan. Every cell is therefore painted with an explicit black
or white foreground *and* background, and the code keeps a quiet zone of white modules around it.
One character holds two modules stacked vertically (``▀``: top in the foreground colour, bottom in
the background colour), so the code is square on a terminal whose cells are twice as tall as wide.
"""

from __future__ import annotations

import segno
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

QUIET_ZONE = 4  # modules, as the QR standard asks; phones on a dark-themed terminal need it
SMALL_QUIET_ZONE = 2  # on a short terminal (80×24): still scans, and the code fits the screen
_DARK, _LIGHT = "#000000", "#ffffff"
_STYLES = {
    (top, bottom): Style(
        color=_DARK if top else _LIGHT, bgcolor=_DARK if bottom else _LIGHT, bold=False
    )
    for top in (False, True)
    for bottom in (False, True)
}


def qr_matrix(data: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The modules of ``data``'s QR code (True is dark), with a quiet zone of ``border``."""
    code = segno.make(data, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix_iter(scale=1, border=border)]


def qr_text(data: str, border: int = QUIET_ZONE) -> Text:
    """``data`` as a QR code in half blocks, each cell explicitly black-on-white styled."""
    rows = qr_matrix(data, border)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))  # pad with a light row: still part of the quiet zone
    text = Text(no_wrap=True, overflow="crop")
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        for upper, lower in zip(top, bottom, strict=True):
            text.append("▀", _STYLES[(upper, lower)])
        text.append("\n")
    text.rstrip()
    return text


class QrCode(Static):
    """The join URL as a scannable code; re-drawn only when the URL changes."""

    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; }
    """

    def __init__(self, url: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._url = ""
        self._border = QUIET_ZONE
        self.url = url

    @property
    def url(self) -> str:
        return self._url

    @url.setter
    def url(self, value: str) -> None:
        if value != self._url:
            self._url = value
            self._draw()

    @property
    def border(self) -> int:
        """The quiet zone in modules (:data:`QUIET_ZONE`, or less on a short screen)."""
        return self._border

    @border.setter
    def border(self, value: int) -> None:
        if value != self._border:
            self._border = value
            self._draw()

    def _draw(self) -> None:
        self.update(qr_text(self._url, self._border) if self._url else Text(""))
