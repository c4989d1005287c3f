"""The console's few signal colours, as explicit RGB.

Named ANSI colours (``green``) are painted from the terminal's palette or Textual's ANSI theme,
which differ between terminals and even between runs of a headless test; a passed vote must look
the same on the moderator's laptop, on the projector and in the snapshot tests.
"""

from __future__ import annotations

GOOD = "#3fae49"  # passed, in time, quorum met
BAD = "#e0443e"  # failed, overtime, urgent
WARN = "#d99a00"  # new, paused, tie or no quorum
BAR = "#2a9fd6"  # the poll's bars

OK_STYLE = f"bold {GOOD}"
BAD_STYLE = f"bold {BAD}"
WARN_STYLE = f"bold {WARN}"
