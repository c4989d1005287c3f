"""Staff accounts below the server: hashing, sign-in, sessions, grants — on real SQLite files —
and Hypothesis over random grants, disablings and expiries against a plain model."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import tempfile
from pathlib import Path

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
from facilitator.store.accounts import AccountStore
from facilitator.store.schema import MIGRATIONS, SCHEMA_VERSION

FAST = ScryptParams(n=2**10, r=8, p=1)
T0 = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.UTC)
SECRET = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def directory(path: Path, clock: Clock | None = None) -> StaffDirectory:
    return StaffDirectory.open(path, clock or Clock(), FAST)


def test_the_documented_scrypt_parameters_and_a_salt_per_account() -> None:
    assert (DEFAULT_PARAMS.n, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p) == (2**15, 8, 3)
    one, two = hash_secret(SECRET), hash_secret(SECRET)
    assert one.startswith("scrypt$32768$8$3$") and one != two  # a fresh salt each time
    assert check_secret(SECRET, one) and check_secret(SECRET, two)
    assert not check_secret(SECRET + "!", one) and not check_secret(SECRET, "garbage")
    _, _, _, _, salt, digest = one.split("$")
    assert len(salt) == 24 and len(digest) == 44  # 16 and 32 bytes, base64


def test_sign_in_session_and_sign_out(tmp_path: Path) -> None:
    clock = Clock()
    staff = directory(tmp_path / "f.db", clock)
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


def test_a_new_secret_ends_every_session_and_the_old_secret(tmp_path: Path) -> None:
    staff = directory(tmp_path / "f.db")
    staff.add("小李", "staff", ("heping",), SECRET)
    first = staff.login("小李", SECRET)
    staff.reset_secret("小李", "another secret of enough length")
    with pytest.raises(StaffError):
        staff.identify(first.token)
    with pytest.raises(StaffError):
        staff.login("小李", SECRET)
    assert staff.login("小李", "another secret of enough length").identity.name == "小李"


def test_disabled_at_once_across_processes_and_enabled_only_with_a_new_sign_in(
    tmp_path: Path,
) -> None:
    server, cli = directory(tmp_path / "f.db"), directory(tmp_path / "f.db")
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
    tmp_path: Path, case: tuple[str, str, tuple[str, ...], str, StaffErrorCode]
) -> None:
    name, role, places, secret, code = case
    staff = directory(tmp_path / "f.db")
    with pytest.raises(StaffError) as refused:
        staff.add(name, role, places, secret)
    assert refused.value.code is code
    assert staff.accounts() == []


def test_a_second_account_of_the_same_name_is_refused(tmp_path: Path) -> None:
    staff = directory(tmp_path / "f.db")
    staff.add("小李", "staff", ("heping",), SECRET)
    with pytest.raises(StaffError) as refused:
        staff.add("小李", "admin", (), SECRET)
    assert refused.value.code is StaffErrorCode.ACCOUNT_EXISTS
    assert [(a.name, a.role) for a in staff.accounts()] == [("小李", "staff")]


def test_a_version_1_file_upgrades_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sessions VALUES ('s1', '2026-01-01T00:00:00+00:00', 'square_talk', 't',"
        " NULL, 'p', 'ABCD', '1234', 'closed')"
    )
    conn.close()
    with AccountStore.open(path) as store:
        assert store.accounts() == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (2,)
    assert conn.execute("SELECT session_id FROM sessions").fetchall() == [("s1",)]


def test_the_file_holds_no_secret_or_token_in_clear(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    staff = directory(path)
    staff.add("小李", "staff", ("heping",), SECRET)
    token = staff.login("小李", SECRET).token
    staff.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the file, its WAL and shm
    assert SECRET.encode() not in raw and token.encode() not in raw
    assert hashlib.sha256(token.encode()).hexdigest().encode() in raw  # only its hash


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(accounts=accounts, operations=operations)
def test_who_may_act_where_follows_the_grants(
    accounts: list[tuple[str, set[str]]], operations: list[tuple[str, str, object]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock()
        staff = StaffDirectory(AccountStore.open(Path(folder) / "f.db"), clock, FAST)
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
        staff.close()
