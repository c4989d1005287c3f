"""The staff accounts' storage contract, on both backends (a SQLite file and a throwaway
PostgreSQL): accounts, grants, secrets' hashes, session tokens, and the schema upgrade."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.place_hub.staff import ScryptParams, StaffDirectory, token_hash
from facilitator.store import SCHEMA_VERSION, StorageUnavailable
from facilitator.store.accounts import AccountExists, AccountStore
from facilitator.store.backend import Database, is_postgres, open_account_store
from facilitator.store.schema import MIGRATIONS
from tests.hub.test_hub_pg_outage import own_cluster
from tests.pg_fixtures import raw_sql
from tests.pg_kit import Cluster

__all__ = ["own_cluster"]  # the fixture

T0 = dt.datetime(2026, 3, 3, 13, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def accounts(db: Database) -> Iterator[AccountStore]:
    with open_account_store(db) as opened:
        yield opened


def test_an_account_with_its_places(accounts: AccountStore) -> None:
    accounts.create("小李", "staff", "scrypt$h1", ("heping", "anle"), T0)
    accounts.create("王主任", "admin", "scrypt$h2", (), T0)
    found = accounts.get("小李")
    assert found is not None
    assert (found.role, found.places, found.disabled) == ("staff", ("anle", "heping"), False)
    assert found.created_at == T0
    assert [a.name for a in accounts.accounts()] == sorted(["小李", "王主任"])
    assert accounts.secret_hash("小李") == "scrypt$h1" and accounts.secret_hash("nobody") is None
    with pytest.raises(AccountExists):
        accounts.create("小李", "admin", "scrypt$h3", (), T0)
    assert accounts.secret_hash("小李") == "scrypt$h1"  # nothing of the refused one was written


def test_grants_are_a_set(accounts: AccountStore) -> None:
    accounts.create("小李", "staff", "h", ("heping",), T0)
    assert accounts.grant("小李", "anle") is True
    assert accounts.grant("小李", "anle") is False  # twice is once
    assert accounts.revoke("小李", "heping") is True and accounts.revoke("小李", "x") is False
    account = accounts.get("小李")
    assert account is not None and account.places == ("anle",)


def test_tokens_follow_secrets_disabling_and_expiry(accounts: AccountStore) -> None:
    accounts.create("小李", "staff", "h", ("heping",), T0)
    accounts.add_token("t1", "小李", T0, T0 + HOUR)
    accounts.add_token("t2", "小李", T0, T0 + 3 * HOUR)
    record = accounts.token("t1")
    assert record is not None and record.account.name == "小李"
    assert record.expires_at == T0 + HOUR
    assert accounts.drop_expired(T0 + 2 * HOUR) == 1 and accounts.token("t1") is None
    accounts.set_disabled("小李", True)
    record = accounts.token("t2")
    assert record is not None and record.account.disabled  # kept, so its holder is told why
    accounts.set_disabled("小李", False)
    assert accounts.token("t2") is None  # enabled again: a new sign-in
    accounts.add_token("t3", "小李", T0, T0 + HOUR)
    accounts.set_disabled("小李", False)  # enabling an enabled account ends nothing
    assert accounts.token("t3") is not None
    assert accounts.set_secret("小李", "h2") is True and accounts.token("t3") is None
    assert accounts.drop_token("t3") is False


def test_the_database_holds_no_secret_or_token_in_clear(db: Database) -> None:
    fast = ScryptParams(n=2**10, r=8, p=1)
    secret = "correct horse battery staple"
    with StaffDirectory.open(db, lambda: T0, fast) as staff:
        staff.add("小李", "staff", ("heping",), secret)
        token = staff.login("小李", secret).token
    rows = raw_sql(db, "SELECT * FROM staff_accounts") + raw_sql(db, "SELECT * FROM staff_tokens")
    assert secret not in str(rows) and token not in str(rows)
    assert token_hash(token) in str(rows)
    if not is_postgres(db):  # the file itself, its WAL included
        raw = b"".join(p.read_bytes() for p in Path(db).parent.iterdir())
        assert secret.encode() not in raw and token.encode() not in raw


def test_a_version_1_sqlite_file_upgrades_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sessions VALUES ('s1', '2026-01-01T00:00:00+00:00', 'square_talk', 't',"
        " NULL, 'p', 'ABCD', '1234', 'closed')"
    )
    conn.close()
    with open_account_store(path) as store:
        assert store.accounts() == []
    assert raw_sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] == [(2,)]
    assert raw_sql(path, "SELECT session_id FROM sessions") == [("s1",)]


def test_a_version_1_postgresql_database_upgrades(pg_cluster: Cluster) -> None:
    db = pg_cluster.new_database()
    from facilitator.store import pg_schema
    from facilitator.store.pg_connect import connect

    conn = connect(str(db), "test")
    with conn.transaction():
        pg_schema.MIGRATIONS[1](conn)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.close()
    with open_account_store(db) as store:
        assert store.accounts() == []
    assert raw_sql(db, "SELECT version FROM schema_version") == [(2,)]


def test_postgresql_accounts_survive_a_server_restart(own_cluster: Cluster) -> None:
    """While the server is down a call is a storage error (never a wrong answer); after it comes
    back, the same store carries on with a new connection."""
    url = own_cluster.new_database()
    with open_account_store(url) as store:
        store.create("小李", "staff", "h", ("heping",), T0)
        store.add_token("t1", "小李", T0, T0 + HOUR)
        own_cluster.halt()
        with pytest.raises(StorageUnavailable):
            store.token("t1")
        own_cluster.launch()
        record = store.token("t1")
        assert record is not None and record.account.places == ("heping",)
        assert store.grant("小李", "anle") is True
