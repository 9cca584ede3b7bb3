"""CPU seconds and memory of a process, read from ``/proc`` (stdlib only, Linux)."""

from __future__ import annotations

import contextlib
import os
import resource

__all__ = [
    "PRIORITY",
    "cpu_seconds",
    "machine_busy_seconds",
    "peak_rss_kib",
    "raise_priority",
    "self_cpu_seconds",
]

PRIORITY = -10
"""Nice value of the server and of every worker (the same for all clients)."""

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by every thread of process ``pid``."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        text = handle.read()
    fields = text[text.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14 and 15)


def self_cpu_seconds() -> float:
    """User + system CPU time of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_kib() -> int:
    """This process's peak resident set size so far, in KiB (``ru_maxrss`` on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine (all cores, every process) outside idle and iowait."""
    with open("/proc/stat", "rb") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / _TICK  # user..steal; guest time is already in user


def raise_priority() -> None:
    """``preexec_fn``: run the child at :data:`PRIORITY` so that other load on the machine
    disturbs the measurement less; left as is where that is not permitted (not root)."""
    with contextlib.suppress(OSError):
        os.nice(PRIORITY - os.nice(0))
