"""Crash: ``kill -9`` the local server at random points during uploads and acks, then restart.

Each round starts the real command (``python -m apertur_local serve --data-dir D``) on the same
data directory, runs uploads (unique random PNGs of 1 KiB-256 KiB) and acknowledgements from
several threads, and kills the process with SIGKILL once a randomly drawn number of operations
has been answered, so the kill lands in the middle of whatever the other threads are doing
(receiving a body, writing a blob, committing). Then it restarts the server and checks, over
HTTP:

* the store opens (the command starts and answers);
* **every upload ever confirmed (201) is there, byte-identical** (downloaded and hashed);
* **no acknowledged image returns** to the pull queue;
* no request was answered with a 5xx before the kill.

Unconfirmed uploads (the connection died) may or may not be stored: both are counted. Blobs an
interrupted upload left behind are moved aside at start-up and counted.

``pytest tests/reliability/test_crash.py`` runs the short version (3 kills, 40 uploads per
round); ``APERTUR_CRASH=full`` (``make crash``) runs 10 kills during 500 uploads each.
``APERTUR_CRASH_ROUNDS``, ``APERTUR_CRASH_UPLOADS`` and ``APERTUR_CRASH_SEED`` override them.
"""

from __future__ import annotations

import hashlib
import os
import random
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

FULL = os.environ.get("APERTUR_CRASH", "").strip().lower() == "full"
ROUNDS = int(os.environ.get("APERTUR_CRASH_ROUNDS", "10" if FULL else "3"))
UPLOADS = int(os.environ.get("APERTUR_CRASH_UPLOADS", "500" if FULL else "40"))
SEED = int(os.environ.get("APERTUR_CRASH_SEED", "20261207"))
WORKERS = 4
ACK_SHARE = 0.5
KEY = "aptr_test_local"

pytestmark = [pytest.mark.crash, pytest.mark.timeout(3600 if FULL else 240)]


def make_png(rng: random.Random) -> bytes:
    """A valid 4x3 PNG carrying 1 KiB-256 KiB of random bytes in a private ancillary chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x10\x20\x30" * 4 for _ in range(3))
    payload = rng.randbytes(rng.randint(1024, 256 * 1024))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
        + chunk(b"crAs", payload)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@attrs.define
class Ledger:
    """What the clients were told, across every round."""

    confirmed: dict[str, str] = attrs.Factory(dict)
    """image id → sha256 of the bytes of every upload answered 201."""
    acked: set[str] = attrs.Factory(set)
    """image ids whose acknowledgement was answered 200."""
    attempted_uploads: int = 0
    attempted_acks: int = 0
    interrupted: Counter[str] = attrs.Factory(Counter)
    """requests cut by the kill, by kind."""
    server_errors: list[str] = attrs.Factory(list)
    lock: threading.Lock = attrs.Factory(threading.Lock)


class Server:
    """The real command on ``data_dir``, in its own process."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "apertur_local",
                "serve",
                "--port",
                "0",
                "--data-dir",
                str(data_dir),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        if not banner:
            _, err = self.process.communicate(timeout=30)
            raise AssertionError(
                f"the server did not start (exit {self.process.returncode}): {err}"
            )
        self.url = banner.split()[3]

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=60,
            trust_env=False,
        )

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no shutdown code runs
        self.process.communicate(timeout=30)

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)


def work(
    server: Server,
    session: str,
    ledger: Ledger,
    rng: random.Random,
    count: int,
    done: threading.Semaphore,
) -> None:
    """Upload ``count`` images (acknowledging about half) until the server dies."""
    with server.client() as api:
        for _ in range(count):
            data = make_png(rng)
            try:
                with ledger.lock:
                    ledger.attempted_uploads += 1
                reply = api.post(
                    f"/api/v1/upload/{session}/images",
                    files={"file": ("c.png", data, "image/png")},
                )
            except httpx.TransportError:
                with ledger.lock:
                    ledger.interrupted["upload"] += 1
                return
            if reply.status_code != 201:
                ledger.server_errors.append(f"upload {reply.status_code} {reply.text[:200]}")
                return
            image = reply.json()["id"]
            with ledger.lock:
                ledger.confirmed[image] = hashlib.sha256(data).hexdigest()
            done.release()
            if rng.random() >= ACK_SHARE:
                continue
            try:
                with ledger.lock:
                    ledger.attempted_acks += 1
                reply = api.post(f"/api/v1/upload-sessions/{session}/images/{image}/ack")
            except httpx.TransportError:
                with ledger.lock:
                    ledger.interrupted["ack"] += 1
                return
            if reply.status_code != 200:
                ledger.server_errors.append(f"ack {reply.status_code} {reply.text[:200]}")
                return
            with ledger.lock:
                ledger.acked.add(image)
            done.release()


