"""Workloads 1-5 (issue 6): each on a fresh server, clients interleaved within every repeat."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._data import jpeg_file, jpeg_files
from ._plan import WORK, Plan
from ._server import LocalServerProcess
from ._suite import Admin, run_worker

__all__ = ["Runs", "run_workloads"]

Runs = dict[str, dict[str, list[dict[str, Any]]]]
"""workload → client → one result per repeat."""

Setup = Callable[[Admin], tuple[str, dict[str, Any]]]
"""Make a session for one run: returns (session uuid, the workload's parameters)."""


def _measure(
    runs: Runs,
    name: str,
    pythons: dict[str, Path],
    clients: list[str],
    repeats: int,
    setup: Setup,
    check: Callable[[Admin, str], dict[str, Any]] | None = None,
) -> None:
    """One server for the workload; every repeat runs each client once, in its own process."""
    print(f"bench: {name} x {repeats} ({', '.join(clients)})", flush=True)
    results = runs.setdefault(name, {c: [] for c in clients})
    with LocalServerProcess(WORK) as server:
        admin = Admin(server)
        try:
            for _ in range(repeats):
                for client in clients:
                    session, params = setup(admin)
                    result = run_worker(pythons[client], client, name, server, session, params)
                    if check is not None and "error" not in result:
                        result["extra"].update(check(admin, session))
                    results[client].append(result)
                    if "error" in result:
                        print(f"bench:   {client}: {result['error']}", flush=True)
        finally:
            admin.close()


def run_workloads(plan: Plan, pythons: dict[str, Path], clients: list[str]) -> Runs:
    """Run workloads 1-5 for ``clients`` (a subset of raw, official, ours)."""
    data = WORK / "data"
    small = [str(p) for p in jpeg_files(data / "small", plan.small_count, plan.small_size)]
    big = str(jpeg_file(data / "big.jpg", plan.big_size))
    encrypted = str(jpeg_file(data / "encrypted.jpg", plan.encrypted_size))
    drain = jpeg_files(data / "drain", plan.drain_count, plan.drain_size)
    runs: Runs = {}

    def plain(params: dict[str, Any]) -> Setup:
        return lambda admin: (admin.new_session(), params)

    def filled(admin: Admin) -> tuple[str, dict[str, Any]]:
        uuid = admin.new_session(long_polling=True)
        admin.fill(uuid, drain)
        return uuid, {"expected": plan.drain_count, "interval": plan.drain_interval}

    def drained(admin: Admin, uuid: str) -> dict[str, Any]:
        return {"pending_after": admin.pending(uuid)}

    small_p, big_p = plan.repeats_small, plan.repeats_big
    _measure(runs, "upload_seq", pythons, clients, small_p, plain({"paths": small}))
    conc = {"paths": small, "inflight": plan.inflight}
    _measure(runs, "upload_concurrent", pythons, clients, small_p, plain(conc))
    _measure(runs, "upload_big", pythons, clients, big_p, plain({"path": big}))
    sdks = [c for c in clients if c != "raw"]
    _measure(runs, "upload_encrypted", pythons, sdks, big_p, plain({"path": encrypted}))
    _measure(runs, "drain", pythons, clients, big_p, filled, drained)
    _measure(runs, "get_many", pythons, clients, small_p, plain({"count": plan.gets}))
    return runs
