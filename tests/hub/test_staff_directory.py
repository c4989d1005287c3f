"""Staff accounts below the server: hashing, sign-in, sessions, grants — on both backends (a
SQLite file, a throwaway PostgreSQL) — and Hypothesis over random grants, disablings and expiries
against a plain model."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.place_hub.staff import (
    DEFAULT_PARAMS,
    ScryptParams,
    StaffDirectory,
    StaffError,
    StaffErrorCode,
    check_secret,
    hash_secret,
)
from facilitator.store.backend import Database
from tests.pg_fixtures import db, pg_cluster, raw_sql, store_backend

__all__ = ["db", "pg_cluster", "store_backend"]  # fixtures: every test runs on both backends

FAST = ScryptParams(n=2**10, r=8, p=1)
T0 = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.UTC)
SECRET = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def directory(db: Database, clock: Clock | None = None) -> StaffDirectory:
    return StaffDirectory.open(db, clock or Clock(), FAST)


def test_the_documented_scrypt_parameters_and_a_salt_per_account() -> None:
    assert (DEFAULT_PARAMS.n, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p) == (2**15, 8, 3)
    one, two = hash_secret(SECRET), hash_secret(SECRET)
    assert one.startswith("scrypt$32768$8$3$") and one != two  # a fresh salt each time
    assert check_secret(SECRET, one) and check_secret(SECRET, two)
    assert not check_secret(SECRET + "!", one) and not check_secret(SECRET, "garbage")
    _, _, _, _, salt, digest = one.split("$")
    assert len(salt) == 24 and len(digest) == 44  # 16 and 32 bytes, base64


def test_sign_in_session_and_sign_out(db: Database) -> None:
    clock = Clock()
    staff = directory(db, clock)
    staff.add("小李", "staff", ("heping",), SECRET)
    with pytest.raises(StaffError) as wrong:
        staff.login("小李", "wrong secret, long enough")
    with pytest.raises(StaffError) as nobody:
        staff.login("nobody", SECRET)
    assert wrong.value.code is nobody.value.code is StaffErrorCode.LOGIN_FAILED
    login = staff.login("小李", SECRET)
    who = staff.identify(login.token)
    assert (who.actor, who.may_act("heping"), who.may_act("anle")) == ("staff:小李", True, False)
    assert login.expires_at == T0 + dt.timedelta(hours=12)
    staff.logout(login.token)
    with pytest.raises(StaffError) as out:
        staff.identify(login.token)
    assert out.value.code is StaffErrorCode.NOT_SIGNED_IN


def test_a_new_secret_ends_every_session_and_the_old_secret(db: Database) -> None:
    staff = directory(db)
    staff.add("小李", "staff", ("heping",), SECRET)
    first = staff.login("小李", SECRET)
    staff.reset_secret("小李", "another secret of enough length")
    with pytest.raises(StaffError):
        staff.identify(first.token)
    with pytest.raises(StaffError):
        staff.login("小李", SECRET)
    assert staff.login("小李", "another secret of enough length").identity.name == "小李"


def test_disabled_at_once_across_connections_and_enabled_only_with_a_new_sign_in(
    db: Database,
) -> None:
    server, cli = directory(db), directory(db)
    server.add("小李", "staff", ("heping",), SECRET)
    token = server.login("小李", SECRET).token
    cli.set_disabled("小李", True)  # another connection, as `facilitator staff disable` is
    with pytest.raises(StaffError) as refused:
        server.identify(token)
    assert refused.value.code is StaffErrorCode.ACCOUNT_DISABLED
    with pytest.raises(StaffError) as login:
        server.login("小李", SECRET)
    assert login.value.code is StaffErrorCode.ACCOUNT_DISABLED
    cli.set_disabled("小李", False)
    with pytest.raises(StaffError) as old:
        server.identify(token)
    assert old.value.code is StaffErrorCode.NOT_SIGNED_IN


@pytest.mark.parametrize(
    "case",
    [
        ("", "staff", ("heping",), SECRET, StaffErrorCode.INVALID_NAME),
        (" 小李", "staff", ("heping",), SECRET, StaffErrorCode.INVALID_NAME),
        ("a:b", "staff", ("heping",), SECRET, StaffErrorCode.INVALID_NAME),
        ("x" * 41, "staff", ("heping",), SECRET, StaffErrorCode.INVALID_NAME),
        ("小李", "staff", (), SECRET, StaffErrorCode.PLACES_NEEDED),
        ("王主任", "admin", ("heping",), SECRET, StaffErrorCode.ADMIN_ALL_PLACES),
        ("小李", "staff", ("heping",), "short", StaffErrorCode.WEAK_SECRET),
    ],
)
def test_refused_accounts_write_nothing(
    db: Database, case: tuple[str, str, tuple[str, ...], str, StaffErrorCode]
) -> None:
    name, role, places, secret, code = case
    staff = directory(db)
    with pytest.raises(StaffError) as refused:
        staff.add(name, role, places, secret)
    assert refused.value.code is code
    assert staff.accounts() == []


def test_a_second_account_of_the_same_name_is_refused(db: Database) -> None:
    staff = directory(db)
    staff.add("小李", "staff", ("heping",), SECRET)
    with pytest.raises(StaffError) as refused:
        staff.add("小李", "admin", (), SECRET)
    assert refused.value.code is StaffErrorCode.ACCOUNT_EXISTS
    assert [(a.name, a.role) for a in staff.accounts()] == [("小李", "staff")]


# --- Hypothesis: random grants, revocations, disablings and clocks against a model -------------

PLACES = ("heping", "anle", "xinghe", "dongcheng")
NAMES = ("甲", "乙", "丙", "丁")
operations = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.sampled_from(NAMES), st.sampled_from(PLACES)),
        st.tuples(st.just("revoke"), st.sampled_from(NAMES), st.sampled_from(PLACES)),
        st.tuples(st.just("disable"), st.sampled_from(NAMES), st.booleans()),
        st.tuples(st.just("hours"), st.sampled_from(NAMES), st.integers(0, 8)),
    ),
    max_size=25,
)
accounts = st.lists(
    st.tuples(st.sampled_from(("admin", "staff")), st.sets(st.sampled_from(PLACES), min_size=1)),
    min_size=len(NAMES),
    max_size=len(NAMES),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(accounts=accounts, operations=operations)
def test_who_may_act_where_follows_the_grants(
    db: Database, accounts: list[tuple[str, set[str]]], operations: list[tuple[str, str, object]]
) -> None:
    clock = Clock()
    with directory(db, clock) as staff:
        for table in ("staff_tokens", "staff_places", "staff_accounts"):  # a fresh start
            raw_sql(db, f"DELETE FROM {table}")
        model: dict[str, tuple[str, set[str], bool]] = {}
        tokens: dict[str, tuple[str, dt.datetime]] = {}
        for name, (role, places) in zip(NAMES, accounts, strict=True):
            granted = set() if role == "admin" else set(places)
            account = staff.add(name, role, tuple(sorted(granted)), SECRET)
            model[name] = (role, granted, False)
            login = staff.issue(account)
            tokens[name] = (login.token, login.expires_at)
        for op, name, arg in operations:
            role, granted, disabled = model[name]
            if op == "grant" and role == "staff":
                staff.grant(name, str(arg))
                granted.add(str(arg))
            elif op == "revoke":
                staff.revoke(name, str(arg))
                granted.discard(str(arg))
            elif op == "disable":
                staff.set_disabled(name, bool(arg))
                if disabled and not arg:
                    tokens[name] = ("", T0)  # enabling again takes a new sign-in
                model[name] = (role, granted, bool(arg))
            elif op == "hours":
                clock.now += dt.timedelta(hours=int(str(arg)))
        for name, (role, granted, disabled) in model.items():
            token, expires = tokens[name]
            try:
                who = staff.identify(token)
            except StaffError as refused:
                expected = (
                    StaffErrorCode.NOT_SIGNED_IN
                    if not token
                    else StaffErrorCode.SESSION_EXPIRED
                    if clock.now >= expires
                    else StaffErrorCode.ACCOUNT_DISABLED
                )
                assert refused.code is expected
                assert not token or disabled or clock.now >= expires
                continue
            assert token and not disabled and clock.now < expires
            for place in PLACES:
                assert who.may_act(place) == (role == "admin" or place in granted)
