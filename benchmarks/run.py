"""``python -m benchmarks.run`` (``make bench``): every workload, then RESULTS.md and ratios.png.

Full sizes by default; ``BENCH_QUICK=1`` runs a scaled-down smoke version whose report goes to
``benchmarks/.work/quick/`` so that ``RESULTS.md`` always holds the last full run.
``--report-only`` renders the report again from the last raw results (``.work/results.json``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from ._env import OFFICIAL_SDK, bench_python, source_path
from ._imports import import_times
from ._plan import ROOT, WORK, current_plan
from ._reference import SIDE, export_reference
from ._report import chart_data, render
from ._webhook_bench import webhook_times
from ._workloads import run_workloads

__all__ = ["main", "report_only", "write_report"]

_FAST = ("httptools", "uvloop")
"""What uvicorn would use instead of h11 / asyncio when installed in .venv (the server's env)."""


def _ours_available() -> bool:
    """Whether ``apertur_ext.Apertur`` exists yet (its side is skipped until it does)."""
    code = "import apertur_ext, sys; sys.exit(0 if hasattr(apertur_ext, 'Apertur') else 1)"
    return subprocess.run([sys.executable, "-c", code], cwd=WORK).returncode == 0


def _versions(bench: Path) -> str:
    code = "import importlib.metadata as m; print(m.version('apertur-sdk'))"
    official = subprocess.run([bench, "-c", code], capture_output=True, text=True).stdout.strip()
    import svix

    return f"apertur-sdk {official}, httpx {httpx.__version__}, svix {svix.__version__}"


def main() -> None:
    """Run everything and write the report."""
    plan = current_plan()
    started, load_before = time.monotonic(), os.getloadavg()[0]
    WORK.mkdir(parents=True, exist_ok=True)
    bench = bench_python()
    venv_s = time.monotonic() - started
    ours = _ours_available()
    if not ours:
        print("bench: apertur_ext.Apertur is not available: 'ours' is skipped", flush=True)
    project = Path(sys.executable)
    clients = ["raw", "official", *(["ours"] if ours else [])]
    if ours and (why := export_reference()) is not None:
        print(f"bench: the reference client is skipped: {why}", flush=True)
    elif ours:
        clients.append(SIDE)
    pythons = {"raw": project, "official": bench}
    pythons |= {c: project for c in ("ours", "ours_async", "ours_default", "ours_c8", SIDE)}
    runs, durations = run_workloads(plan, pythons, clients)
    durations = {"benchmark venv": venv_s, **durations}
    print("bench: imports, webhooks", flush=True)
    src = {"PYTHONPATH": source_path()}
    sides = {
        "official": (bench, "apertur", {}),
        "ours": (project, "apertur_ext", {}),
        "ours_same_venv": (bench, "apertur_ext", src),
        "httpx": (project, "httpx", {}),
        "httpx_same_venv": (bench, "httpx", {}),
    }
    t0 = time.monotonic()
    imports = import_times(sides, plan.imports)
    hooks = webhook_times(str(project), str(bench), plan.webhook_calls, ours=True)
    durations["imports + webhooks"] = time.monotonic() - t0
    data = {
        "plan": dataclasses.asdict(plan),
        "runs": runs,
        "imports": imports,
        "webhooks": hooks,
        "meta": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
            "command": ("BENCH_QUICK=1 " if plan.quick else "") + "make bench",
            "duration_s": time.monotonic() - started,
            "durations": durations,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "versions": _versions(bench),
            "official": OFFICIAL_SDK,
            "server_stack": {m: importlib.util.find_spec(m) is not None for m in _FAST},
        },
    }
    results = WORK / ("results-quick.json" if plan.quick else "results.json")
    results.write_text(json.dumps(data, indent=1))
    out = write_report(data, bench)
    print(f"bench: wrote {out} in {time.monotonic() - started:.0f} s", flush=True)


def write_report(data: dict[str, Any], bench: Path) -> Path:
    """RESULTS.md and ratios.png: in ``benchmarks/`` for a full run, else ``.work/quick/``."""
    out = WORK / "quick" if data["plan"]["quick"] else ROOT / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (WORK / "chart.json").write_text(json.dumps(chart_data(data)))
    subprocess.run(
        [bench, "-m", "benchmarks._chart", WORK / "chart.json", out / "ratios.png"],
        cwd=ROOT,
        check=True,
    )
    (out / "RESULTS.md").write_text(render(data), encoding="utf-8")
    return out / "RESULTS.md"


def report_only() -> None:
    """``python -m benchmarks.run --report-only``: re-render from the last raw results."""
    name = "results-quick.json" if current_plan().quick else "results.json"
    data = json.loads((WORK / name).read_text())
    print(f"bench: wrote {write_report(data, bench_python())}", flush=True)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Run every benchmark workload (several minutes; BENCH_QUICK=1 for a "
        "scaled-down smoke run) and write RESULTS.md and ratios.png.",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="render the report again from the last raw results instead of running anything",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    if _arguments(sys.argv[1:]).report_only:
        report_only()
    else:
        main()
