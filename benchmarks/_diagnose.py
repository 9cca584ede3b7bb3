"""For a missed target: where the time (or memory) went, from the measured CPU and RSS figures."""

from __future__ import annotations

from typing import Any

from ._stats import Target, summarize

__all__ = ["diagnose"]

_SERVER_FIX = "{server}"  # filled in by _server_fix() from what the run found installed
_CHUNK_FIX = (
    "less client CPU per upload: ours already streams 256 KiB reads and writes (64 KiB cost 2.7 "
    "ms per 1 MiB upload, 256 KiB 2.1 ms, in a side measurement on 2026-12-01; raw httpx "
    "streaming a file: 2.2 ms; the official's single 1 MiB write: 1.8 ms)"
)
_GET_FIX = (
    "less client CPU per call: a side profile put ours' own code (apertur_ext + the generated "
    "apertur_api: request building, retry transport, model parsing) at ~6% of its client CPU "
    "per call, the rest being the httpx/httpcore/h11 work every side pays; the per-run wall "
    "ranges of ours and the comparator overlap (see get_many), so this ratio is within noise"
)
# target → (workload, the side ours is compared with, what would close the gap)
_CONTEXT: dict[str, tuple[str, str, str]] = {
    "1a": ("upload_seq", "official", f"{_SERVER_FIX}; then {_CHUNK_FIX}"),
    "1b": ("upload_seq", "raw", f"{_CHUNK_FIX}; and {_SERVER_FIX}"),
    "1c": (
        "upload_concurrent",
        "official",
        "nothing on the client side: the official SDK with 8 threads is as concurrent as ours, "
        "and the server's CPU alone (see the floor) rules out 3x on 2 cores; "
        f"{_SERVER_FIX} (see `ours_async` in the upload_concurrent table for the async client)",
    ),
    "2": ("upload_big", "raw", "stream the file in fixed-size chunks instead of reading it whole"),
    "3a": ("upload_encrypted", "official", "encrypt and base64-encode chunk by chunk"),
    "3b": (
        "upload_encrypted",
        "official",
        "a faster server: decrypting a 256 MiB envelope (two passes, base64 + AES-GCM) takes "
        "most of ours' wall time after the body is sent",
    ),
    "4": (
        "drain",
        "official",
        "less client CPU per image (thread pool for concurrency=8, generated models) and, above "
        f"all, {_SERVER_FIX}; the server spends ~3 ms CPU per image (list share, download, ack)",
    ),
    "5a": ("get_many", "raw", _GET_FIX),
    "5b": ("get_many", "official", _GET_FIX),
    "6": ("", "", "lazy imports (resources, generated models, crypto) behind the first use"),
    "7": ("", "", "decode the secret once and avoid regex work per call"),
    "L": (
        "",
        "",
        "see the reference client table: a workload whose interval lies above 1.05 is slower "
        "(compare ours' client CPU with the reference's there: a CPU ratio near 1 with a wall "
        "ratio above it is load, not the client); an interval over all pairs that only "
        "reaches above 1.05 needs more pairs, or a quieter machine",
    ),
    "W1": ("wan_drain", "official", "more requests in flight (a larger default prefetch)"),
    "W2": ("wan_drain", "official", "more requests in flight (a larger prefetch)"),
    "W3a": ("wan_drain", "", "keep the in-flight budget full: see where the time went"),
    "W3b": ("wan_drain", "", "keep the in-flight budget full: see where the time went"),
    "W4": ("wan_upload", "official", "more uploads in flight (a larger concurrency)"),
    "W5": ("wan_upload", "", "keep every connection busy: see where the time went"),
    "W6": ("wan_upload", "official", "stream the files instead of reading them whole"),
}
_WAN_CLIENT = {"W1": "ours_default", "W2": "ours_c8", "W3a": "ours_default", "W3b": "ours_c8"}


Figures = tuple[float, float, float, float]
"""Medians of wall, client CPU, server CPU and other processes' CPU, in seconds."""


def _cpu(runs: list[dict[str, Any]]) -> Figures | None:
    found = [summarize(runs, f) for f in ("seconds", "client_cpu", "server_cpu", "other_cpu")]
    if any(s is None for s in found):
        return None
    wall, client, server, other = (s.median for s in found if s is not None)
    return wall, client, server, other