@attrs.define
class Check:
    """What one restart found."""

    state: dict[str, Any]
    missing: list[str]
    changed: list[str]
    returned: list[str]


def verify(server: Server, session: str, ledger: Ledger) -> Check:
    """Download every confirmed upload and read the pull queue."""
    missing: list[str] = []
    changed: list[str] = []
    with server.client() as api:
        state = httpx.get(server.url + "/_local/state", trust_env=False).json()
        for image, digest in ledger.confirmed.items():
            got = api.get(f"/api/v1/uploads/{image}/download")
            if got.status_code != 200:
                missing.append(image)
            elif hashlib.sha256(got.content).hexdigest() != digest:
                changed.append(image)
        polled = api.get(f"/api/v1/upload-sessions/{session}/poll").json()["images"]
    returned = sorted({i["id"] for i in polled} & ledger.acked)
    return Check(state, missing, changed, returned)


def test_kill_9_during_uploads_and_acks(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    ledger = Ledger()
    startups: list[dict[str, int]] = []
    checks: list[Check] = []
    restart_seconds: list[float] = []
    server = Server(tmp_path)
    with server.client() as api:
        session = api.post("/api/v1/upload-sessions", json={"long_polling": True}).json()["id"]
    started = time.monotonic()
    for _ in range(ROUNDS):
        done = threading.Semaphore(0)
        per_worker = UPLOADS // WORKERS
        kill_after = rng.randint(1, int(UPLOADS * (1 + ACK_SHARE)) - 1)
        threads = [
            threading.Thread(
                target=work,
                args=(server, session, ledger, random.Random(rng.random()), per_worker, done),
            )
            for _ in range(WORKERS)
        ]
        for thread in threads:
            thread.start()
        for _ in range(kill_after):  # answered operations, whichever thread answered them
            if not done.acquire(timeout=60):
                break
        server.kill()
        for thread in threads:
            thread.join(60)
        assert not ledger.server_errors, ledger.server_errors[:3]
        begin = time.monotonic()
        server = Server(tmp_path)  # the store must open
        restart_seconds.append(time.monotonic() - begin)
        check = verify(server, session, ledger)
        checks.append(check)
        startups.append(check.state["startup"])
    final = verify(server, session, ledger)
    server.stop()
    stored = final.state["counts"]["images"]
    lost = {i for c in [*checks, final] for i in c.missing + c.changed}
    back = {i for c in [*checks, final] for i in c.returned}
    figures = {
        "rounds (kill -9)": ROUNDS,
        "uploads attempted / confirmed": f"{ledger.attempted_uploads} / {len(ledger.confirmed)}",
        "acks attempted / confirmed": f"{ledger.attempted_acks} / {len(ledger.acked)}",
        "requests cut by a kill": dict(ledger.interrupted),
        "confirmed uploads missing or changed": len(lost),
        "acknowledged images back in the queue": len(back),
        "images stored / of which unconfirmed": f"{stored} / {stored - len(ledger.confirmed)}",
        "orphan blobs moved at start-up": sum(s["orphansMoved"] for s in startups),
        "temp files removed at start-up": sum(s["leftoversRemoved"] for s in startups),
        "restarts that opened the store": f"{len(restart_seconds)} / {ROUNDS}",
        "restart (process start to banner), max s": round(max(restart_seconds), 2),
        "wall time s": round(time.monotonic() - started, 1),
    }
    print("\ncrash test figures:")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    assert not lost, f"confirmed uploads lost or changed: {sorted(lost)[:5]}"
    assert not back, f"acknowledged images came back: {sorted(back)[:5]}"
    assert stored >= len(ledger.confirmed)
    assert len(ledger.confirmed) > 0
