"""Wait (a bounded time) for other processes to leave the 2 cores alone before a measurement.

The benchmark shares the machine with whatever else runs on it; a run measured while another
process holds a core mostly measures that process. Before each worker starts, the machine's busy
time outside the benchmark server is sampled over short windows until it stays under
``threshold`` cores, for at most ``per_run`` seconds and ``budget`` seconds over the whole run.
"""

from __future__ import annotations

import time

from ._procstat import cpu_seconds, machine_busy_seconds

__all__ = ["QuietGate"]


class QuietGate:
    """Bounded waiting for a quiet machine; what was seen is returned for the report."""

    def __init__(
        self,
        threshold: float = 0.3,
        window: float = 0.25,
        per_run: float = 1.0,
        budget: float = 20.0,
    ) -> None:
        self.threshold, self.window, self.per_run, self.budget = threshold, window, per_run, budget
        self.spent = 0.0

    def _busy(self, server_pid: int) -> float:
        all0, srv0 = machine_busy_seconds(), cpu_seconds(server_pid)
        time.sleep(self.window)
        return (machine_busy_seconds() - all0 - (cpu_seconds(server_pid) - srv0)) / self.window

    def wait(self, server_pid: int) -> dict[str, float]:
        """Sample until quiet or out of time; returns the wait and the last load seen (cores)."""
        start = time.monotonic()
        limit = min(self.per_run, max(self.budget - self.spent, 0.0))
        busy = self._busy(server_pid)
        while busy > self.threshold and time.monotonic() - start < limit:
            busy = self._busy(server_pid)
        waited = time.monotonic() - start
        self.spent += waited
        return {"gate_wait_s": waited, "busy_cores_before": busy}
