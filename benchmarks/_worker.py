"""One workload for one client in this interpreter: ``python -m benchmarks._worker SPEC_JSON``.

The side module is imported, with every module of its SDK (``PACKAGE``: an SDK may import some on
first use, as ours does its polling engine, and no workload should time an import), and its client
built; then the workload's own setup runs, and only then are the baselines taken: peak RSS
(``ru_maxrss``), this process's CPU time, the server's CPU time (``/proc/<pid>/stat``), the
machine's busy time (``/proc/stat``, to show what other processes took) and the clock. The
result is printed as one JSON line after ``BENCH_RESULT``. Stdlib only here: this module also
runs in the official SDK's environment.
"""

from __future__ import annotations

import gc
import importlib
import json
import pkgutil
import sys
import time
from typing import Any

from ._procstat import cpu_seconds, machine_busy_seconds, peak_rss_kib, self_cpu_seconds

__all__ = ["import_all", "main"]

MARK = "BENCH_RESULT "


def import_all(package: str | None) -> None:
    """Import every module of ``package`` (none: nothing); a module whose optional dependency is
    missing is skipped, as a user without that extra would never import it."""
    if package is None:
        return
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(getattr(root, "__path__", []), f"{package}."):
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the side, prepare the workload, time it; return the measurements."""
    side_module = importlib.import_module(f"benchmarks._side_{spec['client']}")
    import_all(getattr(side_module, "PACKAGE", None))
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
