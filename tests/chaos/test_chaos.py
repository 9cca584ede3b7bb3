"""Chaos: uploads and poll-and-process drains through the local server's random fault injection.

About 20% of API requests fail (``PUT /_local/faults/chaos``, seeded): 429 and 503 with a short
``Retry-After``, the connection closed before the app runs (nothing stored), closed after it ran
(an upload *was* stored), and responses slower than the client's read timeout. Then:

1. **uploads** — N images, each with unique content (a third each from a path, bytes and a
   one-shot iterator), through :class:`apertur_ext.Apertur` with its default retry rules;
2. **truth** — chaos off, the server's queue is read and every image hashed (plain httpx);
3. **drains** — ``client.polling.poll_and_process`` runs (``max_images`` per run, a handler that
   fails ~3% of the time with ``error_policy="skip"``) under chaos until every image on the
   server was handled; images whose acknowledgement was lost are picked up by the next round.

Figures (printed; asserted where the answer must be 0): images lost, duplicates created by
retries, images handled twice in one run, typed errors by cause, faults injected, retries made.

``pytest tests/chaos`` runs the short version (60 uploads, backoff shortened, 0.3 s timeout);
``APERTUR_CHAOS=full`` (``make chaos``) runs 1,000 with the SDK's real backoff. ``APERTUR_CHAOS_UPLOADS`` and ``APERTUR_CHAOS_SEED`` override both.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from apertur_ext import Apertur, AperturError, UploadMayHaveBeenStoredError
from apertur_ext._core.transport import RetryTransport
from apertur_local import LocalApertur

FULL = os.environ.get("APERTUR_CHAOS", "").strip().lower() == "full"
UPLOADS = int(os.environ.get("APERTUR_CHAOS_UPLOADS", "1000" if FULL else "60"))
SEED = int(os.environ.get("APERTUR_CHAOS_SEED", "20261201"))
RATIO = 0.2
READ_TIMEOUT = 0.5 if FULL else 0.3
"""The client's per-attempt timeout; the ``delay`` fault is longer."""
SLOW = 0.8 if FULL else 0.5
BATCH = 25
"""``max_images`` of one poll_and_process run."""
HANDLER_FAILURE_RATE = 0.03
MAX_ROUNDS = 10

FAULTS: list[dict[str, Any]] = [
    {"action": "status", "status": 429, "retry_after": "0.05", "weight": 3},
    {"action": "status", "status": 503, "retry_after": "0.05", "weight": 2},
    {"action": "status", "status": 429, "retry_after": "1" if FULL else "0.2", "weight": 0.5},
    {"action": "status", "status": 503, "retry_after": "0", "weight": 0.5},
    {"action": "close_before", "weight": 2},
    {"action": "close_after", "weight": 2},
    {"action": "delay", "delay": SLOW, "weight": 1},
]

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(7200 if FULL else 180)]


def fast_backoff(client: Apertur) -> None:
    """Short run only: the SDK's backoff (0.5 s doubling) cut to 20 ms doubling, so 60 uploads
    fit in a few seconds. What is retried, and when an upload is not, is unchanged; the full
    run keeps the SDK's real backoff. (White-box: the client has no public backoff setting.)"""
    transport = getattr(getattr(client, "_http", None), "_transport", None)
    if isinstance(transport, RetryTransport):
        transport.policy = attrs.evolve(transport.policy, initial_delay=0.02, max_delay=0.2)


