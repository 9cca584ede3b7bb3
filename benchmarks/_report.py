"""RESULTS.md from the raw results: targets, per-workload tables, diagnosis of every miss."""

from __future__ import annotations

import statistics
from typing import Any

from ._diagnose import diagnose
from ._plan import MIB
from ._stats import (
    Summary,
    Target,
    floors,
    loopback_vs_reference,
    median_interval,
    shared_repeats,
    summarize,
    targets,
    versus_reference_client,
)

__all__ = ["chart_data", "render"]

_HEADLINES: dict[str, tuple[str, str]] = {
    "upload_seq": ("MiB/s", "per_second"),
    "upload_concurrent": ("MiB/s", "per_second"),
    "upload_big": ("MiB/s", "per_second"),
    "upload_encrypted": ("MiB/s", "per_second"),
    "drain": ("s to drain", "seconds"),
    "drain_default": ("s to drain", "seconds"),
    "get_many": ("µs per call", "seconds"),
    "wan_drain": ("s to drain", "seconds"),
    "wan_upload": ("s for all", "seconds"),
}


_IN_SECONDS = ("s to drain", "s for all")


def _scale(workload: str, plan: dict[str, Any]) -> float:
    scales: dict[str, float] = {
        "upload_seq": plan["small_count"] * plan["small_size"] / MIB,
        "upload_concurrent": plan["small_count"] * plan["small_size"] / MIB,
        "upload_big": plan["big_size"] / MIB,
        "upload_encrypted": plan["encrypted_size"] / MIB,
        "drain": 1.0,
        "drain_default": 1.0,
        "get_many": 1e6 / plan["gets"],
        "wan_drain": 1.0,
        "wan_upload": 1.0,
    }
    return scales[workload]


def _rng(s: Summary | None, digits: int = 2) -> str:
    if s is None:
        return "-"
    return f"{s.median:.{digits}f} ({s.low:.{digits}f}-{s.high:.{digits}f})"


