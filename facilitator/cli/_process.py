"""Process plumbing shared by ``run`` and ``serve`` (and the load benchmark): garbage-collector
tuning, the loop-lag sampler for benchmarks, and the ready file scripts wait for."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from pathlib import Path

GC_THRESHOLDS = (10_000, 50, 1_000)


def tune_gc() -> None:
    """Keep the cyclic garbage collector from pausing a loop that serves thousands of phones.

    With 5,000 connections the heap holds millions of objects; Python's default thresholds run
    a full collection every few seconds while phones join and vote, pausing everything for up to
    0.4 s (measured: 3.4 s of collections in one 3,000-phone run). Almost everything here is
    freed by reference counting, so: freeze what start-up made (never garbage) and collect
    young objects less often. Cycles are still collected, just in fewer, later passes.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


LOOP_LAG_ENV = "FACILITATOR_LOOP_LAG_FILE"
LOOP_LAG_INTERVAL_S = 0.01


async def sample_loop_lag(path: Path, interval_s: float = LOOP_LAG_INTERVAL_S) -> None:
    """Append ``<monotonic s> <lag ms>`` lines: how late a 10 ms sleep wakes (benchmarks only).

    Enabled by the ``FACILITATOR_LOOP_LAG_FILE`` environment variable. ``time.monotonic()`` is
    the machine-wide clock, so a load generator's stamps line up with these.
    """
    with path.open("a", encoding="ascii") as out:
        lines = 0
        while True:
            due = time.monotonic() + interval_s
            await asyncio.sleep(interval_s)
            now = time.monotonic()
            out.write(f"{now:.4f} {max(0.0, now - due) * 1000:.2f}\n")
            lines += 1
            if lines % 100 == 0:
                out.flush()


def start_loop_lag_sampler() -> asyncio.Task[None] | None:
    """Sample the loop's lag into ``$FACILITATOR_LOOP_LAG_FILE`` when it is set (benchmarks)."""
    path = os.environ.get(LOOP_LAG_ENV)
    return asyncio.create_task(sample_loop_lag(Path(path))) if path else None


def write_ready_file(
    path: Path,
    url: str,
    moderator_token: str,
    session_id: str,
    sessions: list[dict[str, str]] | None = None,
) -> None:
    """Tell a script the server is listening: ``{url, moderator_token, session_id, pid}``, and
    with several sessions ``sessions``: ``[{session_id, join_code, moderator_token, prefix}]``.

    Written beside and renamed into place, so a reader polling for it never sees half a file.
    """
    ready = {
        "url": url,
        "moderator_token": moderator_token,
        "session_id": session_id,
        "pid": os.getpid(),
    }
    if sessions is not None:
        ready["sessions"] = sessions
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(ready), encoding="utf-8")
    partial.replace(path)
