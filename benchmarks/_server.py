"""The local Apertur server, run as its own process so its CPU time can be read apart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from ._procstat import cpu_seconds, raise_priority

__all__ = ["API_KEY", "LocalServerProcess"]

API_KEY = "aptr_test_local"
"""The bootstrap key a fresh ``apertur_local`` accepts."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalServerProcess:
    """``python -m apertur_local serve`` on a free loopback port, optionally with a simulated
    network latency (``--latency``/``--jitter``: the WAN profile).

    No ``--data-dir``: the server keeps its state in memory and its blobs in a temporary
    directory that it removes on stop (a given directory would persist state on every change).
    """

    def __init__(self, log_dir: Path, latency: float = 0.0, jitter: float = 0.0) -> None:
        self.latency, self.jitter = latency, jitter
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_dir = log_dir
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """Process id of the running server."""
        assert self._proc is not None
        return self._proc.pid

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far."""
        return cpu_seconds(self.pid)

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until it answers an authenticated request."""
        log = (self._log_dir / f"server-{self.port}.log").open("wb")
        cmd = [sys.executable, "-m", "apertur_local", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port)]
        if self.latency:  # a simulated network round trip before each request
            cmd += [
                "--latency",
                f"{self.latency * 1000:g}ms",
                "--jitter",
                f"{self.jitter * 1000:g}ms",
            ]
        self._proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, preexec_fn=raise_priority
        )
        log.close()
        deadline = time.monotonic() + timeout
        headers = {"Authorization": f"Bearer {API_KEY}"}
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"apertur_local exited with {self._proc.returncode}")
            try:
                r = httpx.get(f"{self.url}/api/v1/encryption/server-key", headers=headers)
                if r.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"apertur_local did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        """Terminate the server (kill after 10 s)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> LocalServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
