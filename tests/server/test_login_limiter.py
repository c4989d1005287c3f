"""The failed-sign-in limiter stays bounded: a counter whose window has passed is forgotten, the
table never holds more than its cap (the least recently used goes first), and while under the
cap it answers exactly as the plain limiter does. The clock is injected: nothing sleeps."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.server.limits import BoundedRateLimiter, RateLimiter
from facilitator.server.staff_auth import LOGIN_LIMITER, LoginLimits
from tests.server.staff_kit import HERE, staff_place


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def failed_sign_in(limiter: RateLimiter, address: str, name: str) -> bool:
    """What the sign-in route does for a wrong secret: address first, then name; whether the
    attempt was allowed to be checked at all."""
    if limiter.check("login_address", f"addr:{address}"):
        return False
    if limiter.check("login_name", f"name:{name}"):
        limiter.refund("login_address", f"addr:{address}")
        return False
    return True


def test_a_scan_of_made_up_names_leaves_only_the_counters_still_in_their_window() -> None:
    clock = Clock()
    limiter = BoundedRateLimiter(LoginLimits(), clock)
    for n in range(20_000):  # one new name a second from many addresses, for five and a half hours
        clock.now = float(n)
        failed_sign_in(limiter, f"10.0.{n % 200}.1", f"guess{n}")
    # a name's single failure refills in 60 s and an address's in 15 s: what is left is the last
    # minute's names (and the sweep's slack), not 20,000 of them
    assert limiter.keys <= 2 * (60 + 200) and limiter.keys < 20_000


def test_a_counter_still_in_its_window_survives_every_sweep() -> None:
    clock = Clock()
    limiter = BoundedRateLimiter(LoginLimits(), clock, sweep_from=8)
    for _ in range(5):
        assert failed_sign_in(limiter, "10.0.0.1", HERE)
    assert not failed_sign_in(limiter, "10.0.0.1", HERE)  # the sixth waits
    for n in range(1, 1000):  # other people fail elsewhere, sweeps run meanwhile
        clock.now = n * 0.05
        failed_sign_in(limiter, f"10.1.{n}.1", f"guess{n}")
    assert limiter.check("login_name", f"name:{HERE}") > 0  # still limited after 50 s
    clock.now = 61.0
    assert limiter.check("login_name", f"name:{HERE}") == 0.0  # a minute on: one more try


def test_the_table_never_passes_its_cap_and_the_oldest_goes_first() -> None:
    clock = Clock()  # time stands still: nothing's window passes, only the cap bounds the table
    limiter = BoundedRateLimiter(LoginLimits(), clock, max_keys=100)
    for n in range(1000):
        limiter.check("login_name", f"name:guess{n}")
        if n % 10 == 0:
            limiter.check("login_name", "name:kept")  # used again and again: never the oldest
        assert limiter.keys <= 100
    assert limiter.keys == 100
    for _ in range(4):
        limiter.check("login_name", "name:kept")
    assert limiter.check("login_name", "name:kept") > 0  # its counter was never dropped
    assert limiter.check("login_name", "name:guess0") == 0.0  # the oldest was: it starts over


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["login_name", "login_address"]),
            st.integers(0, 30),
            st.floats(0, 40),
            st.booleans(),
        ),
        max_size=200,
    )
)
def test_under_its_cap_it_answers_as_the_unbounded_limiter(
    steps: list[tuple[str, int, float, bool]],
) -> None:
    clock = Clock()
    plain = RateLimiter(LoginLimits(), clock)
    bounded = BoundedRateLimiter(LoginLimits(), clock, sweep_from=2)
    for kind, key, later, refund in steps:
        clock.now += later
        assert bounded.check(kind, f"k{key}") == plain.check(kind, f"k{key}")
        if refund:
            plain.refund(kind, f"k{key}")
            bounded.refund(kind, f"k{key}")


async def test_the_sign_in_route_keeps_its_limiter_within_the_cap(tmp_path: Path) -> None:
    async with staff_place(tmp_path) as staff:
        limiter = staff.place.server.runner.app[LOGIN_LIMITER]
        limiter.clock = lambda: 0.0  # nothing refills: only the cap can bound the table
        limiter.max_keys = 3
        for n in range(5):
            assert (await staff.login(f"guess{n}", "a wrong secret here"))[0] == 401
        assert limiter.keys == 3  # the address and the two latest names, not six counters
