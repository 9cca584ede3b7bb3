"""``python -m benchmarks.run`` (``make bench``): every workload, then RESULTS.md and ratios.png.

Full sizes by default; ``BENCH_QUICK=1`` runs a scaled-down smoke version whose report goes to
``benchmarks/.work/`` so that ``RESULTS.md`` always holds the last full run.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ._env import OFFICIAL_SDK, bench_python, source_path
from ._imports import import_times
from ._plan import ROOT, WORK, current_plan
from ._report import chart_data, render
from ._webhook_bench import webhook_times
from ._workloads import run_workloads

__all__ = ["main"]


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
    ours = _ours_available()
    if not ours:
        print("bench: apertur_ext.Apertur is not available: 'ours' is skipped", flush=True)
    project = Path(sys.executable)
    clients = ["raw", "official", *(["ours"] if ours else [])]
    pythons = {"raw": project, "official": bench, "ours": project, "ours_async": project}
    runs = run_workloads(plan, pythons, clients)
    print("bench: imports, webhooks", flush=True)
    src = {"PYTHONPATH": source_path()}
    sides = {
        "official": (bench, "apertur", {}),
        "ours": (project, "apertur_ext", {}),
        "ours_same_venv": (bench, "apertur_ext", src),
        "httpx": (project, "httpx", {}),
        "httpx_same_venv": (bench, "httpx", {}),
    }
    imports = import_times(sides, plan.imports)
    hooks = webhook_times(str(project), str(bench), plan.webhook_calls, ours=True)
    data = {
        "plan": dataclasses.asdict(plan),
        "runs": runs,
        "imports": imports,
        "webhooks": hooks,
        "meta": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
            "command": ("BENCH_QUICK=1 " if plan.quick else "") + "make bench",
            "duration_s": time.monotonic() - started,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "versions": _versions(bench),
            "official": OFFICIAL_SDK,
        },
    }
    out = WORK / "quick" if plan.quick else ROOT / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (WORK / ("results-quick.json" if plan.quick else "results.json")).write_text(
        json.dumps(data, indent=1)
    )
    (WORK / "chart.json").write_text(json.dumps(chart_data(data)))
    subprocess.run(
        [bench, "-m", "benchmarks._chart", WORK / "chart.json", out / "ratios.png"],
        cwd=ROOT,
        check=True,
    )
    (out / "RESULTS.md").write_text(render(data), encoding="utf-8")
    print(f"bench: wrote {out / 'RESULTS.md'} in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
