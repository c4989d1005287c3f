"""Rebuilding the ledger often (the public page) folds a session's log again only once it grew;
the result is the same ledger as building it from scratch."""

from __future__ import annotations

from facilitator.ledger import build_ledger
from facilitator.session.events import Event
from facilitator.store import Database, open_event_store, open_ledger_log
from facilitator.store.ledger_log import PartsCache, read_ledger
from tests.ledger.ledger_kit import three_sessions


def sid_of(log: list[Event]) -> str:
    sid: str = getattr(log[0], "session_id")  # noqa: B009 - a log starts with SessionCreated
    return sid


def test_kept_parts_give_the_same_ledger_and_are_refolded_only_when_a_log_grows(
    db: Database,
) -> None:
    logs, updates, _ = three_sessions()
    with open_event_store(db) as store:
        first, rest = logs[0], logs[1:]
        store.append(sid_of(first), first[:-1])
        with open_ledger_log(store.location) as log:
            for update in updates:
                log.append(update)
        parts: PartsCache = {}
        read_ledger(store, places=[], parts=parts)
        kept = dict(parts)
        for events in rest:
            store.append(sid_of(events), events)
        store.append(sid_of(first), first[-1:])  # the first session's log grows by one
        ledger = read_ledger(store, places=[], parts=parts)
        sid = sid_of(first)
        assert parts[sid] is not kept[sid] and parts[sid][0] == len(first)
        assert all(parts[s] is kept[s] for s in kept if s != sid)  # the others were kept
        before = dict(parts)
        again = read_ledger(store, places=[], parts=parts)
        assert all(parts[s] is before[s] for s in before)  # nothing grew: nothing refolded
    assert ledger == again == build_ledger(logs, updates)
