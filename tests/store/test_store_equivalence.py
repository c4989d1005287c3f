"""The two backends are one contract: any sequence of appends, batches and stale writers gives the
same answers, the same refusals and the same log on SQLite and on PostgreSQL (hypothesis)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.session import events as ev
from facilitator.store import EventLog, StoreError, open_event_store
from tests.pg_kit import Cluster
from tests.store.store_samples import AT, created

pytestmark = pytest.mark.slow  # a database per example on each backend

SESSIONS = ("s1", "s2", "s3")
CODES = ("AAAA11", "aaaa11", "BBBB22")  # the first two clash: join codes ignore letter case

Group = tuple[str, list[ev.Event], str | None, str]


def _events(session_id: str, kind: str, n: int, code: int) -> list[ev.Event]:
    first: list[ev.Event] = [created(session_id, CODES[code], f"{code}000")]
    more: list[ev.Event] = [
        ev.ParticipantCheckedIn(at=AT, participant_id=f"p{i}") for i in range(n)
    ]
    return first + more if kind == "create" else more


groups = st.builds(
    lambda sid, kind, n, code, rid: (sid, _events(sid, kind, n, code), rid, "p"),
    st.sampled_from(SESSIONS),
    st.sampled_from(["create", "more"]),
    st.integers(0, 3),
    st.integers(0, len(CODES) - 1),
    st.one_of(st.none(), st.sampled_from(["r1", "r2"])),
)
Step = tuple[str, list[Group], int | None]  # ("append", [one group], expected) or ("batch", …)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("append"), st.lists(groups, min_size=1, max_size=1),
            st.one_of(st.none(), st.integers(0, 6)),
        ),
        st.tuples(st.just("batch"), st.lists(groups, min_size=1, max_size=4), st.none()),
    ),
    min_size=1,
    max_size=8,
)  # fmt: skip


def _apply(store: EventLog, step: Step) -> object:
    kind, batch, expected = step
    try:
        if kind == "append":
            [(sid, events, rid, actor)] = batch
            return store.append(sid, events, expected_seq=expected, request_id=rid, actor=actor)
        return store.append_batch(batch)
    except (StoreError, ValueError) as error:
        return type(error).__name__, getattr(error, "params", None)


def _snapshot(store: EventLog) -> object:
    def rows(sid: str) -> Sequence[object]:
        return [(r.seq, r.event, r.request_id, r.actor) for r in store.load(sid)]

    return (
        [(info.session_id, info.join_code, info.phase) for info in store.sessions()],
        {sid: (rows(sid), store.last_seq(sid), store.recent_request_ids(sid)) for sid in SESSIONS},
        store.find_session("aaaa11"),
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=steps)
def test_any_plan_gives_the_same_answers_and_log_on_both(
    pg_cluster: Cluster, plan: list[Step]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lite = open_event_store(Path(folder) / "f.db")
        pg = open_event_store(pg_cluster.new_database())
        with lite, pg:
            for step in plan:
                assert _apply(lite, step) == _apply(pg, step), step
            assert _snapshot(lite) == _snapshot(pg)
