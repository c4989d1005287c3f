"""Failover with real processes: two ``serve`` processes on one database, 200 phones (real
socket.io clients) voting, the owner killed with SIGKILL mid-vote. The standby takes over, the
phones find it through ``/j/CODE`` and reconnect with their own device tokens, and every
acknowledged ballot is in the log exactly once: nobody's ballot lost, nobody counted twice, not
even a ballot sent again after the takeover with the request id the dead process had answered.

Runs ``bench/takeover.py`` (the takeover benchmark) once and checks its phones' acknowledged
ballots against the log the processes left; the times it measures go to bench/README.md only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from facilitator.session.events import BallotCast, PollOpened
from facilitator.store import Database, is_postgres, open_event_store
from tests.pg_fixtures import db, pg_cluster, store_backend

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
__all__ = ["db", "pg_cluster", "store_backend"]  # on SQLite, and on PostgreSQL
ROOT = Path(__file__).resolve().parents[2]
PHONES = 200


def test_every_acknowledged_ballot_survives_the_owner_s_death_exactly_once(
    tmp_path: Path, db: Database
) -> None:
    out, work = tmp_path / "takeover.json", tmp_path / "work"
    argv = [sys.executable, str(ROOT / "bench/takeover.py"), "--phones", str(PHONES)]
    argv += ["--kills", "1", "--json", str(out), "--keep", str(work)]
    if is_postgres(db):
        argv += ["--db", str(db)]
    else:
        db = work / "takeover.db"
    done = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(result["kills"]) == 1 and result["reconnects"] >= PHONES  # every phone came back
    acked = result["ballots"]
    assert len(acked) == PHONES and all(b is not None for b in acked.values())
    # Those acknowledged before the kill were sent again, same request ids, to the new owner.
    assert result["resent_after_takeover"] >= PHONES // 2

    with open_event_store(db) as store:
        events = [stored.event for stored in store.load(result["session_id"])]
    opened = [e for e in events if isinstance(e, PollOpened)]
    assert [e.poll_id for e in opened] == [result["poll_id"]]
    cast = [e for e in events if isinstance(e, BallotCast) and e.poll_id == result["poll_id"]]
    per_person = Counter(e.participant_id for e in cast)
    assert set(per_person) == set(acked)  # every acknowledged ballot is in the log
    assert set(per_person.values()) == {1}  # and nobody's twice
    for ballot in cast:
        assert list(ballot.choices) == acked[ballot.participant_id]["choices"]

    final = result["final_poll"]  # what the process that took over counts
    assert final["voters"] == PHONES
    wanted = Counter(choice for b in acked.values() for choice in b["choices"])
    assert final["totals"] == [wanted["yes"], wanted["no"], wanted["abstain"]]
