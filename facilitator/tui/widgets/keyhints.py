"""The key hints at the bottom of every view.

Textual's footer is one row; at 80 columns the main view's keys do not fit in it, and those past
the edge would simply be invisible. Below the compact breakpoint the stylesheet lays the hints out
as a grid of two rows instead — which needs the footer's own column count (an inline style it sets
whenever its keys change) out of the way.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyHints(Footer):
    """A footer whose layout the stylesheet decides (one row, or a grid on narrow screens)."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self.styles.clear_rule("grid_size_columns")
