"""Small helpers shared by the command-line modules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_DB = Path(os.environ.get("FACILITATOR_DB", "facilitator.db"))


def fail(message: str, status: int = 2) -> int:
    """Print ``message`` to stderr as the command's error and return ``status``."""
    print(f"facilitator: {message}", file=sys.stderr)
    return status