def make_png(index: int) -> bytes:
    """A valid 4×3 PNG whose bytes are unique to ``index`` (a tEXt chunk carries it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixel = hashlib.sha256(str(index).encode()).digest()[:3]
    raw = b"".join(b"\x00" + pixel * 4 for _ in range(3))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00chaos-" + str(index).encode())
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cause(exc: BaseException) -> str:
    """``ErrorClass(cause)``, e.g. ``UploadMayHaveBeenStoredError(ReadTimeout)``."""
    inner = exc.__cause__
    if inner is None and getattr(exc, "status_code", None) is not None:
        return f"{type(exc).__name__}(HTTP {exc.status_code})"  # type: ignore[attr-defined]
    return f"{type(exc).__name__}({type(inner).__name__ if inner else '-'})"


class Control:
    """The server's control plane (never faulted)."""

    def __init__(self, server: LocalApertur) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=30)
        self.api = httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {server.api_key}"},
            timeout=30,
        )
        self.requests_seen = 0

    def chaos_on(self, seed: int) -> None:
        config = {"ratio": RATIO, "actions": FAULTS, "seed": seed, "path": "^/api/v1/"}
        self.http.put("/_local/faults/chaos", json=config).raise_for_status()

    def chaos_off(self) -> None:
        chaos = self.http.get("/_local/faults").json()["chaos"]
        self.requests_seen += chaos["requests_seen"] if chaos else 0
        self.http.delete("/_local/faults/chaos").raise_for_status()
        # Let requests held by a "delay" fault finish on the server, then wait for quiet.
        time.sleep(SLOW)
        for _ in range(50):
            before = self.stored_images()
            time.sleep(0.1)
            if self.stored_images() == before:
                break

    def injected(self) -> dict[str, int]:
        return dict(self.http.get("/_local/faults").json()["injected"])

    def queue(self, uuid: str) -> dict[str, str]:
        """Image id → sha256 of every unacknowledged image (chaos must be off)."""
        listed = self.api.get(f"/api/v1/upload-sessions/{uuid}/poll")
        listed.raise_for_status()
        out = {}
        for image in listed.json()["images"]:
            got = self.api.get(f"/api/v1/upload-sessions/{uuid}/images/{image['id']}")
            got.raise_for_status()
            out[image["id"]] = sha(got.content)
        return out

    def stored_images(self) -> int:
        return int(self.http.get("/_local/state").json()["counts"]["images"])

    def close(self) -> None:
        self.http.close()
        self.api.close()


class RetryCounter(logging.Handler):
    """Counts the SDK's "retrying … after <reason>" debug records by reason."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.reasons: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("retrying") and len(record.args or ()) >= 3:
            reason = str(record.args[2])  # type: ignore[index]
            self.reasons[reason] += 1


class QuietDisconnects(logging.Filter):
    """The server logs a traceback when a timed-out client has gone before it reads the body."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return type(exc).__name__ != "ClientDisconnect"


@pytest.fixture
def retry_counter() -> Iterator[RetryCounter]:
    logger = logging.getLogger("apertur")
    counter, level = RetryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    quiet = QuietDisconnects()
    noisy = [logging.getLogger(name) for name in ("uvicorn.error", "apertur_local")]
    for other in noisy:
        other.addFilter(quiet)
    yield counter
    for other in noisy:
        other.removeFilter(quiet)
    logger.removeHandler(counter)
    logger.setLevel(level)


@attrs.define
class Upload:
    index: int
    digest: str
    kind: str
    result_id: str | None = None
    error: str | None = None
    ambiguous: bool = False


def one_shot(data: bytes) -> Iterator[bytes]:
    yield data[:10]
    yield data[10:]


def run_uploads(client: Apertur, uuid: str, folder: Path) -> list[Upload]:
    uploads = []
    for index in range(UPLOADS):
        data = make_png(index)
        kind = ("path", "bytes", "iterator")[index % 3]
        upload = Upload(index, sha(data), kind)
        if kind == "path":
            path = folder / f"chaos-{index}.png"
            path.write_bytes(data)
            body: Any = path
        else:
            body = data if kind == "bytes" else one_shot(data)
        try:
            upload.result_id = client.upload.image(uuid, body, filename=f"chaos-{index}.png").id
        except UploadMayHaveBeenStoredError as exc:
            upload.error, upload.ambiguous = cause(exc), True
        except AperturError as exc:
            upload.error = cause(exc)
        uploads.append(upload)
    return uploads


@attrs.define
class DrainFigures:
    rounds: int = 0
    runs: int = 0
    handler_calls: int = 0
    handler_failures: int = 0
    handled_twice_in_one_run: int = 0
    redelivered_after_success: int = 0
    corrupted: int = 0
    run_errors: Counter[str] = attrs.field(factory=Counter)
    handled_ok: dict[str, str] = attrs.field(factory=dict)