def _workload_table(
    name: str, clients: dict[str, list[dict[str, Any]]], plan: dict[str, Any]
) -> str:
    unit, figure = _HEADLINES[name]
    scale = _scale(name, plan)
    rows = [
        f"| client | {unit}, median (min-max) | wall s | client CPU s | server CPU s "
        "(% of wall) | rest of the machine, CPU s | peak RSS above baseline, MiB (max) "
        "| runs (failed) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for client, runs in clients.items():
        head = summarize(runs, figure, scale)
        wall, ccpu = summarize(runs, "seconds"), summarize(runs, "client_cpu")
        scpu, mem = summarize(runs, "server_cpu"), summarize(runs, "rss_mib")
        other = summarize(runs, "other_cpu")
        share = f" ({scpu.median / wall.median:.0%})" if scpu and wall else ""
        mem_text = "-" if mem is None else f"{mem.median:.1f} ({mem.high:.1f})"
        failed = sum(1 for r in runs if "error" in r)
        rows.append(
            f"| {client} | {_rng(head, 1 if unit not in _IN_SECONDS else 2)} | {_rng(wall)} "
            f"| {_rng(ccpu)} | {_rng(scpu)}{share} | {_rng(other)} | {mem_text} "
            f"| {len(runs)} ({failed}) |"
        )
    errors = [f"- {c}: {r['error']}" for c, runs in clients.items() for r in runs if "error" in r]
    return "\n".join(rows + (["", *errors[:6]] if errors else []))


def _stack(meta: dict[str, Any]) -> str:
    stack = meta.get("server_stack", {})
    http = "httptools" if stack.get("httptools") else "h11"
    return f"{http} + {'uvloop' if stack.get('uvloop') else 'asyncio'}"


def _verdict(t: Target) -> str:
    return "n/a" if t.met is None else "met" if t.met else "**MISSED**"


def render(data: dict[str, Any]) -> str:
    """The whole RESULTS.md."""
    meta, plan = data["meta"], data["plan"]
    checks, shared = targets(data, plan), shared_repeats(data)
    lines = [
        "# Benchmark results: apertur_ext vs apertur-sdk 0.2.0 vs raw httpx",
        "",
        f"Last {'QUICK (scaled-down) ' if plan['quick'] else ''}run: {meta['date']}, "
        f"`{meta['command']}` from the repository root ({meta['duration_s']:.0f} s: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in meta.get("durations", {}).items())
        + ").",
        f"Machine: {meta['cpus']} CPUs, {meta['platform']}, Python {meta['python']}; "
        f"load average {meta['load_before']:.2f} before, {meta['load_after']:.2f} after.",
        f"Versions: {meta['versions']}. Server: `apertur_local` in its own process on 127.0.0.1 "
        f"(fresh per workload; uvicorn on {_stack(meta)}). Every client run is its own "
        "interpreter; clients alternate within each repeat, in reverse order every other "
        "repeat; server and clients run at nice "
        "-10 so that other load on the machine disturbs them less.",
        "",
        "Method: the machine has 2 cores shared with other work, so each figure is the median "
        "over repeats (min-max in brackets); a ratio is "
        "ours' median against the comparator's over the repeats both ran (against the reference "
        "client: the median of the ratios within each repeat, extra pairs included; everywhere "
        "else those extra pairs are left out). Wall time is taken around the workload only, "
        "after imports (every module of the side's SDK, also those it would import on first "
        "use), client construction, one warm-up call and the workload's own setup. "
        "Peak memory is the worker's `ru_maxrss` after the workload minus its value at that "
        "point. CPU is read from `/proc`: the worker's own, the server process's, and the "
        "machine's total minus both (other processes and kernel work such as loopback and "
        "page-cache writeback). Raw figures: `benchmarks/.work/results.json`; "
        "`python -m benchmarks.run --report-only` renders this file again from them.",
        "",
        "## Targets",
        "",
        "| # | target | measured (medians) | result |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t.key} | {t.text} | {t.measured} | {_verdict(t)} |" for t in checks]
    lines += ["", "![ratios](ratios.png)", ""]
    misses = [t for t in checks if t.met is not True]
    if misses:
        lines += ["## Misses: measured cause and what would close it", ""]
        lines += [f"- **{t.key} {t.text}**: {diagnose(t, shared)}" for t in misses]
        lines.append("")
    for title, wan in (("Loopback profile", False), ("WAN profile", True)):
        ms = {
            "wan_latency_ms": plan["wan_latency"] * 1000,
            "wan_jitter_ms": plan["wan_jitter"] * 1000,
        }
        lines += [f"## {title}", "", _PROFILES[wan].format(**ms), ""]
        if wan:
            lines += _floors_section(shared, plan)
        for name, clients in shared["runs"].items():
            if name.startswith("wan_") == wan:
                lines += [f"### {name}", "", _describe(name, plan), ""]
                lines += [_workload_table(name, clients, plan), ""]
        if not wan:
            lines += _reference_section(data)
    lines += _server_cpu_section(shared, plan) + _imports_section(data) + _webhooks_section(data)
    return "\n".join(lines).rstrip() + "\n"


def _describe(name: str, plan: dict[str, Any]) -> str:

    def size(n: int) -> str:
        return f"{n / MIB:g} MiB"

    return {
        "upload_seq": f"{plan['small_count']} x {size(plan['small_size'])} plain uploads, one at a time.",
        "upload_concurrent": f"The same with {plan['inflight']} in flight: threads sharing one "
        "client (`ours_async`: `AsyncApertur` tasks behind a semaphore).",
        "upload_big": f"One {size(plan['big_size'])} plain upload from a file path.",
        "upload_encrypted": f"One {size(plan['encrypted_size'])} encrypted upload (server key fetched before timing).",
        "drain": f"`poll_and_process` on a long-polling session holding {plan['drain_count']} x "
        f"{plan['drain_size'] // 1024} KiB images, interval {plan['drain_interval']} s; stopped "
        "at the last ack (official: by a wrapper around `polling.ack`, as it has no stop "
        "condition; ours: `max_images`); every image must be handled once and the queue left "
        "empty. Ours runs with `concurrency=8` (its option; the official has none); raw httpx "
        "repeats the official's list/download/ack loop.",
        "drain_default": "The same drain with default settings (`concurrency=1`: the handler "
        "one image at a time, in queue order, the next images downloaded ahead), for ours and "
        "the reference client only: what a test suite draining the local server pays.",
        "get_many": f"{plan['gets']} x `sessions.get` on one kept-alive connection.",
        "wan_drain": f"`poll_and_process` on a long-polling session holding "
        f"{plan['wan_drain_count']} x {plan['wan_drain_size'] // 1024} KiB images, as `drain` "
        "(stopped at the last ack; each image handled once, the queue left empty): the "
        "official SDK; `ours_default` with default settings (`concurrency=1`, the handler one "
        "image at a time in queue order, downloads prefetched); `ours_c8` with "
        "`concurrency=8`.",
        "wan_upload": f"{plan['wan_upload_count']} x {plan['wan_upload_size'] // 1024} KiB "
        "uploads from paths: the official SDK's `upload.image` in a loop (it has no batch "
        f"upload) against `client.upload.images(concurrency={plan['wan_concurrency']})`.",
    }[name]


_PROFILES = {
    False: "A bare local server on loopback: no network latency, so the server's CPU is the "
    "floor (see the server CPU per request below).",
    True: "The same server started with `--latency {wan_latency_ms:g}ms --jitter "
    "{wan_jitter_ms:g}ms`: every request waits {wan_latency_ms:g} ms ± {wan_jitter_ms:g} ms "
    "before the server reads it, as a round trip to a remote API would. A workload's floor is "
    "its round trips times the mean latency, over the requests it keeps in flight; ours' ratio "
    "to that floor says how well it keeps them in flight.",
}


def _floors_section(data: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    rows = [
        "| workload | client | floor | median s (min-max) | ratio to the floor |",
        "|---|---|---|---|---|",
    ]
    for f in floors(data, plan):
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x"
        rows.append(
            f"| {f.workload} | {f.client} | {f.how} = {f.seconds:.2f} s | {_rng(f.measured)} "
            f"| {ratio} |"
        )
    return [*rows, ""]


def _reference_client_section(data: dict[str, Any]) -> list[str]:
    found = versus_reference_client(data)
    if not found:
        return []
    rows = [
        "### Against the reference client",
        "",
        "`ours_reference` is this SDK as of the commit of the reference run "
        "(`client_commit` in `benchmarks/reference_loopback.json`), exported with `git archive` "
        "and run in the project's venv, right before or after `ours` in every repeat (the order "
        "flips each repeat) against the same server, with extra repeats of just these two. A "
        "ratio is the median of ours over the reference within each repeat (min-max in "
        "brackets): it cancels the load each repeat met and the server's own speed-ups. Each "
        "ratio also gets a 95% confidence interval for its median (distribution-free: order "
        "statistics of the per-repeat ratios). A single pair of runs on this shared machine "
        "varies by 10-20%, so one workload's few pairs cannot tell 5% apart; all the pairs "
        "together can. Target L asks the interval over all pairs to lie below 1/0.95 (1.05), "
        "and no workload's own interval to lie wholly above it.",
        "",
        "| workload | ours wall s | reference wall s | wall ratio | 95% CI | ours client CPU s "
        "| reference client CPU s | CPU ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in found:
        wall = _rng(row.paired) if row.paired else f"{row.wall_ratio:.2f}"
        interval = row.wall_interval
        ci = "-" if interval is None else f"{interval[0]:.2f}-{interval[1]:.2f}"
        cpu = (
            _rng(row.paired_cpu)
            if row.paired_cpu
            else ("-" if row.cpu_ratio is None else f"{row.cpu_ratio:.2f}")
        )
        rows.append(
            f"| {row.workload} | {_rng(row.ours)} | {_rng(row.reference)} "
            f"| {wall} | {ci} | {_rng(row.ours_cpu)} | {_rng(row.reference_cpu)} | {cpu} |"
        )
    if pairs := [ratio for row in found for ratio in row.pairs]:
        low, high = median_interval(pairs)
        rows.append(
            f"| **all {len(pairs)} pairs** | | | {statistics.median(pairs):.2f} "
            f"({min(pairs):.2f}-{max(pairs):.2f}) | {low:.2f}-{high:.2f} | | | |"
        )
    return [*rows, ""]


def _reference_section(data: dict[str, Any]) -> list[str]:
    rows = [
        *_reference_client_section(data),
        "### Against the reference run's comparators (context)",
        "",
        "Ours' wall time over its comparator's, in this run and in the run before the WAN "
        "profile (`benchmarks/reference_loopback.json`); standing = reference / now (≥ 1: ours "
        "gained). Ratios within one run cancel the load other work puts on the shared machine; "
        "absolute figures of two runs do not compare. A comparator that got faster since (the "
        "local server's CPU per request dropped, which speeds up every side) lowers ours' "
        "standing without ours getting slower: the reference client above is the fair test.",
        "",
        "| workload | sides | reference ratio | ratio now | standing vs reference |",
        "|---|---|---|---|---|",
    ]
    for workload, sides, then, now, standing in loopback_vs_reference(data):
        rows.append(f"| {workload} | {sides} | {then:.2f} | {now:.2f} | {standing:.2f}x |")
    return [*rows, ""]


def _requests(workload: str, run: dict[str, Any], plan: dict[str, Any]) -> float | None:
    fixed = {
        "upload_seq": plan["small_count"],
        "upload_concurrent": plan["small_count"],
        "upload_big": 1,
        "upload_encrypted": 1,
        "get_many": plan["gets"],
        "wan_upload": plan["wan_upload_count"],
    }
    return fixed.get(workload, run.get("extra", {}).get("requests"))


def _server_cpu_section(data: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    rows = [
        "## The local server's CPU per request",
        "",
        "Server CPU over the requests of each run (median over runs; the drains count their "
        "lists, downloads and acks). On loopback this is the floor of every workload.",
        "",
        "| workload | client | requests per run | server CPU ms per request, median (min-max) |",
        "|---|---|---|---|",
    ]
    for name, clients in data["runs"].items():
        for client, runs in clients.items():
            per = [
                {"seconds": r["server_cpu"] * 1000 / n}
                for r in runs
                if "error" not in r and (n := _requests(name, r, plan))
            ]
            count = [_requests(name, r, plan) for r in runs if "error" not in r]
            if per:
                rows.append(
                    f"| {name} | {client} | {statistics.median(c or 0 for c in count):.0f} "
                    f"| {_rng(summarize(per, 'seconds'), 2)} |"
                )
    return [*rows, ""]


def _imports_section(data: dict[str, Any]) -> list[str]:
    rows = [
        "## Import time",
        "",
        "Wall time of `python -c 'import X'` minus `python -c pass` in the "
        "same interpreter, fresh interpreters, interleaved.",
        "",
        "| side | module | interpreter | ms, median (min-max) | `-X importtime` cumulative ms "
        "(median of 3) | runs |",
        "|---|---|---|---|---|---|",
    ]
    for side, d in data.get("imports", {}).items():
        s = summarize([{"seconds": v} for v in d["ms"]], "seconds")
        rows.append(
            f"| {side} | `{d['module']}` | {d.get('venv', '')} | {_rng(s, 1)} "
            f"| {d['importtime_ms']:.1f} | {len(d['ms'])} |"
        )
    return [*rows, ""]


def _webhooks_section(data: dict[str, Any]) -> list[str]:
    rows = [
        "## Webhook verification (Svix method, 1 KiB body)",
        "",
        "`ours` = `apertur_ext.verify_svix_signature`; `ours_webhook` = `apertur_ext.Webhook` built "
        "once; `svix` = `svix.webhooks.Webhook(...).verify` built once; `official` = "
        "`apertur.verify_svix_signature` (no timestamp check).",
        "",
        "| side | µs per call, median of rounds (min-max) |",
        "|---|---|",
    ]
    for side, values in data.get("webhooks", {}).items():
        s = summarize([{"seconds": v} for v in values], "seconds")
        rows.append(f"| {side} | {_rng(s, 1)} |")
    return [*rows, ""]


def chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """What ``_chart`` draws: speed ratios (higher is better) and memory above baseline."""
    bars = []
    for t in targets(data, data["plan"]):
        if t.ratio is None or t.key in ("2", "3a", "W6"):
            continue
        lower_better = t.key in ("5a", "5b", "6", "7", "L", "W3a", "W3b", "W5")
        value, goal = (1 / t.ratio, 1 / t.goal) if lower_better else (t.ratio, t.goal)
        bars.append({"label": f"{t.key} {t.text}", "value": value, "goal": goal})
    memory = []
    for workload in ("upload_big", "upload_encrypted", "wan_upload"):
        for client, runs in data["runs"].get(workload, {}).items():
            s = summarize(runs, "rss_mib")
            if s is not None:
                memory.append({"label": f"{workload} {client}", "value": s.high})
    plan = data["plan"]
    title = (
        "apertur_ext vs apertur-sdk 0.2.0 vs raw httpx: loopback (1-7, L) and WAN, "
        f"{plan['wan_latency'] * 1000:g} ms ± {plan['wan_jitter'] * 1000:g} ms per request (W)"
    )
    return {"bars": bars, "memory": memory, "limit": 64.0, "title": title}
