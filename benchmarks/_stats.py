"""Per-run figures → medians, ranges and the target checks (pure functions, no I/O)."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass
from typing import Any

from ._plan import MIB
from ._reference import REFERENCE, SIDE

__all__ = [
    "Floor",
    "Summary",
    "Target",
    "floors",
    "loopback_vs_reference",
    "median_interval",
    "shared_repeats",
    "summarize",
    "targets",
    "versus_reference_client",
]


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


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free confidence interval for the median that ``values`` sample: the
    order statistics ``x(j)`` and ``x(n+1-j)`` for the largest ``j`` whose coverage is still at
    least ``confidence`` (how many values fall below the median is binomial, n and 1/2). With too
    few values for that coverage, the whole range."""
    ordered, n = sorted(values), len(values)
    if not n:
        raise ValueError("no values")
    j, tail = 1, 0.5**n  # tail: P(at most j - 1 values below the median)
    while 2 * j < n:
        wider = tail + math.comb(n, j) * 0.5**n
        if 1 - 2 * wider < confidence:
            break
        j, tail = j + 1, wider
    return ordered[j - 1], ordered[n - j]


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


def shared_repeats(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the runs of ``ours`` and the reference client cut to the repeats that the
    other clients of their workload ran too (all of them where no other client ran).

    Their extra pairs, target L's, come after every client's repeats, at other moments of a
    shared machine: a median over them as well, against the official SDK's or raw httpx's over
    the first repeats only, would compare different moments (a mid-run slowdown of the machine
    once doubled the server's CPU per upload in just the extra pairs)."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for workload, clients in data["runs"].items():
        others = {
            r.get("repeat") for c, rs in clients.items() if c not in ("ours", SIDE) for r in rs
        }
        runs[workload] = {
            client: [r for r in rs if not others or r.get("repeat") in others]
            if client in ("ours", SIDE)
            else rs
            for client, rs in clients.items()
        }
    return {**data, "runs": runs}


def targets(data: dict[str, Any], plan: dict[str, Any]) -> list[Target]:
    """Evaluate every target from the raw results (``data["runs"]`` etc.): against other clients
    over their shared repeats, against the reference client (target L) over all the pairs."""
    full, data = data, shared_repeats(data)
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
    out += _loopback_reference(full) + _wan_targets(data, plan)
    return out


def loopback_vs_reference(data: dict[str, Any]) -> list[tuple[str, str, float, float, float]]:
    """Per workload: (workload, "ours vs comparator", ours / comparator in the reference run,
    the same now, and reference / now as a speed: ≥ 1 means ours gained on its comparator).

    Ratios to a comparator measured in the same run cancel what load on the machine does to
    both; the absolute figures of two runs on a shared machine do not compare."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    data, rows = shared_repeats(data), []
    for name, pair in reference["pairs"].items():
        (ours, ours_ref), (other, other_ref) = pair["ours"], pair["comparator"]
        workload = name.split(" ")[0]
        runs = data["runs"].get(workload, {})
        now = _ratio(
            summarize(runs.get(ours, []), "seconds"), summarize(runs.get(other, []), "seconds")
        )
        if now is not None:
            then = ours_ref / other_ref
            rows.append((workload, f"{ours} vs {other}", then, now, then / now))
    return rows


@dataclass(frozen=True)
class VersusReference:
    """One loopback workload: ours against the reference commit's client in the same run."""

    workload: str
    ours: Summary
    reference: Summary
    ours_cpu: Summary | None
    reference_cpu: Summary | None
    paired: Summary | None = None
    """Ours' wall time over the reference's within each repeat (both ran one after the other),
    over the repeats where both succeeded."""
    paired_cpu: Summary | None = None
    """The same for the client process's CPU time."""
    pairs: tuple[float, ...] = ()
    """The per-repeat wall-time ratios that ``paired`` summarises."""

    @property
    def wall_interval(self) -> tuple[float, float] | None:
        """The 95% confidence interval of :attr:`wall_ratio`, from the per-repeat ratios."""
        return median_interval(list(self.pairs)) if self.pairs else None

    @property
    def wall_ratio(self) -> float:
        """Ours' wall time over the reference client's (≤ 1: ours is as fast or faster): the
        median of the per-repeat ratios, which cancels the load each repeat met; the ratio of the
        two medians for runs without repeat numbers."""
        if self.paired is not None:
            return self.paired.median
        return self.ours.median / self.reference.median if self.reference.median else math.inf

    @property
    def cpu_ratio(self) -> float | None:
        """The same for the client process's CPU time."""
        return (
            self.paired_cpu.median if self.paired_cpu else _ratio(self.ours_cpu, self.reference_cpu)
        )


def _per_repeat(
    ours: list[dict[str, Any]], reference: list[dict[str, Any]], figure: str
) -> list[float]:
    """``figure``'s ratio ours / reference within each repeat where both succeeded."""
    theirs = {r["repeat"]: r[figure] for r in _ok(reference) if "repeat" in r}
    return [
        r[figure] / theirs[r["repeat"]]
        for r in _ok(ours)
        if theirs.get(r.get("repeat", -1))  # present and not zero
    ]


def versus_reference_client(data: dict[str, Any]) -> list[VersusReference]:
    """Every workload where both ``ours`` and ``ours_reference`` have successful runs."""
    rows = []
    for workload, clients in data["runs"].items():
        ours, ref = clients.get("ours", []), clients.get(SIDE, [])
        wall, ref_wall = summarize(ours, "seconds"), summarize(ref, "seconds")
        if wall is not None and ref_wall is not None:
            cpu, ref_cpu = summarize(ours, "client_cpu"), summarize(ref, "client_cpu")
            pairs = tuple(_per_repeat(ours, ref, "seconds"))
            paired_cpu = _summary(_per_repeat(ours, ref, "client_cpu"))
            rows.append(
                VersusReference(
                    workload, wall, ref_wall, cpu, ref_cpu, _summary(list(pairs)), paired_cpu, pairs
                )
            )
    return rows


LOOPBACK_SLACK = 0.95
"""Target L: ours' median wall time at most 1 / this times the reference client's."""


def _loopback_reference(data: dict[str, Any]) -> list[Target]:
    text = (
        f"loopback: ours' wall time ≤ 1/{LOOPBACK_SLACK} x the reference client's in the same "
        "run: the 95% confidence interval of the median per-repeat ratio, over every pair of "
        "every workload, below it; and no workload's own interval wholly above it"
    )
    rows = versus_reference_client(data)
    if rows:
        goal = 1 / LOOPBACK_SLACK
        worst = max(rows, key=lambda row: row.wall_ratio)
        pairs = [ratio for row in rows for ratio in row.pairs]
        if not pairs:  # runs without repeat numbers: the worst ratio of the medians decides
            measured = (
                f"worst: {worst.workload} at {worst.wall_ratio:.2f}x the reference client's "
                "wall time"
            )
            return [_check("L", text, worst.wall_ratio, goal, measured, at_most=True)]
        low, high = median_interval(pairs)
        slower = [r for r in rows if (ci := r.wall_interval) is not None and ci[0] > goal]
        measured = (
            f"all {len(pairs)} pairs: {statistics.median(pairs):.2f}x (95% CI {low:.2f}-"
            f"{high:.2f}); worst workload: {worst.workload} at {worst.wall_ratio:.2f}x"
            + _interval_text(worst.wall_interval)
            + "".join(f"; {r.workload} significantly slower" for r in slower)
        )
        return [Target("L", text, measured, high, goal, high <= goal and not slower)]
    rows_then = loopback_vs_reference(data)  # results from before the reference client ran
    if not rows_then or data["plan"]["quick"]:  # the reference run is a full run
        return []
    old = min(rows_then, key=lambda row: row[4])
    measured = f"no reference client in this run; worst standing: {old[0]} {old[1]} {old[4]:.2f}x"
    text = (
        "loopback: ours against its comparator no worse than in the reference run "
        f"(≥ {LOOPBACK_SLACK} x)"
    )
    return [_check("L", text, old[4], LOOPBACK_SLACK, measured)]


def _interval_text(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f" (95% CI {interval[0]:.2f}-{interval[1]:.2f})"


@dataclass(frozen=True)
class Floor:
    """The least time a WAN workload can take: its round trips over what may be in flight."""

    workload: str
    client: str
    how: str
    seconds: float
    measured: Summary | None

    @property
    def ratio(self) -> float | None:
        """Ours (or theirs) over the floor."""
        return None if self.measured is None else self.measured.median / self.seconds


def floors(data: dict[str, Any], plan: dict[str, Any]) -> list[Floor]:
    """Each WAN run's floor: ``requests x RTT / in flight``, RTT being the mean latency added.

    Drain: N downloads + N acks + the lists (counted in the run), one at a time for the
    official SDK, ``concurrency + prefetch`` at a time for ours. Upload: N requests, one at a
    time for the official loop, ``concurrency`` at a time for ``upload.images``."""
    rtt, out = plan["wan_latency"], []
    for client, runs in data["runs"].get("wan_drain", {}).items():
        good = _ok(runs)
        if not good:
            continue
        requests = statistics.median(r["extra"].get("requests", 0) for r in good)
        in_flight = good[0]["extra"].get("in_flight", 1)
        how = f"{requests:.0f} requests x {rtt * 1000:g} ms / {in_flight} in flight"
        floor = requests * rtt / in_flight
        out.append(Floor("wan_drain", client, how, floor, summarize(runs, "seconds")))
    for client, runs in data["runs"].get("wan_upload", {}).items():
        n, conc = plan["wan_upload_count"], plan["wan_concurrency"] if client == "ours" else 1
        how = f"{n} uploads x {rtt * 1000:g} ms / {conc} in flight"
        out.append(Floor("wan_upload", client, how, n * rtt / conc, summarize(runs, "seconds")))
    return out


def _wan_targets(data: dict[str, Any], plan: dict[str, Any]) -> list[Target]:
    runs, out = data["runs"], []
    drain = {c: summarize(v, "seconds") for c, v in runs.get("wan_drain", {}).items()}
    for key, client, goal in (("W1", "ours_default", 3.0), ("W2", "ours_c8", 6.0)):
        r = _ratio(drain.get("official"), drain.get(client))
        exact = _exactly_once(runs.get("wan_drain", {}).get(client, []), plan["wan_drain_count"])
        what = "default settings" if client == "ours_default" else "concurrency=8"
        text = f"WAN drain of {plan['wan_drain_count']}, {what}: ≥ {goal:g} x faster than official"
        t = _check(
            key, text, r, goal, f"{_fmt(r)}; exactly once + acked: {'yes' if exact else 'NO'}"
        )
        out.append(Target(t.key, t.text, t.measured, t.ratio, t.goal, t.met and exact))
    found = {(f.workload, f.client): f for f in floors(data, plan)}
    for key, workload, client in (
        ("W3a", "wan_drain", "ours_default"),
        ("W3b", "wan_drain", "ours_c8"),
        ("W5", "wan_upload", "ours"),
    ):
        f = found.get((workload, client))
        ratio = None if f is None else f.ratio
        text = f"{workload} ({client}) within 1.3 x its floor"
        measured = (
            "n/a" if f is None or ratio is None else f"{_fmt(ratio)} ({f.how} = {f.seconds:.2f} s)"
        )
        out.append(_check(key, text, ratio, 1.3, measured, at_most=True))
    up = {c: summarize(v, "seconds") for c, v in runs.get("wan_upload", {}).items()}
    r = _ratio(up.get("official"), up.get("ours"))
    text = (
        f"WAN upload of {plan['wan_upload_count']} x {plan['wan_upload_size'] // 1024} KiB, "
        f"upload.images(concurrency={plan['wan_concurrency']}) ≥ 5 x the official's loop"
    )
    out.append(_check("W4", text, r, 5.0, _fmt(r)))
    mem = summarize(runs.get("wan_upload", {}).get("ours", []), "rss_mib")
    worst = None if mem is None else mem.high
    measured = "n/a" if worst is None else f"{worst:.1f} MiB (worst run)"
    out.append(
        _check(
            "W6",
            "wan_upload: peak RSS ≤ 64 MiB above baseline",
            worst,
            64.0,
            measured,
            at_most=True,
        )
    )
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