def drain(client: Apertur, control: Control, uuid: str, truth: dict[str, str]) -> DrainFigures:
    figures = DrainFigures()
    rng = random.Random(SEED)
    remaining = dict(truth)
    while remaining and figures.rounds < MAX_ROUNDS:
        figures.rounds += 1
        control.chaos_on(SEED + figures.rounds)
        done: set[str] = set()
        for _ in range(4 * len(remaining) // BATCH + 20):
            if set(remaining) <= done:
                break
            figures.runs += 1
            calls: Counter[str] = Counter()
            stop = threading.Event()

            def handler(image: Any, data: bytes) -> None:
                calls[image.id] += 1
                figures.handler_calls += 1
                if rng.random() < HANDLER_FAILURE_RATE:
                    figures.handler_failures += 1
                    if set(remaining) <= done | set(calls):  # the rest is for the next run
                        stop.set()
                    raise RuntimeError("handler failure (injected)")
                if truth.get(image.id) != sha(data):
                    figures.corrupted += 1
                if image.id in figures.handled_ok:
                    figures.redelivered_after_success += 1
                figures.handled_ok[image.id] = sha(data)
                done.add(image.id)
                if set(remaining) <= done | set(calls):  # all tried: a new run retries failures
                    stop.set()

            try:
                client.polling.poll_and_process(
                    uuid,
                    handler,
                    interval=0.05,
                    max_images=BATCH,
                    stop=stop,
                    timeout=60 if not FULL else 600,
                    error_policy="skip",
                )
            except AperturError as exc:
                figures.run_errors[cause(exc)] += 1
            figures.handled_twice_in_one_run += sum(1 for n in calls.values() if n > 1)
        control.chaos_off()
        remaining = control.queue(uuid)  # what is still unacknowledged
    return figures


def test_uploads_and_drains_survive_chaos(
    tmp_path: Path, retry_counter: RetryCounter, record_property: Any
) -> None:
    started = time.monotonic()
    with LocalApertur(data_dir=tmp_path / "data") as server:
        control = Control(server)
        client = Apertur(
            api_key=server.api_key,
            base_url=server.url,
            timeout=httpx.Timeout(READ_TIMEOUT, connect=5.0),
        )
        if not FULL:
            fast_backoff(client)
        try:
            uuid = client.sessions.create(long_polling=True).id
            control.chaos_on(SEED)
            uploads = run_uploads(client, uuid, tmp_path)
            control.chaos_off()
            truth = control.queue(uuid)
            assert control.stored_images() == len(truth)
            drained = drain(client, control, uuid, truth)
            left = control.queue(uuid)
            injected = control.injected()
        finally:
            client.close()
            control.close()
    elapsed = time.monotonic() - started

    # --- reconcile what the client was told with what the server holds -------------------
    by_hash: Counter[str] = Counter(truth.values())
    known = {u.digest for u in uploads}
    succeeded = [u for u in uploads if u.result_id is not None]
    ambiguous = [u for u in uploads if u.ambiguous]
    definite = [u for u in uploads if u.error is not None and not u.ambiguous]
    lost_success = [u for u in succeeded if truth.get(u.result_id or "") != u.digest]
    stored_after_definite_failure = [u for u in definite if by_hash[u.digest]]
    duplicates = sum(n - 1 for n in by_hash.values() if n > 1)
    unknown = [h for h in by_hash if h not in known]
    never_handled = [i for i in truth if i not in drained.handled_ok]
    errors = Counter(u.error for u in uploads if u.error)

    figures = {
        "uploads attempted": len(uploads),
        "uploads succeeded": len(succeeded),
        "uploads failed, typed error (by cause)": dict(sorted(errors.items())),
        "ambiguous failures: present on server": sum(1 for u in ambiguous if by_hash[u.digest]),
        "ambiguous failures: absent": sum(1 for u in ambiguous if not by_hash[u.digest]),
        "images on server": len(truth),
        "images lost (success missing, or never drained)": len(lost_success) + len(never_handled),
        "duplicates created by retries": duplicates,
        "stored after a failure that rules storage out": len(stored_after_definite_failure),
        "unknown images on server": len(unknown),
        "poll_and_process rounds / runs": f"{drained.rounds} / {drained.runs}",
        "handler calls (injected handler failures)": (
            f"{drained.handler_calls} ({drained.handler_failures})"
        ),
        "images handled twice in one run": drained.handled_twice_in_one_run,
        "re-delivered in a later run after a handled success (ack lost)": (
            drained.redelivered_after_success
        ),
        "downloads with wrong content": drained.corrupted,
        "runs ended by a typed error (by cause)": dict(sorted(drained.run_errors.items())),
        "left in queue after draining": len(left),
        "API requests under chaos": control.requests_seen,
        "faults injected (by kind)": dict(sorted(injected.items())),
        "fault ratio measured": round(sum(injected.values()) / max(control.requests_seen, 1), 3),
        "client retries made (by reason)": dict(sorted(retry_counter.reasons.items())),
        "seed": SEED,
        "wall time (s)": round(elapsed, 1),
    }
    report = "\n".join(f"| {name} | {value} |" for name, value in figures.items())
    print(f"\nChaos figures ({'full' if FULL else 'short'} run)\n| figure | value |\n|---|---|")
    print(report)
    record_property("chaos_figures", figures)

    assert len(uploads) == UPLOADS
    assert lost_success == []
    assert never_handled == []
    assert left == {}
    assert duplicates == 0
    assert stored_after_definite_failure == []
    assert unknown == []
    assert drained.handled_twice_in_one_run == 0
    assert drained.corrupted == 0
    assert sum(injected.values()) > 0