def _describe(name: str, figures: Figures | None) -> str:
    if figures is None:
        return f"{name}: no successful run"
    wall, client, server, other = figures
    return (
        f"{name}: {wall:.3f} s wall, client CPU {client:.3f} s ({client / wall:.0%}), "
        f"server CPU {server:.3f} s ({server / wall:.0%}), rest of the machine {other:.3f} s"
    )


def _bottleneck(ours: Figures, theirs: Figures) -> str:
    wall, client, server, other = ours
    parts = []
    if other / wall >= 0.5:
        parts.append(f"the rest of the machine kept {other / wall:.1f} cores busy during ours' run")
    if server / wall >= 0.85:
        parts.append("the server is near one full core in ours' run, so it may be the limit")
    if client / wall >= 0.85:
        parts.append("ours is CPU-bound in the client process")
    parts.append(f"ours spent {client / theirs[1]:.2f}x the comparator's client CPU")
    if client / wall < 0.85 and server / wall < 0.85:
        parts.append("neither process is CPU-bound: the rest is waiting")
    return "; ".join(parts)


def _floor(target: Target, ours: Figures, theirs: Figures) -> str:
    """What ours' wall time must be, against what the CPU it needs allows on 2 cores."""
    at_most = target.key in ("5a", "5b")
    needed = theirs[0] * target.goal if at_most else theirs[0] / target.goal
    client, server = ours[1], ours[2]
    floor = max((client + server) / 2, server)
    text = (
        f"Meeting it needs ours' wall time ≤ {needed:.3f} s; the run needs {client:.3f} s of "
        f"client CPU and {server:.3f} s of server CPU (whose requests are handled on one event "
        f"loop), so it cannot take less than {floor:.3f} s on 2 cores"
    )
    if floor > needed:
        return text + ": not reachable on this machine unless that CPU drops"
    return text


def _server_fix(meta: dict[str, Any]) -> str:
    stack = meta.get("server_stack", {})
    if stack.get("httptools") and stack.get("uvloop"):
        return "a faster server: it handles every request on one event loop"
    return (
        "a faster server: it handles every request on one event loop, and uvicorn runs on the "
        "pure-Python h11 parser and asyncio because httptools and uvloop are not installed in "
        ".venv; with them (uvicorn[standard]) a side measurement (2026-12-01) halved its CPU per "
        "1 MiB upload (4.4-4.9 to 2.4 ms) and cut it per small GET from 0.40 to 0.23 ms"
    )


def diagnose(target: Target, data: dict[str, Any]) -> str:
    """One paragraph: the measured cause and what would close the gap."""
    workload, other, fix = _CONTEXT[target.key]
    fix = fix.replace(_SERVER_FIX, _server_fix(data["meta"]))
    if target.met is None:
        return "not measurable in this run (a side failed or is not available yet; see below)."
    if not workload:
        return f"measured {target.measured}; would close it: {fix}."
    runs = data["runs"].get(workload, {})
    ours_name = _WAN_CLIENT.get(target.key, "ours")
    ours, theirs = _cpu(runs.get(ours_name, [])), _cpu(runs.get(other, []))
    if not other:  # a floor: where the time went beyond the round trips
        return f"{_describe(ours_name, ours)}; measured {target.measured}; would close it: {fix}."
    if target.key in ("2", "3a", "W6"):
        mem = summarize(runs.get("ours", []), "rss_mib")
        peak = "n/a" if mem is None else f"{mem.high:.1f} MiB"
        return f"ours peaked {peak} above baseline; would close it: {fix}."
    if ours is None or theirs is None:
        return f"{_describe(ours_name, ours)}; {_describe(other, theirs)}."
    if workload.startswith("wan_"):
        return (
            f"{_describe(ours_name, ours)}; {_describe(other, theirs)}. Cause: "
            f"{_bottleneck(ours, theirs)}. Would close it: {fix}."
        )
    return (
        f"{_describe('ours', ours)}; {_describe(other, theirs)}. Cause: "
        f"{_bottleneck(ours, theirs)}. {_floor(target, ours, theirs)}. Would close it: {fix}."
    )
