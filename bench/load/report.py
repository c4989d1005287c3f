"""Figures of one load run, and the Markdown table of all runs (with ratios to the baseline)."""

from __future__ import annotations

import math
import statistics
from typing import Any

from servers import Server

INVALID_GENERATOR_CPU = 0.95  # a generator this busy measures itself, not the server
CONTENDED = 0.25  # others' work on the server's core during the vote: latencies are not ours alone


def pct(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank); ``inf`` when there is none."""
    if not samples:
        return math.inf
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def three(samples: list[float], scale: float = 1000.0) -> list[float]:
    return [round(pct(samples, p) * scale, 1) for p in (50, 95, 99)]


def summarize(
    *,
    kind: str,
    n: int,
    mode: str,
    joined: list[dict[str, Any]],
    reports: list[dict[str, Any]],
    server: Server,
    rss_idle: int,
    rss_joined: int,
    vote_cpu: float,
    idle_cpu: float,
    other_cpu: float,
    phase_cpu: float,
    broadcasts: int,
    window: tuple[float, float],
    phase: tuple[float, float],
    window_s: float,
    poll_opened: bool,
    joined_at: float,
    join_cpu: float,
) -> dict[str, Any]:
    def merged(key: str) -> list[Any]:
        return [x for r in reports for x in r[key]]

    def total(key: str) -> int:
        return sum(int(r[key]) for r in reports)

    not_seen = total("not_seen") + total("vote_failed")
    seen = merged("seen_s") + [math.inf] * not_seen
    span = phase[1] - phase[0]
    idle_rate = idle_cpu / (broadcasts * 0.25 + 0.5)
    per_recipient_us = (phase_cpu - idle_rate * span) / (broadcasts * n) * 1e6
    generator_s = sum(r["window_cpu_s"] or 0.0 for r in reports)
    generator_cpu = generator_s / window_s
    received = sum(r.get("window_received") or 0 for r in reports)
    lag_vote = server.lag(window[0], window[1] + 2.0)
    lag_phase = server.lag(phase[0], phase[1])
    # From the first join to the end of the broadcast phase: the collector's passes, longest.
    pauses = server.gc_pauses(joined_at, phase[1])
    return {
        "server": kind,
        "n": n,
        "mode": mode,
        "poll_opened": poll_opened,
        "join_ms": three(merged("join_s")),
        "join_failed": total("join_failed"),
        "join_cpu_s": round(join_cpu, 2),  # the server's CPU from the first join to the last
        "errors": sorted({e for r in reports for e in r["errors"]})[:5],
        "deflate": total("deflate"),
        "ack_ms": three(merged("ack_s")),
        "vote_failed": total("vote_failed"),
        "acked": len(merged("ack_s")),
        "seen_ms": three(seen),
        "not_seen": not_seen,
        "lost": total("lost"),
        "missed_broadcasts": sum(1 for c in merged("counted") if c < broadcasts),
        "cpu_per_recipient_us": round(per_recipient_us, 2),
        "server_cpu_vote": round(vote_cpu / window_s, 3),
        "other_cpu_vote": round(other_cpu / window_s, 3),  # others' work on the server's core
        "rss_idle_mb": round(rss_idle / 2**20, 1),
        "rss_peak_mb": round(server.peak_rss / 2**20, 1),
        "rss_per_phone_kb": round((rss_joined - rss_idle) / n / 1024, 1),
        "rss_peak_per_phone_kb": round((server.peak_rss - rss_idle) / n / 1024, 1),
        "lag_vote_ms": [round(pct(lag_vote, p), 1) for p in (50, 99, 100)],
        "lag_phase_ms": [round(pct(lag_phase, p), 1) for p in (50, 99, 100)],
        "gc_passes": len(pauses),
        "gc_long_passes": sum(1 for ms, _ in pauses if ms >= 50),
        "gc_total_s": round(sum(ms for ms, _ in pauses) / 1000, 2),
        "gc_max_ms": round(max((ms for ms, _ in pauses), default=0.0), 1),
        # CPU of the passes: what the collector itself cost, whoever else used the core.
        "gc_cpu_long_passes": sum(1 for _, cpu in pauses if cpu >= 50),
        "gc_cpu_total_s": round(sum(cpu for _, cpu in pauses) / 1000, 2),
        "gc_cpu_max_ms": round(max((cpu for _, cpu in pauses), default=0.0), 1),
        "generator_cpu": round(generator_cpu, 3),
        # The generator's CPU per message it received in the vote window (all its work included).
        "generator_us_per_msg": round(generator_s / received * 1e6, 1) if received else None,
        "generator_msgs": received,
        "generators": len(reports),
        "valid": generator_cpu < INVALID_GENERATOR_CPU and server.pinned,
        "pinned": server.pinned,
    }


def _trio(values: list[float]) -> str:
    return " / ".join("∞" if math.isinf(v) else f"{v:g}" for v in values)


def _ratio(ours: float, base: float) -> str:
    return f" ({ours / base:.2f}x)" if base > 0 and not math.isinf(ours) else ""


def verdict(r: dict[str, Any]) -> str:
    """``yes``; ``NO`` (generator saturated or not pinned); ``contended`` (core 0 not ours)."""
    if not r["valid"]:
        return "NO"
    return "contended" if r.get("other_cpu_vote", 0.0) >= CONTENDED else "yes"


def reference(results: list[dict[str, Any]]) -> str:
    """The server the ratios are taken against: the Node peer when it ran, else the baseline."""
    return "peer" if any(r["server"] == "peer" for r in results) else "baseline"


def _key(r: dict[str, Any]) -> tuple[int, str, int]:
    return (r["n"], r["mode"], r.get("repeat", 0))


def table(results: list[dict[str, Any]]) -> str:
    """One row per run; in brackets, the ratio to the reference server's run of the same size,
    pattern and repeat (run just before or after it)."""
    done = [r for r in results if "error" not in r]
    ref_kind = reference(done)
    head = (
        "| server | N | votes | join p50/p95/p99 ms (failed) [server CPU s] "
        "| vote→ack p50/p95/p99 ms | own ballot in tally p50/p95/p99 ms | lost "
        "| CPU µs /recipient /broadcast "
        "| RSS peak MB, KB/phone | loop lag p50/p99/max ms | GC pause max ms (≥ 50 ms, total s) "
        "| server / others on core 0 | generator CPU, µs/msg | valid |"
    )
    lines = [head, "|" + "---|" * 14]
    ref = {_key(r): r for r in done if r["server"] == ref_kind}
    for r in done:
        b = ref.get(_key(r)) if r["server"] != ref_kind else None
        ack = _trio(r["ack_ms"]) + (_ratio(r["ack_ms"][1], b["ack_ms"][1]) if b else "")
        seen = _trio(r["seen_ms"]) + (_ratio(r["seen_ms"][1], b["seen_ms"][1]) if b else "")
        cpu = f"{r['cpu_per_recipient_us']:g}" + (
            _ratio(r["cpu_per_recipient_us"], b["cpu_per_recipient_us"]) if b else ""
        )
        rss = f"{r['rss_peak_mb']:g}, {r['rss_per_phone_kb']:g}" + (
            _ratio(r["rss_per_phone_kb"], b["rss_per_phone_kb"]) if b else ""
        )
        lines.append(
            f"| {r['server']} | {r['n']:,} | {r['mode']} "
            f"| {_trio(r['join_ms'])} ({r['join_failed']}) [{r.get('join_cpu_s', '-')}] "
            f"| {ack} | {seen} "
            f"| {r['lost']} | {cpu} | {rss} | {_trio(r['lag_vote_ms'])} | {_gc(r)} "
            f"| {r['server_cpu_vote'] * 100:.0f} % / {r['other_cpu_vote'] * 100:.0f} % "
            f"| {r['generator_cpu'] * 100:.0f} %, {r.get('generator_us_per_msg') or '-'} "
            f"| {verdict(r)} |"
        )
    lines += [f"\nRun failed: {r['server']} N={r['n']} {r['mode']}: {r['error']}" for r in results
              if "error" in r]  # fmt: skip
    return "\n".join(lines)


def _gc(r: dict[str, Any]) -> str:
    if not r.get("gc_passes"):
        return "-"
    return (
        f"{r['gc_max_ms']:g} ({r['gc_long_passes']}, {r['gc_total_s']:g}); "
        f"CPU {r['gc_cpu_max_ms']:g} ({r['gc_cpu_long_passes']}, {r['gc_cpu_total_s']:g})"
    )


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def _fmt(value: float) -> str:
    return "∞" if math.isinf(value) else "-" if math.isnan(value) else f"{value:g}"


def medians(results: list[dict[str, Any]]) -> str:
    """One row per server, size and pattern: the median of the runs' figures; beside each p95 and
    cost, the median of the runs' own ratios to the reference server (and their range)."""
    done = [r for r in results if "error" not in r]
    ref_kind = reference(done)
    ref = {_key(r): r for r in done if r["server"] == ref_kind}
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    for r in done:
        groups.setdefault((r["server"], r["n"], r["mode"]), []).append(r)
    head = (
        f"| server | N | votes | runs (valid) | join p95 ms (failed) | vote→ack p95 ms "
        f"| / {ref_kind} | own ballot in tally p95 ms | / {ref_kind} | lost "
        f"| RSS KB/phone | / {ref_kind} | CPU µs /recipient /broadcast | / {ref_kind} "
        "| loop lag p99 / max ms | GC pause max ms (≥ 50 ms); CPU | generator CPU, µs/msg "
        "| others on core 0 |"
    )
    lines = [head, "|" + "---|" * 18]

    def ratio(runs: list[dict[str, Any]], get: Any) -> str:
        if runs[0]["server"] == ref_kind:
            return ""
        pairs = [(get(r), get(ref[_key(r)])) for r in runs if _key(r) in ref]
        values = sorted(a / b for a, b in pairs if b > 0 and not math.isinf(a))
        if not values:
            return "-"
        spread = f" ({values[0]:.2f}-{values[-1]:.2f})" if len(values) > 1 else ""
        return f"{_median(values):.2f}x{spread}"

    for (kind, n, mode), runs in groups.items():

        def med(get: Any, runs: list[dict[str, Any]] = runs) -> str:
            return _fmt(round(_median([get(r) for r in runs]), 1))

        valid = sum(1 for r in runs if verdict(r) == "yes")
        per_msg = [r["generator_us_per_msg"] for r in runs if r.get("generator_us_per_msg")]
        lines.append(
            f"| {kind} | {n:,} | {mode} | {len(runs)} ({valid}) "
            f"| {med(lambda r: r['join_ms'][1])} ({sum(r['join_failed'] for r in runs)}) "
            f"| {med(lambda r: r['ack_ms'][1])} | {ratio(runs, lambda r: r['ack_ms'][1])} "
            f"| {med(lambda r: r['seen_ms'][1])} | {ratio(runs, lambda r: r['seen_ms'][1])} "
            f"| {sum(r['lost'] for r in runs)} "
            f"| {med(lambda r: r['rss_per_phone_kb'])} "
            f"| {ratio(runs, lambda r: r['rss_per_phone_kb'])} "
            f"| {med(lambda r: r['cpu_per_recipient_us'])} "
            f"| {ratio(runs, lambda r: r['cpu_per_recipient_us'])} "
            f"| {med(lambda r: r['lag_vote_ms'][1])} / {med(lambda r: r['lag_vote_ms'][2])} "
            f"| {med(lambda r: r.get('gc_max_ms') or 0)} "
            f"({med(lambda r: r.get('gc_long_passes') or 0)}); "
            f"CPU {med(lambda r: r.get('gc_cpu_max_ms') or 0)} "
            f"({med(lambda r: r.get('gc_cpu_long_passes') or 0)}) "
            f"| {med(lambda r: r['generator_cpu'] * 100)} %, {_fmt(round(_median(per_msg), 1))} "
            f"| {med(lambda r: r['other_cpu_vote'] * 100)} % |"
        )
    return "\n".join(lines + console_lag(done))


def console_lag(done: list[dict[str, Any]]) -> list[str]:
    """What the console in the loop adds to the p99 loop lag: the median of each repeat's
    difference between ``console`` and ``facilitator`` runs of the same size and pattern."""
    plain = {_key(r): r for r in done if r["server"] == "facilitator"}
    added: dict[tuple[int, str], list[float]] = {}
    for r in done:
        if r["server"] == "console" and _key(r) in plain:
            extra = r["lag_vote_ms"][1] - plain[_key(r)]["lag_vote_ms"][1]
            added.setdefault((r["n"], r["mode"]), []).append(extra)
    return [
        f"\nThe console adds {_median(v):.1f} ms to the p99 loop lag at {n:,} phones ({mode}; "
        f"{', '.join(f'{x:.1f}' for x in v)} ms in the runs)."
        for (n, mode), v in added.items()
    ]
