"""The benchmark's own venv (``benchmarks/.work/venv``): the official SDK, never in ``.venv``.

It also holds this project's base dependencies (not the project: its sources are reached through
:func:`source_path`), so that both SDKs' import times can be compared in one environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx

from ._plan import ROOT, WORK

__all__ = ["OFFICIAL_SDK", "bench_python", "source_path"]

OFFICIAL_SDK = "apertur-sdk==0.2.0"
VENV = WORK / "venv"


def _requirements() -> list[str]:
    # The same httpx as the project's venv, so that raw httpx is one floor for both SDKs; and
    # this project's base dependencies, so that `import apertur_ext` can also be timed in the
    # same environment as `import apertur` (through PYTHONPATH, without the dev/cli extras).
    with (ROOT / "pyproject.toml").open("rb") as handle:
        base = tomllib.load(handle)["project"]["dependencies"]
    return [OFFICIAL_SDK, f"httpx=={httpx.__version__}", *base, "matplotlib>=3.8"]


def source_path() -> str:
    """``PYTHONPATH`` that makes this checkout's packages importable from the benchmark venv."""
    return os.pathsep.join([str(ROOT), str(ROOT / "generated")])


def bench_python() -> Path:
    """The venv's interpreter, creating the venv and installing its packages on first use."""
    python = VENV / "bin" / "python"
    marker = VENV / ".bench-ready"
    wanted = "\n".join(_requirements())
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    print(f"bench: creating {VENV} ({', '.join(_requirements())})", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, *_requirements()], check=True)
    marker.write_text(wanted)
    return python
