"""The benchmark's own venv (``benchmarks/.work/venv``): the official SDK, never in ``.venv``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from ._plan import WORK

__all__ = ["OFFICIAL_SDK", "bench_python"]

OFFICIAL_SDK = "apertur-sdk==0.2.0"
VENV = WORK / "venv"


def _requirements() -> list[str]:
    # The same httpx as the project's venv, so that raw httpx is one floor for both SDKs.
    return [OFFICIAL_SDK, f"httpx=={httpx.__version__}", "matplotlib>=3.8"]


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
