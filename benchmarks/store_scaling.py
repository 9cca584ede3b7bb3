"""``python -m benchmarks.store_scaling`` (part of ``make bench``; alone: ``make bench-store``).

Does an upload cost more when the local server already stores many images? Two servers run
in-process (uvicorn on loopback, each with a durable ``--data-dir``: every change is committed
and fsync'd), each behind a probe that times every upload request inside the server, from the
request reaching the app to the last byte of the answer. One is filled with ``SMALL`` images, the
other with ``LARGE`` (small unique PNGs over HTTP, all in one session), then ``SAMPLES`` uploads
are sent to each, alternating between the two one at a time, so that both see the same machine
(the benchmark machines are shared, and their load moves). Target: the median at ``LARGE``
within 1.5x of the median at ``SMALL``.

Writes ``benchmarks/STORE_SCALING.md`` (``--out`` elsewhere). ``BENCH_QUICK=1`` runs a smoke
version (20 and 400 images) whose report goes to ``benchmarks/.work/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import random
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import attrs
import httpx
import uvicorn

from apertur_local import LocalConfig, build_app
from apertur_local._server import bind_socket

__all__ = ["main"]

QUICK = os.environ.get("BENCH_QUICK", "").strip() not in ("", "0")
SMALL = 20 if QUICK else 100
LARGE = 400 if QUICK else 5000
SAMPLES = 50 if QUICK else 300
TARGET = 1.5
ROOT = Path(__file__).resolve().parent

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class UploadProbe:
    """ASGI wrapper recording the server-side duration of each upload request."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.samples: list[float] = []
        self.recording = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_upload = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and str(scope["path"]).endswith("/images")
        )
        if not is_upload:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            await send(message)
            last = message["type"] == "http.response.body" and not message.get("more_body")
            if last and self.recording:
                self.samples.append(time.perf_counter() - started)

        await self.app(scope, receive, timed_send)


def _png(rng: random.Random) -> bytes:
    """A 4x3 PNG made unique by 2 KiB of random bytes in a private chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x40\x80\xc0" * 4 for _ in range(3))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
        + chunk(b"bnCh", rng.randbytes(2048))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class InProcessServer:
    """The app behind ``probe`` served by uvicorn in a thread (as ``LocalApertur`` does)."""

    def __init__(self, config: LocalConfig) -> None:
        self.sock = bind_socket(config.host, 0)
        port = self.sock.getsockname()[1]
        self.config = attrs.evolve(config, port=port)
        self.app = build_app(self.config)
        self.probe = UploadProbe(self.app.asgi)
        kwargs: dict[str, Any] = {}
        try:  # wire limits exist since the SQLite store; older checkouts run without them
            from apertur_local._wire_limits import uvicorn_limits

            kwargs = uvicorn_limits(self.config)
        except ImportError:
            pass
        self.server = uvicorn.Server(
            uvicorn.Config(self.probe, lifespan="on", log_level="warning", **kwargs)
        )
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve(sockets=[self.sock])), daemon=True
        )

    @property
    def url(self) -> str:
        return self.config.url

    def __enter__(self) -> InProcessServer:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def _upload(api: httpx.Client, session: str, rng: random.Random) -> None:
    reply = api.post(
        f"/api/v1/upload/{session}/images", files={"file": ("b.png", _png(rng), "image/png")}
    )
    if reply.status_code != 201:
        raise RuntimeError(f"upload failed: {reply.status_code} {reply.text[:200]}")


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": ordered[int(len(ordered) * 0.9)] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def _fill(api: httpx.Client, session: str, count: int, seed: int) -> float:
    """Upload ``count`` images into ``session`` from 4 threads; return the seconds it took."""
    started = time.monotonic()
    share = [count // 4 + (1 if i < count % 4 else 0) for i in range(4)]

    def worker(n: int, rng: random.Random) -> None:
        for _ in range(n):
            _upload(api, session, rng)

    threads = [
        threading.Thread(target=worker, args=(n, random.Random(seed + i)))
        for i, n in enumerate(share)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def run(root: Path) -> dict[str, Any]:
    """Fill one server to SMALL and one to LARGE, then measure both, alternating."""
    rng = random.Random(20261207)
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        sides: list[tuple[int, InProcessServer, httpx.Client, str]] = []
        for size in (SMALL, LARGE):
            config = LocalConfig(data_dir=root / str(size), port=0)
            server = stack.enter_context(InProcessServer(config))
            api = stack.enter_context(
                httpx.Client(
                    base_url=server.url,
                    headers={"Authorization": f"Bearer {config.api_key}"},
                    timeout=60,
                    trust_env=False,
                )
            )
            session = api.post("/api/v1/upload-sessions", json={}).json()["id"]
            fill_s = _fill(api, session, size, seed=size)
            print(f"store: {size:,} images stored in {fill_s:.1f} s", flush=True)
            results[str(size)] = {"fill_s": fill_s}
            sides.append((size, server, api, session))
        for _, server, _, _ in sides:
            server.probe.recording = True
        for _ in range(SAMPLES):
            for _, _, api, session in sides:
                _upload(api, session, rng)
        for size, server, _, _ in sides:
            server.probe.recording = False
            results[str(size)].update(_summary(server.probe.samples))
            print(
                f"store: {size:>5} stored: median {results[str(size)]['median_ms']:.2f} ms, "
                f"p90 {results[str(size)]['p90_ms']:.2f} ms",
                flush=True,
            )
    return results


def render(results: dict[str, Any]) -> str:
    small, large = results[str(SMALL)], results[str(LARGE)]
    ratio = large["median_ms"] / small["median_ms"]
    verdict = "met" if ratio <= TARGET else "MISSED"
    load = os.getloadavg()[0]
    lines = [
        "# Local server: upload cost against the number of stored images",
        "",
        f"Last run {datetime.date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, load {load:.2f} at "
        "the end. `make bench-store` (or `python -m benchmarks.store_scaling`) runs it again.",
        "",
        "Server-side time of one upload (a 2 KiB PNG; a durable `--data-dir`: one SQLite commit "
        "and the blob fsync'd per upload), measured inside the server from the request reaching "
        f"the app to the last byte of the answer; {SAMPLES} uploads to each of two servers, one "
        f"filled with {SMALL:,} images and one with {LARGE:,} (all in one session), sent one at "
        "a time, alternating between the two so that both see the same load.",
        "",
        "| Images stored | Median | p90 | Mean |",
        "|---|---|---|---|",
    ]
    for size in (SMALL, LARGE):
        row = results[str(size)]
        lines.append(
            f"| {size:,} | {row['median_ms']:.2f} ms | {row['p90_ms']:.2f} ms | "
            f"{row['mean_ms']:.2f} ms |"
        )
    lines += [
        "",
        f"Median at {LARGE:,} / median at {SMALL:,}: **{ratio:.2f}x** (target {TARGET}x: "
        f"{verdict}).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / ".work" / "STORE_SCALING.md" if QUICK else ROOT / "STORE_SCALING.md"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="apertur-bench-store-") as directory:
        results = run(Path(directory))
    report = render(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    ratio = results[str(LARGE)]["median_ms"] / results[str(SMALL)]["median_ms"]
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
