"""Figures of one load run, and the Markdown table of all runs (with ratios to the baseline)."""

from __future__ import annotations

import math
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
    generator_cpu = sum(r["window_cpu_s"] or 0.0 for r in reports) / window_s
    lag_vote = server.lag(window[0], window[1] + 2.0)
    lag_phase = server.lag(phase[0], phase[1])
    return {
        "server": kind,
        "n": n,
        "mode": mode,
        "poll_opened": poll_opened,
        "join_ms": three(merged("join_s")),
        "join_failed": total("join_failed"),
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
        "generator_cpu": round(generator_cpu, 3),
        "generators": len(reports),
        "valid": generator_cpu < INVALID_GENERATOR_CPU and server.pinned,
        "pinned": server.pinned,
    }


def _trio(values: list[float]) -> str:
    return " / ".join("∞" if math.isinf(v) else f"{v:g}" for v in values)


def _ratio(ours: float, base: float) -> str:
    return f" ({ours / base:.1f}x)" if base > 0 and not math.isinf(ours) else ""


def verdict(r: dict[str, Any]) -> str:
    """``yes``; ``NO`` (generator saturated or not pinned); ``contended`` (core 0 not ours)."""
    if not r["valid"]:
        return "NO"
    return "contended" if r.get("other_cpu_vote", 0.0) >= CONTENDED else "yes"


def table(results: list[dict[str, Any]]) -> str:
    """One row per facilitator run, baseline rows after it; ratios of the p95s and costs."""
    head = (
        "| server | N | votes | join p50/p95/p99 ms (failed) | vote→ack p50/p95/p99 ms "
        "| own ballot in tally p50/p95/p99 ms | lost | CPU µs /recipient /broadcast "
        "| RSS peak MB, KB/phone | loop lag p50/p99/max ms | server / others on core 0 "
        "| generator CPU | valid |"
    )
    lines = [head, "|" + "---|" * 13]
    base = {(r["n"], r["mode"]): r for r in results if r["server"] == "baseline"}
    for r in results:
        b = base.get((r["n"], r["mode"])) if r["server"] != "baseline" else None
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
            f"| {_trio(r['join_ms'])} ({r['join_failed']}) | {ack} | {seen} "
            f"| {r['lost']} | {cpu} | {rss} | {_trio(r['lag_vote_ms'])} "
            f"| {r['server_cpu_vote'] * 100:.0f} % / {r['other_cpu_vote'] * 100:.0f} % "
            f"| {r['generator_cpu'] * 100:.0f} % | {verdict(r)} |"
        )
    return "\n".join(lines)
