"""The workloads: each on a fresh server, clients interleaved within every repeat. The loopback
profile (issue 6) runs on a bare local server; the WAN profile (issue 14) on one that waits
``wan_latency`` ± ``wan_jitter`` before each request, as a remote API's round trip would."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._data import jpeg_file, jpeg_files
from ._plan import WORK, Plan
from ._quiet import QuietGate
from ._reference import SIDE
from ._server import LocalServerProcess
from ._suite import Admin, run_worker

__all__ = ["Runs", "run_workloads"]

Runs = dict[str, dict[str, list[dict[str, Any]]]]
"""workload → client → one result per repeat."""

Setup = Callable[[Admin], tuple[str, dict[str, Any]]]
"""Make a session for one run: returns (session uuid, the workload's parameters)."""
Check = Callable[[Admin, str], dict[str, Any]]
"""After a run: server-side checks on its session, merged into the run's ``extra``."""


class _Bench:
    """Runs every measurement of one ``make bench`` and collects the results."""

    def __init__(self, pythons: dict[str, Path], gate: QuietGate) -> None:
        self.pythons, self.gate = pythons, gate
        self.runs: Runs = {}
        self.durations: dict[str, float] = {}

    def measure(
        self,
        name: str,
        clients: list[str],
        repeats: int,
        setup: Setup,
        check: Check | None = None,
        once: tuple[str, ...] = (),
        latency: tuple[float, float] = (0.0, 0.0),
        method: str | None = None,
        pairs: int = 0,
    ) -> None:
        """One server for the workload (with ``latency`` = (latency, jitter) seconds); each
        repeat runs every client once, in its own process (the clients in ``once`` only in the
        first repeat), timing the side's ``method`` (default: the workload's name). Then
        ``pairs`` more repeats run only ``ours`` and the reference client, which target L
        compares repeat by repeat. Odd repeats run the clients in reverse order, so that no
        side always runs first (on a server that has seen less) or last."""
        print(f"bench: {name} x {repeats} (+{pairs}) ({', '.join(clients)})", flush=True)
        started = time.monotonic()
        results = self.runs.setdefault(name, {c: [] for c in clients})
        paired = [c for c in clients if c in ("ours", SIDE)]
        with LocalServerProcess(WORK, *latency) as server:
            admin = Admin(server)
            try:
                for repeat in range(repeats + (pairs if len(paired) == 2 else 0)):
                    sides = clients if repeat < repeats else paired
                    for client in sides if repeat % 2 == 0 else sides[::-1]:
                        if repeat and client in once:
                            continue
                        session, params = setup(admin)
                        python = self.pythons[client]
                        result = run_worker(
                            python, client, name, server, session, params, self.gate,
                            method=method,
                        )  # fmt: skip
                        if check is not None and "error" not in result:
                            result["extra"].update(check(admin, session))
                        result["repeat"] = repeat
                        results[client].append(result)
                        if "error" in result:
                            print(f"bench:   {client}: {result['error']}", flush=True)
            finally:
                admin.close()
        self.durations[name] = time.monotonic() - started


def run_workloads(
    plan: Plan, pythons: dict[str, Path], clients: list[str]
) -> tuple[Runs, dict[str, float]]:
    """Run every workload for ``clients`` (a subset of raw, official, ours, ours_reference;
    with ours, the concurrent upload also runs ``ours_async``, the WAN drain ``ours_default`` and
    ``ours_c8``, and ``drain_default`` ours and the reference client only); returns the results and each workload's duration in
    seconds. ``ours_reference`` (the reference commit's client) runs in the loopback workloads
    only (alternating with ``ours`` in every repeat)."""
    data = WORK / "data"
    small = [str(p) for p in jpeg_files(data / "small", plan.small_count, plan.small_size)]
    big = str(jpeg_file(data / "big.jpg", plan.big_size))
    encrypted = str(jpeg_file(data / "encrypted.jpg", plan.encrypted_size))
    drain = jpeg_files(data / "drain", plan.drain_count, plan.drain_size)
    bench = _Bench(pythons, QuietGate())

    def plain(params: dict[str, Any]) -> Setup:
        return lambda admin: (admin.new_session(), params)

    def filled(admin: Admin) -> tuple[str, dict[str, Any]]:
        uuid = admin.new_session(long_polling=True)
        admin.fill(uuid, drain)
        return uuid, {"expected": plan.drain_count, "interval": plan.drain_interval}

    def drained(admin: Admin, uuid: str) -> dict[str, Any]:
        return {"pending_after": admin.pending(uuid)}

    def filled_default(admin: Admin) -> tuple[str, dict[str, Any]]:
        uuid, params = filled(admin)
        return uuid, {**params, "concurrency": 1}  # the default: one handler, in queue order

    small_p, big_p = plan.repeats_small, plan.repeats_big
    small_x, big_x = plan.pairs_small, plan.pairs_big
    conc = {"paths": small, "inflight": plan.inflight}
    conc_clients = clients + (["ours_async"] if "ours" in clients else [])
    sdks = [c for c in clients if c != "raw"]
    bench.measure("upload_seq", clients, small_p, plain({"paths": small}), pairs=small_x)
    bench.measure("upload_concurrent", conc_clients, small_p, plain(conc), pairs=small_x)
    # The official SDK takes ~45 s per 512 MiB upload (it is context here: target 2 is about
    # ours' memory), so it runs once: `make bench` takes about ten minutes as it is.
    big_args = plain({"path": big})
    bench.measure("upload_big", clients, big_p, big_args, once=("official",), pairs=big_x)
    bench.measure("upload_encrypted", sdks, big_p, plain({"path": encrypted}), pairs=big_x)
    bench.measure("drain", clients, big_p, filled, drained, pairs=big_x)
    if defaults := [c for c in clients if c in ("ours", SIDE)]:  # its own option: ours only
        bench.measure(
            "drain_default", defaults, big_p, filled_default, drained, method="drain", pairs=big_x
        )
    bench.measure("get_many", clients, small_p, plain({"count": plan.gets}), pairs=small_x)
    _wan(bench, plan, [c for c in clients if c != SIDE], drained)  # no reference run to match
    return bench.runs, bench.durations


def _wan(bench: _Bench, plan: Plan, clients: list[str], drained: Check) -> None:
    """The WAN profile: a drain (official, ours with default settings, ours with
    ``concurrency=8``) and a batch upload (the official's loop, ``upload.images``)."""
    data = WORK / "data"
    drain = jpeg_files(data / "wan-drain", plan.wan_drain_count, plan.wan_drain_size)
    files = jpeg_files(data / "wan-upload", plan.wan_upload_count, plan.wan_upload_size)
    latency = (plan.wan_latency, plan.wan_jitter)
    ours = "ours" in clients

    def filled(admin: Admin) -> tuple[str, dict[str, Any]]:
        uuid = admin.new_session(long_polling=True)
        admin.fill(uuid, drain, threads=16)  # 16 in flight: the latency makes setup slow
        return uuid, {"expected": plan.wan_drain_count, "interval": plan.drain_interval}

    drainers = ["official", *(["ours_default", "ours_c8"] if ours else [])]
    bench.measure(
        "wan_drain", drainers, plan.repeats_wan, filled, drained, latency=latency, method="drain"
    )
    params = {"paths": [str(p) for p in files], "inflight": plan.wan_concurrency}
    uploaders = ["official", *(["ours"] if ours else [])]
    bench.measure(
        "wan_upload", uploaders, plan.repeats_wan, lambda admin: (admin.new_session(), params),
        latency=latency,
    )  # fmt: skip
