"""What only the PostgreSQL store has: concurrent writers on one stream, a server that refuses or
drops the connection, URLs and their passwords, migrations run by two processes at once, the
NOTIFY wake-up hint, the lock keys and waiting for a live session."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from facilitator.cli._common import database
from facilitator.session import events as ev
from facilitator.store import (
    ConcurrencyConflict,
    EventStore,
    SessionLive,
    StorageUnavailable,
    WaitStopped,
    is_postgres,
)
from facilitator.store.backend import open_event_store, open_ledger_log, open_place_log, shown
from facilitator.store.pg_connect import mask
from facilitator.store.pg_live import HOLDER_PID, listen, lock_keys, write_key
from facilitator.store.pg_schema import PG_SCHEMA_VERSION
from facilitator.store.pg_store import PgEventStore
from tests.pg_fixtures import raw_sql, wait_for
from tests.pg_kit import PASSWORD, PASSWORD_USER, Cluster
from tests.store.store_samples import AT, SAMPLES, SESSION, created
from tests.store.test_store_live import owner


@pytest.fixture
def url(pg_cluster: Cluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture
def pg(url: str) -> Iterator[PgEventStore]:
    with PgEventStore.open(url) as store:
        yield store


def _checked_in(n: int) -> ev.ParticipantCheckedIn:
    return ev.ParticipantCheckedIn(at=AT, participant_id=f"p{n}")


def test_a_concurrent_writer_loses_and_no_seq_is_written_twice(pg: PgEventStore, url: str) -> None:
    pg.append(SESSION, [created(), _checked_in(1)])
    other = psycopg.connect(url)  # another process, mid-transaction with seq 3 of the stream
    other.execute(
        "INSERT INTO events (session_id, seq, type, payload, recorded_at, actor)"
        " SELECT session_id, 3, type, payload, recorded_at, actor FROM events WHERE seq = 2"
    )
    outcome: list[BaseException | int] = []
    writer = threading.Thread(target=lambda: outcome.append(_try(pg, _checked_in(2))))
    writer.start()  # reads last seq 2, inserts 3, and waits on the other transaction's key
    wait_for(lambda: bool(raw_sql(url, "SELECT 1 FROM pg_locks WHERE NOT granted")))
    other.commit()
    other.close()
    writer.join(timeout=10)
    [lost] = outcome
    assert isinstance(lost, ConcurrencyConflict)
    assert (lost.session_id, lost.expected_seq, lost.actual_seq) == (SESSION, 2, 3)
    assert [r.seq for r in pg.load(SESSION)] == [1, 2, 3]  # whole, no duplicate, no gap
    assert pg.append(SESSION, [_checked_in(2)]) == 4  # and the store carries on


def _try(store: PgEventStore, event: ev.Event) -> BaseException | int:
    try:
        return store.append(SESSION, [event])
    except BaseException as error:
        return error


def test_a_read_only_database_refuses_writes_and_keeps_nothing(pg: PgEventStore) -> None:
    pg.append(SESSION, SAMPLES[:3])
    pg._conn.execute("SET default_transaction_read_only = on")  # as on a standby
    with pytest.raises(StorageUnavailable) as caught:
        pg.append_batch([(SESSION, [SAMPLES[3]], "r1", "p1"), (SESSION, [SAMPLES[4]], "r2", "p")])
    assert caught.value.message == "cannot save the change: the database is read-only"
    assert pg.last_seq(SESSION) == 3 and pg.recent_request_ids(SESSION) == []
    pg._conn.execute("SET default_transaction_read_only = off")
    assert pg.append(SESSION, [SAMPLES[3]]) == 4


def test_a_dropped_connection_fails_the_call_and_the_next_one_reconnects(
    pg: PgEventStore, url: str
) -> None:
    pg.append(SESSION, SAMPLES[:3])
    _drop_connections(url)
    with pytest.raises(StorageUnavailable, match="connection to the PostgreSQL server was lost"):
        pg.append(SESSION, [SAMPLES[3]])
    assert pg.append(SESSION, [SAMPLES[3]]) == 4
    assert [r.seq for r in pg.load(SESSION)] == [1, 2, 3, 4]


def test_the_ledger_and_intake_logs_reconnect_too(url: str) -> None:
    from tests.store.test_store_logs import UPDATES, place

    with open_ledger_log(url) as ledger, open_place_log(url) as places:
        ledger.append(UPDATES[0])
        places.append("p", [place("p")])
        _drop_connections(url)
        with pytest.raises(StorageUnavailable, match="was lost"):
            ledger.append(UPDATES[1])
        with pytest.raises(StorageUnavailable, match="was lost"):
            places.places()
        ledger.append(UPDATES[1])
        assert ledger.updates() == UPDATES[:2] and places.places() == ["p"]


def _drop_connections(url: str) -> None:
    """Every other connection to the database ends, as in a server restart."""
    raw_sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                 " WHERE datname = current_database() AND pid != pg_backend_pid()")  # fmt: skip


def test_passwords_never_show(pg_cluster: Cluster) -> None:
    secret = "s3cr:et@x/y"
    url = pg_cluster.url("postgres", user="who", password=secret)
    assert secret not in shown(url) and "***" in shown(url)
    assert mask(f"postgresql://u:{secret.replace('@', '%40').replace('/', '%2F')}@h/db x") == (
        "postgresql://u:***@h/db x"
    )
    assert mask("postgres://h/db?user=u&password=hunter2&sslmode=require") == (
        "postgres://h/db?user=u&password=***&sslmode=require"
    )
    assert mask("/home/me/facilitator.db") == "/home/me/facilitator.db"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("bad password", "refused the user name or password"),
        ("no database", "database does not exist"),
        ("server down", "server cannot be reached"),
        ("bad url", "database URL is not valid"),
    ],
)
def test_connecting_fails_with_a_reason_and_no_password(
    pg_cluster: Cluster, kind: str, reason: str
) -> None:
    wrong = "not-" + PASSWORD
    urls = {
        "bad password": pg_cluster.url("postgres", user=PASSWORD_USER, password=wrong),
        "no database": pg_cluster.url("nope", user=PASSWORD_USER, password=PASSWORD),
        "server down": f"postgresql://u:{quote(wrong)}@/db?host=/nonexistent-socket-dir",
        "bad url": f"postgresql://u:{quote(wrong)}@/db?hots=/tmp",
    }
    for opener in (open_event_store, open_ledger_log):
        with pytest.raises(StorageUnavailable) as caught:
            opener(urls[kind])
        assert reason in caught.value.message
        assert wrong not in str(caught.value) and quote(wrong) not in str(caught.value)
        assert caught.value.__cause__ is None  # psycopg's own text may quote the URL
    with open_event_store(pg_cluster.url("postgres", user=PASSWORD_USER, password=PASSWORD)):
        pass  # the right password signs in


def test_two_processes_migrating_at_once_make_one_schema(url: str) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            PgEventStore.open(url).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert raw_sql(url, "SELECT version FROM schema_version") == [(PG_SCHEMA_VERSION,)]


def test_every_commit_notifies_listeners(pg: PgEventStore, url: str) -> None:
    stop, seen = threading.Event(), list[tuple[str, int]]()
    ready = threading.Event()

    def follow() -> None:
        for note in listen(url, stop, poll=0.05):
            seen.append(note)

    thread = threading.Thread(target=follow)
    thread.start()
    listening = "SELECT 1 FROM pg_stat_activity WHERE query = 'LISTEN facilitator_events'"
    wait_for(lambda: bool(raw_sql(url, listening)))
    ready.set()
    pg.append(SESSION, [created(), _checked_in(1)])
    pg.append_batch([(SESSION, [_checked_in(2)], None, ""), ("s2", [created("s2", "B2", "2")],
                     None, ""), (SESSION, [_checked_in(3)], None, "")])  # fmt: skip
    wait_for(lambda: len(seen) >= 3)
    stop.set()
    thread.join(timeout=10)
    assert seen == [(SESSION, 2), (SESSION, 4), ("s2", 1)]  # one per stream per commit


def test_lock_keys_are_stable_int4_pairs() -> None:
    keys = lock_keys("s-1")
    assert keys == lock_keys("s-1") != lock_keys("s-2")
    assert all(0 <= key < 2**31 for key in keys)
    assert keys == (52629593, 1238687245)  # the same in every process, version and machine


def test_wait_live_takes_the_session_once_it_is_free(pg: PgEventStore, url: str) -> None:
    other = PgEventStore.open(url)
    holding = other.claim_live("s-1", owner(11))
    holding.__enter__()
    got: list[int] = []

    def wait() -> None:
        with pg.wait_live("s-1", owner(22), poll=0.02) as claim:
            got.append(claim.owner.pid)

    waiter = threading.Thread(target=wait)
    waiter.start()
    holding.__exit__(None, None, None)
    waiter.join(timeout=10)
    assert got == [22]
    other.close()


def test_wait_live_gives_up_when_told_to_stop(pg: PgEventStore, url: str) -> None:
    stop = threading.Event()
    with PgEventStore.open(url) as other, other.claim_live("s-1", owner(11)):
        failed: list[BaseException] = []

        def wait() -> None:
            try:
                pg.wait_live("s-1", owner(22), stop=stop, poll=0.05).__enter__()
            except BaseException as error:
                failed.append(error)

        waiter = threading.Thread(target=wait)
        waiter.start()
        stop.set()
        waiter.join(timeout=10)
        [stopped] = failed
        assert isinstance(stopped, WaitStopped) and stopped.session_id == "s-1"


def test_a_claim_over_tcp_lets_the_server_give_up_on_a_silent_owner_in_seconds() -> None:
    """A machine that loses power sends no FIN: without keepalives the server would hold its
    lock for the kernel's two hours. The claim's backend probes after 5 s, gives up by ~11 s."""
    with Cluster(tcp=True) as cluster:
        cluster.sql("CREATE DATABASE claims")
        url = cluster.tcp_url("claims")
        with PgEventStore.open(url) as store, store.claim_live("s-1", owner(1)) as claim:
            conn = claim._conn  # type: ignore[attr-defined]
            shown_settings = {
                name: conn.execute(f"SHOW {name}".encode()).fetchone()[0]
                for name in ("tcp_keepalives_idle", "tcp_keepalives_interval",
                             "tcp_keepalives_count", "tcp_user_timeout")
            }  # fmt: skip
            assert shown_settings == {
                "tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2",
                "tcp_keepalives_count": "3", "tcp_user_timeout": "10000",  # ms
            }  # fmt: skip


def test_a_database_locked_by_another_program(url: str) -> None:
    """A transaction left open in a database tool: the write gives up after the lock timeout,
    as SQLite's busy timeout does, keeps nothing, and works again once the lock is gone."""
    with PgEventStore.open(url, lock_timeout_ms=50) as store:
        store.append(SESSION, SAMPLES[:3])
        other = psycopg.connect(url)
        other.execute("LOCK TABLE events IN EXCLUSIVE MODE")  # readers pass, writers wait
        try:
            with pytest.raises(StorageUnavailable, match="locked by another program"):
                store.append(SESSION, [SAMPLES[3]])
            assert [r.seq for r in store.load(SESSION)] == [1, 2, 3]
        finally:
            other.rollback()
            other.close()
        assert store.append(SESSION, [SAMPLES[3]]) == 4


