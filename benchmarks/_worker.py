"""One workload for one client in this interpreter: ``python -m benchmarks._worker SPEC_JSON``.

The side module is imported and its client built, then the workload's own setup runs, and only
then are the baselines taken: peak RSS (``ru_maxrss``), this process's CPU time, the server's
CPU time (``/proc/<pid>/stat``), the machine's busy time (``/proc/stat``, to show what other
processes took) and the clock. The result is printed as one JSON line after
``BENCH_RESULT``. Stdlib only here: this module also runs in the official SDK's environment.
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
import time
from typing import Any

from ._procstat import cpu_seconds, machine_busy_seconds, peak_rss_kib, self_cpu_seconds

__all__ = ["main"]

MARK = "BENCH_RESULT "


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the side, prepare the workload, time it; return the measurements."""
    side_module = importlib.import_module(f"benchmarks._side_{spec['client']}")
    side = side_module.Side(spec["url"], spec["api_key"], **spec.get("options", {}))
    try:
        side.warmup(spec["session"])
        timed = getattr(side, spec["workload"])(spec["session"], **spec["params"])
        gc.collect()
        rss0, cpu0, srv0 = peak_rss_kib(), self_cpu_seconds(), cpu_seconds(spec["server_pid"])
        all0 = machine_busy_seconds()
        t0 = time.perf_counter()
        outcome = timed()
        seconds = time.perf_counter() - t0
        all1 = machine_busy_seconds()
        srv1, cpu1, rss1 = cpu_seconds(spec["server_pid"]), self_cpu_seconds(), peak_rss_kib()
    finally:
        side.close()
    return {
        "seconds": seconds,
        "client_cpu": cpu1 - cpu0,
        "server_cpu": srv1 - srv0,
        "other_cpu": max(all1 - all0 - (cpu1 - cpu0) - (srv1 - srv0), 0.0),
        "rss_base_kib": rss0,
        "rss_peak_kib": rss1,
        "extra": outcome if isinstance(outcome, dict) else {},
    }


def main() -> None:
    """Entry point: the spec is the only argument."""
    print(MARK + json.dumps(run(json.loads(sys.argv[1]))), flush=True)


if __name__ == "__main__":
    main()
