"""A pytest plugin for ``make mutate``'s mutmut runs (loaded with ``-p fastest_first``): each
mutant's tests run quickest first, so that a mutant is usually killed by a unit test in a
fraction of a second before any slow test (a server start-up, a fuzzer, a real-clock wait) runs.

mutmut runs a mutant's tests with ``-x`` (the first failure ends the run), in no particular order.
Here, mutmut's statistics run (the whole selection, unmutated, ``MUTANT_UNDER_TEST=stats``)
records how long each test took, set-up and tear-down included (a server fixture's start-up
counts; mutmut's own figures leave it out), in ``mutmut-test-durations.json`` next to mutmut's
own statistics. In a mutant's run, the test files are put in order of their average test time,
and the tests of a file in order of their own time; a file's tests stay together, so that its
module-scoped fixtures are set up once. Outside mutmut (no ``MUTANT_UNDER_TEST``) nothing changes.
Which tests run, and whether a mutant is killed, do not change either: only how soon.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

DURATIONS = Path("mutmut-test-durations.json")  # relative to mutants/, mutmut's folder for tests
# MUTANT_UNDER_TEST values that are mutmut's own runs, not a mutant's.
NOT_A_MUTANT = {"", "stats", "fail", "list_all_tests", "mutant_generation"}

_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") != "stats" or not _seconds:
        return
    known = load()
    known.update(_seconds)
    DURATIONS.write_text(json.dumps(known, indent=0, sort_keys=True), "utf-8")
    _seconds.clear()


def load() -> dict[str, float]:
    try:
        data = json.loads(DURATIONS.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def order(nodeids: list[str], seconds: dict[str, float]) -> list[int]:
    """The positions of ``nodeids`` in the order to run them: files by their tests' average
    time, then tests by their own time; ties (and tests never timed, last) keep their order.
    With no times at all, the order stays as it is."""
    if not seconds:
        return list(range(len(nodeids)))
    files = [_file(nodeid) for nodeid in nodeids]
    totals: dict[str, list[float]] = {}
    first: dict[str, int] = {}
    for index, (nodeid, path) in enumerate(zip(nodeids, files, strict=True)):
        first.setdefault(path, index)
        if nodeid in seconds:
            totals.setdefault(path, []).append(seconds[nodeid])
    average = {path: sum(times) / len(times) for path, times in totals.items()}

    def key(index: int) -> tuple[float, int, float]:
        path = files[index]
        return (average.get(path, math.inf), first[path], seconds.get(nodeids[index], math.inf))

    return sorted(range(len(nodeids)), key=key)


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("MUTANT_UNDER_TEST", "") in NOT_A_MUTANT:
        return
    seconds = load()
    if seconds:
        items[:] = [items[i] for i in order([item.nodeid for item in items], seconds)]