def test_a_url_selects_postgresql_and_anything_else_is_a_file(tmp_path: Path) -> None:
    for url in ("postgresql://h/db", "postgres://h/db", "PostgreSQL://h/db"):
        assert is_postgres(url) and database(url) == url
    for path in ("facilitator.db", "postgresql.db", "./postgres:/x.db", str(tmp_path / "f.db")):
        assert not is_postgres(path) and database(path) == Path(path)
    with open_event_store(tmp_path / "f.db") as lite:
        assert isinstance(lite, EventStore) and lite.location == str(tmp_path / "f.db")


def _end_backend(url: str, pid: int) -> None:
    raw_sql(url, "SELECT pg_terminate_backend(?)", (pid,))
    wait_for(lambda: not raw_sql(url, "SELECT 1 FROM pg_stat_activity WHERE pid = ?", (pid,)))


def test_an_owner_whose_lock_was_taken_over_writes_nothing(pg: PgEventStore, url: str) -> None:
    """Fencing: the claim's connection went (a database restart, a network cut) and a standby
    took the session; the old owner's next write is refused, naming the new owner."""
    pg.append(SESSION, [created()])
    with pg.claim_live(SESSION, owner(11)) as claim:
        _end_backend(url, claim.backend)  # type: ignore[attr-defined]
        with PgEventStore.open(url) as standby, standby.claim_live(SESSION, owner(22)):
            with pytest.raises(SessionLive) as refused:
                pg.append(SESSION, [_checked_in(1)])
            assert refused.value.owner == owner(22)
            assert pg.last_seq(SESSION) == 1  # nothing written beside the new owner
            assert standby.append(SESSION, [_checked_in(2)]) == 2
        # the standby stopped: nobody holds the session, so the owner takes its lock back
        assert pg.append(SESSION, [_checked_in(1)]) == 3
        holder_pid = raw_sql(url, _HOLDER, (*lock_keys(SESSION),))
        assert holder_pid == [(claim.backend,)]  # type: ignore[attr-defined]


