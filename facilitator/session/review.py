"""The review of a delivered promise (評價 → 整改): when residents' ratings send it back.

Shared by the ledger (which reopens the item) and the minutes (which say so), so the two never
disagree about the same ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReopenPolicy:
    """When residents' ratings of a delivered item send it back for rectification (整改).

    A round of ratings (those given since the item was last marked done, the latest per rater) is
    judged when the session that collected them closes, and after each rating entered with
    ``ledger rate``. With at least ``min_ratings`` ratings and an average below ``threshold`` the
    item is reopened: back to in progress, with the deadline set ``reopen_days`` after the day of
    the judgement (the moderator may set another with ``ledger update --deadline``). With at least
    ``min_ratings`` and an average at or above ``threshold`` the delivery is accepted.
    """

    threshold: float = 3.0
    min_ratings: int = 3
    reopen_days: int = 30


DEFAULT_POLICY = ReopenPolicy()


def judge(stars: Sequence[int], policy: ReopenPolicy = DEFAULT_POLICY) -> bool | None:
    """Whether a round of ratings accepts the delivery (True), reopens it (False), or is too
    small to judge (None)."""
    if not stars or len(stars) < policy.min_ratings:
        return None
    return sum(stars) / len(stars) >= policy.threshold
