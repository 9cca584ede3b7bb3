"""Per-run figures → medians, ranges and the target checks (pure functions, no I/O)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from ._plan import MIB

__all__ = ["Summary", "Target", "summarize", "targets"]


@dataclass(frozen=True)
class Summary:
    """Median and range of one figure over the repeats of one client."""

    median: float
    low: float
    high: float
    n: int
    errors: int = 0


def _summary(values: list[float], errors: int = 0) -> Summary | None:
    if not values:
        return None
    return Summary(statistics.median(values), min(values), max(values), len(values), errors)


def _ok(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in runs if "error" not in r]


def summarize(runs: list[dict[str, Any]], figure: str, scale: float = 1.0) -> Summary | None:
    """``figure`` over the successful runs: ``seconds``, ``client_cpu``, ``server_cpu``,
    ``rss_mib`` (peak above baseline), or ``per_second`` (``scale`` / seconds)."""
    good = _ok(runs)
    if figure == "rss_mib":
        values = [(r["rss_peak_kib"] - r["rss_base_kib"]) / 1024 for r in good]
    elif figure == "per_second":
        values = [scale / r["seconds"] for r in good]
    else:
        values = [r[figure] * scale for r in good]
    return _summary(values, len(runs) - len(good))


@dataclass(frozen=True)
class Target:
    """One target of issue 6 and whether the last run met it."""

    key: str
    text: str
    measured: str
    ratio: float | None
    goal: float
    met: bool | None  # None: not measurable (a side failed or is missing)


def _median_or(s: Summary | None, default: float) -> float:
    return default if s is None else s.median


def _ratio(a: Summary | None, b: Summary | None) -> float | None:
    return None if a is None or b is None or b.median == 0 else a.median / b.median


def _check(
    key: str, text: str, ratio: float | None, goal: float, measured: str, at_most: bool = False
) -> Target:
    met = None if ratio is None else (ratio <= goal if at_most else ratio >= goal)
    return Target(key, text, measured, ratio, goal, met)


def _fmt(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def targets(data: dict[str, Any], plan: dict[str, Any]) -> list[Target]:
    """Evaluate every target from the raw results (``data["runs"]`` etc.)."""
    runs = data["runs"]
    out: list[Target] = []

    def s(workload: str, client: str, figure: str, scale: float = 1.0) -> Summary | None:
        return summarize(runs.get(workload, {}).get(client, []), figure, scale)

    mib_small = plan["small_count"] * plan["small_size"] / MIB
    seq = {c: s("upload_seq", c, "per_second", mib_small) for c in ("ours", "official", "raw")}
    r_off, r_raw = _ratio(seq["ours"], seq["official"]), _ratio(seq["ours"], seq["raw"])
    out.append(_check("1a", "sequential upload ≥ 1 x official", r_off, 1.0, _fmt(r_off)))
    out.append(_check("1b", "sequential upload ≥ 0.9 x raw httpx", r_raw, 0.9, _fmt(r_raw)))
    conc = {
        c: s("upload_concurrent", c, "per_second", mib_small)
        for c in ("ours", "ours_async", "official")
    }
    best = max(("ours", "ours_async"), key=lambda c: _median_or(conc[c], -1.0))
    r = _ratio(conc[best], conc["official"])
    text = f"{plan['inflight']} in flight ≥ 3 x official (best of threads, async)"
    out.append(_check("1c", text, r, 3.0, f"{_fmt(r)} ({best})"))
    for key, workload in (("2", "upload_big"), ("3a", "upload_encrypted")):
        mem = s(workload, "ours", "rss_mib")
        worst = None if mem is None else mem.high
        measured = "n/a" if worst is None else f"{worst:.1f} MiB (worst run)"
        text = f"{workload}: peak RSS ≤ 64 MiB above baseline"
        out.append(_check(key, text, worst, 64.0, measured, at_most=True))
    mib_enc = plan["encrypted_size"] / MIB
    enc = {c: s("upload_encrypted", c, "per_second", mib_enc) for c in ("ours", "official")}
    r = _ratio(enc["ours"], enc["official"])
    out.append(_check("3b", "encrypted throughput ≥ 5 x official", r, 5.0, _fmt(r)))
    drain = {c: s("drain", c, "seconds") for c in ("ours", "official")}
    r = _ratio(drain["official"], drain["ours"])
    exact = _exactly_once(runs.get("drain", {}).get("ours", []), plan["drain_count"])
    measured = f"{_fmt(r)} faster; exactly once + acked: {'yes' if exact else 'NO'}"
    t = _check("4", "drain ≥ 3 x faster than official, each image once", r, 3.0, measured)
    out.append(Target(t.key, t.text, t.measured, t.ratio, t.goal, t.met and exact))
    gets = {c: s("get_many", c, "seconds") for c in ("ours", "official", "raw")}
    r_raw, r_off = _ratio(gets["ours"], gets["raw"]), _ratio(gets["ours"], gets["official"])
    out.append(_check("5a", "sessions.get ≤ 1.15 x raw httpx", r_raw, 1.15, _fmt(r_raw), True))
    out.append(_check("5b", "sessions.get ≤ 1 x official", r_off, 1.0, _fmt(r_off), True))
    imp = {k: _summary(v.get("ms", [])) for k, v in data.get("imports", {}).items()}
    same = _ratio(imp.get("ours_same_venv"), imp.get("official"))
    project = _ratio(imp.get("ours"), imp.get("official"))
    measured = f"{_fmt(same)} in the same venv; {_fmt(project)} from the project .venv"
    text = "import ≤ 1.2 x official (judged in the same venv)"
    out.append(_check("6", text, same, 1.2, measured, at_most=True))
    hooks = data.get("webhooks", {})
    r = _ratio(*(_summary(hooks.get(k, [])) for k in ("ours", "svix")))
    out.append(_check("7", "svix verify ≤ 1 x svix package", r, 1.0, _fmt(r), at_most=True))
    return out


def _exactly_once(runs: list[dict[str, Any]], expected: int) -> bool:
    good = _ok(runs)
    return bool(good) and all(
        r["extra"].get("handled") == expected
        and r["extra"].get("unique") == expected
        and r["extra"].get("max") == 1
        and r["extra"].get("pending_after") == 0
        for r in good
    )
