"""Kill-safety: a writer killed with SIGKILL at a random moment loses nothing it acknowledged.

SIGKILL leaves the kernel's page cache intact, so this proves the transaction logic (no half-written
batch, no acknowledged row missing, a file SQLite accepts), not fsync against power loss; that rests
on ``synchronous=FULL`` (see docs/store.md). On PostgreSQL the killed client's open transaction is
rolled back by the server, and what it acknowledged had been committed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facilitator.session import events as ev
from facilitator.store.backend import Database, is_postgres, open_event_store
from tests.pg_fixtures import raw_sql
from tests.store.store_samples import SESSION

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
WRITER = """
import sys
from tests.store.store_samples import AT, SESSION, created
from facilitator.session import events as ev
from facilitator.session.values import IssueSource
from facilitator.store.backend import open_event_store

path, run = sys.argv[1], sys.argv[2]
with open_event_store(path) as store:
    if store.last_seq(SESSION) == 0:
        store.append(SESSION, [created()])
    print("ready", flush=True)
    for n in range(1, 1_000_000):
        raised = ev.IssueRaised(
            at=AT, issue_id=f"{run}-{n}", text="電梯\\n" * n, source=IssueSource.PHONE,
            participant_id=None, on_behalf_of="", building="3棟", item_id=None,
        )
        if n % 3:
            seq = store.append(SESSION, [raised], request_id=f"{run}-{n}", actor="p1")
        else:  # a group commit of two commands
            supported = ev.IssueSupported(at=AT, issue_id=f"{run}-{n}", participant_id="p2")
            batch = [(SESSION, [raised], f"{run}-{n}", "p1"), (SESSION, [supported], None, "p2")]
            seq = store.append_batch(batch)[-1]
        print(seq, flush=True)  # acknowledged: the COMMIT has returned
"""


def _run_and_kill(db: Database, run: str, delay: float, after_ready: bool) -> list[int]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parents[1]), str(HERE)])}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), run], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    if after_ready:
        assert child.stdout.readline() == "ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    lines = child.stdout.read().split()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return [int(line) for line in lines if line != "ready"]


def test_nothing_acknowledged_is_lost_when_the_writer_is_killed(db: Database) -> None:
    if not is_postgres(db):
        Path(db).parent.mkdir()  # the first kill may come before the writer made anything
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    acknowledged: list[int] = []
    # one kill while it may still be opening and creating the schema, then kills mid-stream
    plan = [(rng.uniform(0.0, 0.3), False)] + [(rng.uniform(0.05, 0.6), True) for _ in range(4)]
    for run, (delay, after_ready) in enumerate(plan):
        acknowledged += _run_and_kill(db, str(run), delay, after_ready)
        if not is_postgres(db):
            assert raw_sql(db, "PRAGMA integrity_check") == [("ok",)], seed
        with open_event_store(db) as store:
            rows = list(store.load(SESSION))  # decodes every row and checks there is no gap
            assert [row.seq for row in rows] == list(range(1, len(rows) + 1)), seed
            assert set(acknowledged) <= {row.seq for row in rows}, seed
            for row in rows[1:]:  # a batch is whole: every support follows its issue
                if isinstance(row.event, ev.IssueSupported):
                    assert rows[row.seq - 2].event.issue_id == row.event.issue_id  # type: ignore[attr-defined]
    assert len(acknowledged) > 4, f"the writer barely ran (seed {seed})"
