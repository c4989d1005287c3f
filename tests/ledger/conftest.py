"""The ledger's tests reuse the realistic sessions of the minutes' tests (``minutes_kit``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "minutes"))
