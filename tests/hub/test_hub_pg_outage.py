"""A PostgreSQL server that goes down in the middle of a session and comes back: the commands
sent while it is down are refused with a storage error (nothing is acknowledged that is not
stored), the live state does not move, and once the server is back the same hub carries on
without a restart, its live claim taken back with the first write; the log then replays to
exactly the live state."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest

from facilitator.hub import Hub, HubError
from facilitator.session import SessionEngine
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.store import LiveOwner, SessionLive, StorageUnavailable, open_event_store
from tests.hub.test_hub import T0, Clock, opened
from tests.pg_kit import Cluster, missing_reason

OWNER = LiveOwner(4242, "district-1", dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this test's own: it is stopped and started again (the shared one is not)."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with Cluster() as cluster:
        yield cluster


async def test_the_hub_refuses_while_the_server_is_down_and_carries_on_after(
    own_cluster: Cluster,
) -> None:
    url = own_cluster.new_database()
    store = open_event_store(url)
    hub = Hub(store, clock=Clock())
    claims = contextlib.ExitStack()
    try:
        sid = await opened(hub)
        claim = claims.enter_context(store.claim_live(sid, OWNER))  # as serve holds it
        await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=2), MODERATOR)
        before = hub.state(sid)
        own_cluster.halt()  # SIGINT: the server disconnects everyone and stops
        with pytest.raises(HubError) as failed:
            await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=5), MODERATOR)
        assert failed.value.code == "storage_error"
        assert "PostgreSQL server" in failed.value.message  # lost, or cannot be reached
        assert hub.storage_error is not None and hub.state(sid) is before
        with pytest.raises(StorageUnavailable, match="cannot be reached"):
            open_event_store(url)  # a new process would be told why, too
        own_cluster.launch()
        await hub.dispatch(sid, c.SetWalkInCount(at=T0, count=5), MODERATOR)
        assert hub.state(sid).walk_ins == 5 and hub.storage_error is None
        live = hub.state(sid)
        with open_event_store(url) as other, pytest.raises(SessionLive):
            other.claim_live(sid, OWNER).__enter__()  # the claim was taken back with the write
        assert claim.owner == OWNER
    finally:
        claims.close()
        hub.close()
        store.close()
    with open_event_store(url) as again:
        replayed = SessionEngine.replay(stored.event for stored in again.load(sid))
    assert replayed.state == live
