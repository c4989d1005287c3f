"""Process plumbing shared by ``run`` and ``serve`` (and the load benchmark): garbage-collector
tuning, the loop-lag sampler for benchmarks, and the ready file scripts wait for."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.server.gcpolicy import GcPolicy

if TYPE_CHECKING:
    from facilitator.server import RunningServer


def tune_gc(server: RunningServer) -> GcPolicy:
    """Put the cyclic garbage collector under the connections' policy (facilitator/server/
    gcpolicy.py): freeze what start-up made now, and the live set after each wave of joins.

    With 5,000 connections Python's default thresholds ran full collections that paused the loop
    for up to 0.5 s; almost everything here is freed by reference counting, so the collector is
    kept off what is settled, and given back what departed.
    """
    policy = GcPolicy()
    policy.start()
    server.gate.watchers.append(policy)
    return policy


LOOP_LAG_ENV = "FACILITATOR_LOOP_LAG_FILE"
LOOP_LAG_INTERVAL_S = 0.01


async def sample_loop_lag(path: Path, interval_s: float = LOOP_LAG_INTERVAL_S) -> None:
    """Append ``<monotonic s> <lag ms>`` lines: how late a 10 ms sleep wakes (benchmarks only).

    Each pause of the cyclic garbage collector is written too, as ``gc <monotonic s> <ms>
    <generation> <CPU ms> <collected>``. Enabled by the ``FACILITATOR_LOOP_LAG_FILE``
    environment variable. ``time.monotonic()`` is the machine-wide clock, so a load generator's
    stamps line up.
    """
    passes: list[str] = []
    began = [0.0, 0.0]

    def collector(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[:] = time.monotonic(), time.thread_time()
            return
        # "gc <monotonic s> <pause ms> <generation> <CPU ms>": the pause as the loop felt it,
        # and the CPU the pass took (less when the process waited for its core meanwhile).
        pause = (time.monotonic() - began[0]) * 1000
        cpu = (time.thread_time() - began[1]) * 1000
        passes.append(
            f"gc {began[0]:.4f} {pause:.2f} {info['generation']} {cpu:.2f} {info['collected']}\n"
        )

    gc.callbacks.append(collector)
    try:
        with path.open("a", encoding="ascii") as out:
            lines = 0
            while True:
                due = time.monotonic() + interval_s
                await asyncio.sleep(interval_s)
                now = time.monotonic()
                out.write(f"{now:.4f} {max(0.0, now - due) * 1000:.2f}\n")
                if passes:
                    done, passes[:] = passes[:], []
                    out.writelines(done)
                lines += 1
                if lines % 100 == 0:
                    out.flush()
    finally:
        gc.callbacks.remove(collector)


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
