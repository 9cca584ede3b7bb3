"""Driving the workers: server-side setup over raw httpx, one subprocess per measurement."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from ._plan import ROOT
from ._procstat import raise_priority
from ._quiet import QuietGate
from ._server import API_KEY, LocalServerProcess
from ._worker import MARK

__all__ = ["VARIANTS", "Admin", "run_worker"]

VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "ours_default": ("ours", {"concurrency": 1}),
    "ours_c8": ("ours", {"concurrency": 8}),
}
"""Clients that are another client's side with other parameters: name → (side, parameters)."""


class Admin:
    """Setup and checks done outside the timed part, the same for every client."""

    def __init__(self, server: LocalServerProcess) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120.0
        )

    def close(self) -> None:
        """Close the admin connection."""
        self.http.close()

    def new_session(self, **options: Any) -> str:
        """S1 with ``options``; returns the session uuid."""
        response = self.http.post("/api/v1/upload-sessions", json=options)
        response.raise_for_status()
        uuid: str = response.json()["uuid"]
        return uuid

    def fill(self, uuid: str, paths: list[Path], threads: int = 4) -> None:
        """Upload ``paths`` into ``uuid`` with ``threads`` threads (setup for the drain)."""

        def one(path: Path) -> None:
            with path.open("rb") as handle:
                files = {"file": (path.name, handle, "image/jpeg")}
                self.http.post(f"/api/v1/upload/{uuid}/images", files=files).raise_for_status()

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, paths))

    def pending(self, uuid: str) -> int:
        """How many images of a long-polling session are still unacknowledged."""
        response = self.http.get(f"/api/v1/upload-sessions/{uuid}/poll")
        response.raise_for_status()
        return len(response.json().get("images", []))


def run_worker(
    python: Path | str,
    client: str,
    workload: str,
    server: LocalServerProcess,
    session: str,
    params: dict[str, Any],
    gate: QuietGate | None = None,
    timeout: float = 600.0,
    method: str | None = None,
) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; a failure is returned as ``{"error": ...}``.

    ``method`` is the side's method to time (default: the workload's name). With a ``gate``,
    wait (bounded) for the machine to be quiet first and record what was seen."""
    side, extra = VARIANTS.get(client, (client, {}))
    spec = {
        "client": side,
        "workload": method or workload,
        "url": server.url,
        "api_key": API_KEY,
        "server_pid": server.pid,
        "session": session,
        "params": {**params, **extra},
    }
    cmd = [str(python), "-m", "benchmarks._worker", json.dumps(spec)]
    seen = gate.wait(server.pid) if gate is not None else {}
    try:
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=raise_priority,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            result: dict[str, Any] = json.loads(line[len(MARK) :])
            return {**result, **seen}
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}
