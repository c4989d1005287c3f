"""Invariants of what a sync sends, for any two copies of a session's stream: the district's copy
followed by what is sent is the laptop's (or the laptop's is a prefix of it), and a divergence
names the first seq where they differ; nothing is ever sent when they diverged."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from facilitator.session.events import SessionOpened
from facilitator.store.schema import StoredEvent
from facilitator.store.sync_plan import plan_session

T0 = dt.datetime(2026, 3, 14, 19, 0, tzinfo=dt.UTC)


def _stream(marks: list[int]) -> list[StoredEvent]:
    """A stream whose n-th event is told apart by its time (``marks[n]`` minutes)."""
    return [
        StoredEvent("s", seq, SessionOpened(at=T0 + dt.timedelta(minutes=m)), None, "", T0)
        for seq, m in enumerate(marks, start=1)
    ]


@given(st.lists(st.integers(0, 3), max_size=12), st.lists(st.integers(0, 3), max_size=12))
def test_a_plan_is_an_extension_or_a_divergence(mine: list[int], theirs: list[int]) -> None:
    laptop, district = _stream(mine), _stream(theirs)
    plan = plan_session("s", laptop, district)
    same = next((n for n, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), None)
    if same is None and len(theirs) <= len(mine):  # the district has a prefix
        assert plan.divergence is None
        assert [s.event for s in district] + [s.event for s in plan.send] == [
            s.event for s in laptop
        ]
    elif same is None:  # the laptop has a prefix of the district's: nothing new
        assert plan.divergence is None and plan.send == ()
    else:
        assert plan.send == () and plan.divergence is not None
        assert plan.divergence.seq == same + 1
        assert (plan.divergence.laptop_count, plan.divergence.district_count) == (
            len(mine),
            len(theirs),
        )
    assert plan.present == len(theirs)
