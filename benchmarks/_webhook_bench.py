"""Svix-method verification of a 1 KiB body: ``python -m benchmarks._webhook_bench SIDES CALLS``.

Sides: ``ours`` (``apertur_ext.verify_svix_signature``), ``ours_webhook`` (``apertur_ext.Webhook``
built once), ``svix`` (``svix.webhooks.Webhook(...).verify``, built once), ``official``
(``apertur.verify_svix_signature``, benchmark venv). Every call verifies the same valid, fresh
message; ``SIDES`` is comma-separated and the per-call microseconds of 7 rounds per side are
printed as JSON.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["main", "message", "webhook_times"]

KEY = bytes(range(32))
ROUNDS = 7


def message() -> tuple[str, str, str, str]:
    """(body, msg_id, timestamp, signature header) signed with ``KEY``."""
    data = {"id": "img_" + "0" * 24, "note": ""}
    event: dict[str, Any] = {"type": "image.uploaded", "data": data}
    data["note"] = "x" * (1024 - len(json.dumps(event, separators=(",", ":"))))
    body = json.dumps(event, separators=(",", ":"))
    msg_id, ts = "msg_2Zb1B4bench", str(int(time.time()))
    mac = hmac.new(KEY, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    return body, msg_id, ts, "v1," + base64.b64encode(mac).decode()


def _ours(name: str) -> Any:
    """``apertur_ext.<name>``, or from ``apertur_ext._webhooks`` until ``__init__`` exports it."""
    import apertur_ext

    if hasattr(apertur_ext, name):
        return getattr(apertur_ext, name)
    from apertur_ext import _webhooks

    return getattr(_webhooks, name)


def _verifier(side: str) -> Callable[[], object]:
    body, msg_id, ts, sig = message()
    headers = {"svix-id": msg_id, "svix-timestamp": ts, "svix-signature": sig}
    if side == "ours":
        verify_svix_signature = _ours("verify_svix_signature")
        hex_key = KEY.hex()
        return lambda: verify_svix_signature(body, msg_id, ts, sig, hex_key)
    if side == "ours_webhook":
        hook = _ours("Webhook")(KEY.hex(), method="svix")
        return lambda: hook.verify(body, headers)
    if side == "svix":
        from svix.webhooks import Webhook as SvixWebhook

        svix_hook = SvixWebhook("whsec_" + base64.b64encode(KEY).decode())
        return lambda: svix_hook.verify(body, headers)
    if side == "official":
        from apertur import verify_svix_signature as official

        hex_key = KEY.hex()
        return lambda: official(body, msg_id, ts, sig, hex_key)
    raise SystemExit(f"unknown side {side!r}")


def webhook_times(project: str, bench: str, calls: int, ours: bool) -> dict[str, list[float]]:
    """Run the sides in their interpreters (ours and svix together, interleaved)."""
    import subprocess

    from ._plan import ROOT

    jobs = [(project, "ours,ours_webhook,svix" if ours else "svix"), (bench, "official")]
    out: dict[str, list[float]] = {}
    for python, sides in jobs:
        cmd = [python, "-m", "benchmarks._webhook_bench", sides, str(calls)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        out.update(json.loads(proc.stdout))
    return out


def main() -> None:
    """Print ``{side: [per-call µs for each round]}``; the sides' rounds are interleaved."""
    sides, calls = sys.argv[1].split(","), int(sys.argv[2])
    verifiers = {side: _verifier(side) for side in sides}
    for side, verify in verifiers.items():
        if verify() is False:
            raise SystemExit(f"{side}: the message did not verify")
        for _ in range(calls // 10):  # warm up
            verify()
    rounds: dict[str, list[float]] = {side: [] for side in sides}
    for _ in range(ROUNDS):
        for side, verify in verifiers.items():
            t0 = time.perf_counter()
            for _ in range(calls):
                verify()
            rounds[side].append((time.perf_counter() - t0) / calls * 1e6)
    print(json.dumps(rounds))


if __name__ == "__main__":
    main()
