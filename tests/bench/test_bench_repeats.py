"""The order in which ``make bench`` runs its clients, and its extra repeats of ours and the
reference client (no server or worker is started: both are replaced)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import _workloads


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(client, session) of every worker run, in order."""
    seen: list[tuple[str, str]] = []

    @contextlib.contextmanager
    def server(*_: Any) -> Iterator[object]:
        yield object()

    class Admin:
        def __init__(self, _: object) -> None:
            self.made = 0

        def close(self) -> None:
            pass

    def run_worker(_python: Path, client: str, _name: str, _server: object, session: str,
                   *_: Any, **__: Any) -> dict[str, Any]:  # fmt: skip
        seen.append((client, session))
        return {"seconds": 1.0, "extra": {}}

    monkeypatch.setattr(_workloads, "LocalServerProcess", server)
    monkeypatch.setattr(_workloads, "Admin", Admin)
    monkeypatch.setattr(_workloads, "run_worker", run_worker)
    return seen


def _bench() -> Any:
    clients = ("raw", "official", "ours", "ours_reference")
    return _workloads._Bench({c: Path("python") for c in clients}, gate=None)  # type: ignore[arg-type]


def _sessions() -> Any:
    count = iter(range(100))
    return lambda admin: (f"s{next(count)}", {})


def test_the_order_flips_every_repeat_and_the_extra_repeats_run_only_the_pair(
    calls: list[tuple[str, str]],
) -> None:
    bench = _bench()
    bench.measure("w", ["raw", "official", "ours", "ours_reference"], 2, _sessions(), pairs=3)
    order = [client for client, _ in calls]
    assert order == [
        *("raw", "official", "ours", "ours_reference"),
        *("ours_reference", "ours", "official", "raw"),
        *("ours", "ours_reference"),
        *("ours_reference", "ours"),
        *("ours", "ours_reference"),
    ]
    runs = bench.runs["w"]
    assert [r["repeat"] for r in runs["ours"]] == [0, 1, 2, 3, 4]
    assert [r["repeat"] for r in runs["raw"]] == [0, 1]
    assert len({session for _, session in calls}) == len(calls)  # a fresh session every run


def test_no_extra_repeats_without_both_sides_of_the_pair(calls: list[tuple[str, str]]) -> None:
    bench = _bench()
    bench.measure("w", ["official", "ours"], 1, _sessions(), pairs=3, once=("official",))
    assert [client for client, _ in calls] == ["official", "ours"]


def test_a_client_run_once_is_left_out_of_later_repeats(calls: list[tuple[str, str]]) -> None:
    bench = _bench()
    bench.measure("w", ["official", "ours", "ours_reference"], 2, _sessions(), once=("official",))
    assert [client for client, _ in calls] == [
        *("official", "ours", "ours_reference"),
        *("ours_reference", "ours"),
    ]
