"""The fuzzers' harness: a live server and its clients in an event loop on a thread of their own,
so Hypothesis drives plain synchronous tests, each example one round trip; and the check every
answer must pass."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import psutil

from facilitator.server.app import CONTEXT
from facilitator.server.limits import Rate, RateLimiter, RateLimits
from facilitator.session import ErrorCode
from tests.reliability.rel_kit import record_figures
from tests.server.server_kit import Client, Live, start_live

_T = TypeVar("_T")
EXAMPLES = int(os.environ.get("FACILITATOR_FUZZ_EXAMPLES", "1500"))
# Growth allowed over the whole run, for the whole test process: the server, its clients and
# Hypothesis itself. Most of it is the allocator's high-water mark after 60 KB payloads (glibc
# keeps freed arenas), reached in the first few hundred examples; a leak per payload would pass it
# (Python-level allocations of the server stay flat: see docs/reliability.md).
RSS_BOUND_MB = 128
CODES = {code.value for code in ErrorCode} | {
    "bad_request",
    "unknown_namespace",
    "unknown_event",
    "text_too_long",
    "invalid_value",
    "not_joined",
    "not_in_queue",
    "rate_limited",
    "storage_error",
}
UNLIMITED = RateLimits(
    events=Rate(10**6, 10**6),
    issue=Rate(10**6, 10**6),
    support=Rate(10**6, 10**6),
    hand=Rate(10**6, 10**6),
)


class Harness:
    """A live server and its clients in an event loop on a thread of their own."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.live: Live = self.run(start_live(folder))
        self.live.server.app[CONTEXT].limits = RateLimiter(UNLIMITED)  # reach past the limits
        self.clients: dict[str, Client] = self.run(self._clients())

    def run(self, coro: Coroutine[Any, Any, _T], timeout: float = 30.0) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _clients(self) -> dict[str, Client]:
        live = self.live
        joined = await live.resident("Fuzz")
        await live.resident("Other")
        await live.command("RaiseIssue", text="路燈", source="moderator")
        await live.command("OpenPoll", question="Q")
        return {
            "joined": joined,
            "fresh": await live.phone(),
            "display": await live.connect("/display", {"v": 1}),
            "moderator": await live.moderator(),
        }

    @property
    def version(self) -> int:
        return self.live.hub.state(self.live.session_id).version

    async def send(self, who: str, event: Any, payload: Any) -> tuple[Any, int, int]:
        """The ack and the session version before and after (one writer: the fuzzer)."""
        before = self.version
        client = self.clients[who]
        ack = await client.sio.call(event, payload, namespace=client.namespace, timeout=10)
        for known in self.clients.values():  # the test's own record of pushes must not grow
            del known.states[:-1], known.mes[:-1]
        return ack, before, self.version

    def close(self) -> None:
        self.run(self.live.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def check_answer(ack: Any, before: int, after: int, counts: dict[str, int]) -> None:
    """An answer in the protocol's form, with a known code and a message; a refusal changed
    nothing."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if ack["ok"]:
        counts["accepted_as_valid"] += 1
        return
    assert ack["error"] in CODES, ack
    assert isinstance(ack["message"], str) and ack["message"], ack
    assert after == before, f"refused ({ack['error']}) but the session moved"


@contextmanager
def served(folder: Path, section: str, counts: dict[str, int]) -> Iterator[Harness]:
    """A harness for one test module; on the way out, the server still answers a new phone,
    its memory growth stays bounded, and ``counts`` go to the figures under ``section``."""
    gc.collect()
    rss = psutil.Process().memory_info().rss
    h = Harness(folder)
    try:
        yield h
        # Still alive: a brand-new phone joins and is answered at once.
        phone = h.run(h.live.resident("After"))
        assert phone.me["joined"]
        gc.collect()
        grown_mb = (psutil.Process().memory_info().rss - rss) / 2**20
        record_figures(
            section,
            **counts,
            server_crashes=0,
            rss_growth_mb=round(grown_mb, 1),
            rss_bound_mb=RSS_BOUND_MB,
        )
        assert grown_mb < RSS_BOUND_MB
    finally:
        h.close()
