"""Workload sizes and repeat counts, full or quick (``BENCH_QUICK=1``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MIB", "ROOT", "WORK", "Plan", "current_plan"]

MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the benchmark workers run with it as their working directory)."""
WORK = ROOT / "benchmarks" / ".work"
"""Git-ignored scratch: the benchmark venv, test files, raw results."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    """How big each workload is and how often it is repeated."""

    quick: bool
    small_count: int = 200
    small_size: int = MIB
    inflight: int = 8
    big_size: int = 512 * MIB
    encrypted_size: int = 256 * MIB
    drain_count: int = 500
    drain_size: int = 64 * 1024
    drain_interval: float = 0.5
    gets: int = 1000
    imports: int = 11
    webhook_calls: int = 20_000
    repeats_small: int = 5
    repeats_big: int = 3
    pairs_small: int = 6
    """Repeats, after those of every client, of only ``ours`` and the reference client: target
    L compares the two repeat by repeat, and a pair of runs varies by 10-20% on this machine
    (the median of 11 pairs is known to about ±10%, that of all the workloads' pairs together to
    about ±4%)."""
    pairs_big: int = 6
    wan_latency: float = 0.040
    """The WAN profile: seconds the server waits before each request (``--latency``)..."""
    wan_jitter: float = 0.005
    """... plus or minus this (``--jitter``): 40 ms ± 5 ms."""
    wan_drain_count: int = 200
    wan_drain_size: int = 64 * 1024
    wan_upload_count: int = 200
    wan_upload_size: int = 128 * 1024
    wan_concurrency: int = 8
    repeats_wan: int = 3


def current_plan() -> Plan:
    """The full plan, or the scaled-down one when ``BENCH_QUICK`` is set to a non-empty value."""
    if os.environ.get("BENCH_QUICK", "") not in ("", "0"):
        return Plan(
            quick=True,
            small_count=20,
            small_size=256 * 1024,
            big_size=32 * MIB,
            encrypted_size=16 * MIB,
            drain_count=50,
            drain_size=16 * 1024,
            drain_interval=0.2,
            gets=200,
            imports=5,
            webhook_calls=2_000,
            repeats_small=2,
            repeats_big=1,
            pairs_small=1,
            pairs_big=1,
            wan_drain_count=40,
            wan_upload_count=40,
            repeats_wan=1,
        )
    return Plan(quick=False)
