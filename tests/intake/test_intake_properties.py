"""Invariants of support and merge under any order of raises, supports and merges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.intake import IntakeEngine, IntakeError, RequestStatus
from facilitator.intake import commands as c
from tests.intake.intake_kit import make_place

DEVICES = st.sampled_from([f"d{n}" for n in range(6)])
STEP = st.one_of(
    st.tuples(st.just("raise"), DEVICES, st.integers(1, 8)),
    st.tuples(st.just("support"), DEVICES, st.integers(1, 8)),
    st.tuples(st.just("merge"), st.integers(1, 8), st.integers(1, 8)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(STEP, max_size=40))
def test_merged_supporters_are_united_and_counted_once(steps: list[tuple[object, ...]]) -> None:
    place = make_place(2)
    touched: dict[int, set[str]] = {}  # request -> every device that raised or supported it
    for kind, a, b in steps:
        try:
            if kind == "raise":
                number = place.raise_("路燈", device=str(a), building="B1")
                touched[number] = {str(a)}
            elif kind == "support":
                place.do(c.SupportRequest, number=b, device_key=str(a))
                touched[place.state.root(int(str(b))).number].add(str(a))
            else:
                place.do(c.MergeRequest, number=a, into=b)
        except IntakeError:
            continue
    state = place.state
    groups: dict[int, set[str]] = {}
    for number, devices in touched.items():
        groups.setdefault(state.root(number).number, set()).update(devices)
    for root, devices in groups.items():
        request = state.requests[root]
        assert request.status is not RequestStatus.MERGED
        assert len(request.supporters) == len(set(request.supporters))  # nobody twice
        assert set(request.supporters) == devices  # nobody lost
    assert IntakeEngine.replay(place.log).state == state
