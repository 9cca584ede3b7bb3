"""Import time in fresh interpreters: wall time of ``python -c "import X"`` minus ``-c pass``.

Runs are interleaved (every interpreter and module once per round) so that drift in the
machine's load hits all sides alike. ``-X importtime``'s cumulative figure for the top module is
recorded as a second, in-process view.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

from ._plan import WORK

__all__ = ["import_times"]


_IMPORTTIME_ROUNDS = 3
Side = tuple[Path, str, dict[str, str]]
"""(interpreter, module, extra environment variables)."""


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


def _wall(python: str, code: str, extra: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=WORK, check=True, env=_env(extra))
    return time.perf_counter() - t0


def _importtime_us(python: str, module: str, extra: dict[str, str]) -> int:
    proc = subprocess.run(
        [python, "-X", "importtime", "-c", f"import {module}"],
        cwd=WORK,
        capture_output=True,
        text=True,
        check=True,
        env=_env(extra),
    )
    for line in proc.stderr.splitlines()[::-1]:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    return -1


def import_times(sides: dict[str, Side], rounds: int) -> dict[str, dict[str, object]]:
    """For each side: per-run import ms above that interpreter's bare start (``-c pass``)."""
    pythons = {str(py) for py, _, _ in sides.values()}
    for py, module, extra in sides.values():  # warm the page cache and write .pyc files
        _wall(str(py), f"import {module}", extra)
    bare: dict[str, list[float]] = {py: [] for py in pythons}
    raw: dict[str, list[float]] = {name: [] for name in sides}
    cumulative: dict[str, list[int]] = {name: [] for name in sides}
    for _ in range(rounds):
        for interpreter in pythons:
            bare[interpreter].append(_wall(interpreter, "pass", {}))
        for name, (py, module, extra) in sides.items():
            raw[name].append(_wall(str(py), f"import {module}", extra))
            if len(cumulative[name]) < _IMPORTTIME_ROUNDS:
                cumulative[name].append(_importtime_us(str(py), module, extra))
    out: dict[str, dict[str, object]] = {}
    for name, (py, module, extra) in sides.items():
        floor = statistics.median(bare[str(py)])
        out[name] = {
            "module": module,
            "venv": "benchmarks/.work/venv" if WORK in Path(py).parents else ".venv",
            "ms": [(t - floor) * 1000 for t in raw[name]],
            "bare_ms": floor * 1000,
            "importtime_ms": statistics.median(cumulative[name]) / 1000,
        }
    return out