def test_a_claim_whose_connection_broke_is_taken_back_on_the_next_write(
    pg: PgEventStore, url: str
) -> None:
    pg.append(SESSION, [created()])
    with pg.claim_live(SESSION, owner(11)) as claim:
        before = claim.backend  # type: ignore[attr-defined]
        _end_backend(url, before)
        assert pg.append_batch([(SESSION, [_checked_in(1)], "r1", "p1")]) == [2]
        assert claim.backend != before  # type: ignore[attr-defined]
        assert raw_sql(url, _HOLDER, (*lock_keys(SESSION),)) == [(claim.backend,)]  # type: ignore[attr-defined]
        with PgEventStore.open(url) as other, pytest.raises(SessionLive) as refused:
            other.claim_live(SESSION, owner(22)).__enter__()
        assert refused.value.owner == owner(11)  # announced again with the new connection


_HOLDER = HOLDER_PID.replace("%s", "?")


def test_a_new_owner_waits_for_the_old_owners_write_in_flight(pg: PgEventStore, url: str) -> None:
    """The old owner passed its fencing check and is committing when it loses the lock: the
    new owner's claim waits for that commit, so its replay holds the write."""
    pg.append(SESSION, [created()])
    old = psycopg.connect(url)  # the old owner's write, past its check, not yet committed
    old.execute("SELECT pg_advisory_xact_lock_shared(%s)", (write_key(SESSION),))
    old.execute(
        "INSERT INTO events SELECT session_id, 2, type, payload, recorded_at, NULL, actor"
        " FROM events WHERE seq = 1"
    )
    replayed: list[int] = []

    def take_over() -> None:
        with PgEventStore.open(url) as standby, standby.claim_live(SESSION, owner(22)):
            replayed.extend(r.seq for r in standby.load(SESSION))

    standby = threading.Thread(target=take_over)
    standby.start()
    wait_for(lambda: bool(raw_sql(url, "SELECT 1 FROM pg_locks WHERE NOT granted")))
    assert replayed == []  # still waiting for the write in flight
    old.commit()
    old.close()
    standby.join(timeout=10)
    assert replayed == [1, 2]
