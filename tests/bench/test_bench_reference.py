"""The benchmark's reference client: its export, its comparison with ours and target L."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from benchmarks import _reference, _report, _stats
from benchmarks._plan import Plan

pytestmark = pytest.mark.filterwarnings("error")


def _run(seconds: float, cpu: float = 0.5) -> dict[str, Any]:
    return {"seconds": seconds, "client_cpu": cpu, "server_cpu": 0.1, "other_cpu": 0.0,
            "rss_base_kib": 0, "rss_peak_kib": 0, "extra": {}}  # fmt: skip


def _data(ours: list[float], reference: list[float], quick: bool = False) -> dict[str, Any]:
    runs = {
        "drain": {
            "official": [_run(2.0)],
            "ours": [_run(s, 0.6) for s in ours],
            "ours_reference": [_run(s, 0.5) for s in reference],
        },
        "get_many": {"ours": [_run(1.0)], "ours_reference": [_run(1.0)]},
    }
    return {"plan": dataclasses.asdict(Plan(quick=quick)), "runs": runs}


def _target_l(data: dict[str, Any]) -> _stats.Target:
    (found,) = _stats._loopback_reference(data)
    return found


def test_ours_is_judged_by_medians_against_the_reference_client_in_the_same_run() -> None:
    rows = {r.workload: r for r in _stats.versus_reference_client(_data([1.0, 9.0, 1.2], [1.1]))}
    assert set(rows) == {"drain", "get_many"}  # only workloads where both sides ran
    drain = rows["drain"]
    assert drain.wall_ratio == pytest.approx(1.2 / 1.1)  # medians, not means: 9.0 is an outlier
    assert drain.cpu_ratio == pytest.approx(0.6 / 0.5)


@pytest.mark.parametrize(
    ("ours", "met"),
    [(1.0, True), (1.05, True), (1.06, False)],
)
def test_target_l_allows_five_percent_over_the_reference_in_the_worst_workload(
    ours: float, met: bool
) -> None:
    target = _target_l(_data([ours], [1.0]))
    assert target.met is met
    assert target.ratio == pytest.approx(ours)
    assert target.measured.startswith("worst: drain at")


def _numbered(seconds: list[float], cpu: float = 0.5) -> list[dict[str, Any]]:
    return [_run(s, cpu) | {"repeat": i} for i, s in enumerate(seconds)]


def test_with_repeat_numbers_the_ratio_is_the_median_of_the_ratios_within_each_repeat() -> None:
    data = _data([], [])
    data["runs"]["drain"]["ours"] = _numbered([1.0, 2.0, 1.1], 0.6)
    data["runs"]["drain"]["ours_reference"] = _numbered([1.0, 1.9, 1.0], 0.5)
    rows = {r.workload: r for r in _stats.versus_reference_client(data)}
    drain = rows["drain"]
    # A slow repeat (2.0 against 1.9) is slow for both: the ratio of the medians would be 1.1.
    assert drain.wall_ratio == pytest.approx(2.0 / 1.9)
    assert drain.paired is not None
    assert (drain.paired.low, drain.paired.high, drain.paired.n) == (1.0, pytest.approx(1.1), 3)
    assert drain.cpu_ratio == pytest.approx(0.6 / 0.5)
    assert rows["get_many"].paired is None  # runs without repeat numbers: ratio of the medians


def test_a_repeat_where_either_side_failed_is_left_out_of_the_paired_ratio() -> None:
    data = _data([], [])
    data["runs"]["drain"]["ours"] = _numbered([1.0, 1.0, 3.0])
    data["runs"]["drain"]["ours_reference"] = _numbered([1.0, 2.0, 1.0])
    data["runs"]["drain"]["ours"][1] = {"error": "exit 1", "repeat": 1}
    data["runs"]["drain"]["ours_reference"][2] = {"error": "exit 1", "repeat": 2}
    (drain,) = (r for r in _stats.versus_reference_client(data) if r.workload == "drain")
    assert drain.paired is not None
    assert drain.paired.n == 1
    assert drain.wall_ratio == pytest.approx(1.0)
    target = _target_l(data)
    assert target.met is True


def test_the_paired_ratios_decide_target_l() -> None:
    data = _data([], [])
    data["runs"]["drain"]["ours"] = _numbered([1.0, 1.3, 1.3])
    data["runs"]["drain"]["ours_reference"] = _numbered([0.9, 1.2, 1.3])
    target = _target_l(data)
    # Three pairs: the interval is their range, up to 1.0 / 0.9 (the medians' ratio is 1.0).
    assert target.ratio == pytest.approx(1.0 / 0.9)
    assert target.met is False


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, (0, 0)), (5, (0, 4)), (6, (0, 5)), (9, (1, 7)), (13, (2, 10)), (75, (28, 46))],
)
def test_the_median_interval_takes_the_order_statistics_of_a_95_percent_binomial_interval(
    n: int, expected: tuple[int, int]
) -> None:
    """Known answers: n=6 covers 96.9% with its whole range and 78% without its extremes; n=9
    covers 96.1% with its second lowest and second highest; n=13 covers 97.8% with its third;
    n=75 agrees with the normal approximation 37.5 ± 1.96 x 4.33."""
    values = [float(i) for i in reversed(range(n))]  # not sorted: the interval sorts them
    assert _stats.median_interval(values) == (float(expected[0]), float(expected[1]))


def test_the_median_interval_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        _stats.median_interval([])


def _pairs(workloads: dict[str, list[float]]) -> dict[str, Any]:
    """Runs where ours took ``ratio`` x the reference's 1.0 s, one repeat per ratio."""
    runs = {
        name: {"ours": _numbered(ratios), "ours_reference": _numbered([1.0] * len(ratios))}
        for name, ratios in workloads.items()
    }
    return {"plan": dataclasses.asdict(Plan(quick=False)), "runs": runs}


_EVEN = [0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 0.97, 1.02, 0.99, 1.01, 1.0]


def test_target_l_is_met_by_a_workload_whose_median_is_over_5_percent_within_its_noise() -> None:
    noisy = [1.3, 1.2, 0.85, 1.1, 0.8, 1.08, 1.09, 0.9, 1.15]  # median 1.09, interval 0.85-1.2
    target = _target_l(_pairs({"upload_seq": _EVEN, "get_many": _EVEN, "drain": noisy}))
    assert target.met is True
    assert target.ratio is not None
    assert target.ratio <= 1 / 0.95
    assert target.measured.startswith("all 31 pairs: 1.00x (95% CI ")
    assert "worst workload: drain at 1.09x (95% CI 0.85-1.20)" in target.measured


def test_target_l_misses_when_one_workload_is_slower_beyond_its_noise() -> None:
    slower = [1.12, 1.15, 1.2, 1.1, 1.18, 1.14, 1.16, 1.13, 1.11]  # interval 1.11-1.18
    target = _target_l(_pairs({"upload_seq": _EVEN, "get_many": _EVEN, "drain": slower}))
    assert target.met is False
    assert target.measured.endswith("; drain significantly slower")


def test_target_l_misses_when_all_the_pairs_together_are_slower() -> None:
    slightly = [r + 0.06 for r in _EVEN]  # no workload's interval is wholly above 1.05
    target = _target_l(_pairs({"upload_seq": slightly, "get_many": slightly, "drain": slightly}))
    assert target.ratio is not None
    assert target.ratio > 1 / 0.95
    assert target.met is False
    assert "significantly slower" not in target.measured


def test_failed_runs_do_not_count_and_a_side_without_success_is_left_out() -> None:
    data = _data([1.0], [1.0])
    data["runs"]["drain"]["ours"].append({"error": "exit 1"})
    data["runs"]["get_many"]["ours_reference"] = [{"error": "exit 1"}]
    rows = _stats.versus_reference_client(data)
    assert [r.workload for r in rows] == ["drain"]
    assert rows[0].ours.n == 1
    assert rows[0].ours.errors == 1


def test_without_the_reference_client_target_l_falls_back_to_the_comparator_standing() -> None:
    data = _data([1.0], [1.0])
    for clients in data["runs"].values():
        clients.pop("ours_reference")
    (target,) = _stats._loopback_reference(data)
    assert target.measured.startswith("no reference client in this run")
    assert target.goal == 0.95
    data["plan"]["quick"] = True
    assert _stats._loopback_reference(data) == []


def test_the_report_shows_the_reference_client_table_and_keeps_the_comparator_table() -> None:
    text = "\n".join(_report._reference_section(_data([1.2], [1.0])))
    assert "### Against the reference client" in text
    assert "| drain | 1.20 (1.20-1.20) | 1.00 (1.00-1.00) | 1.20 | - | 0.60" in text
    assert "### Against the reference run's comparators (context)" in text


def test_the_report_shows_the_paired_ratio_with_its_range_and_interval() -> None:
    data = _data([], [])
    data["runs"]["drain"]["ours"] = _numbered([1.0, 2.2], 0.6)
    data["runs"]["drain"]["ours_reference"] = _numbered([1.0, 2.0], 0.5)
    text = "\n".join(_report._reference_section(data))
    row = "| drain | 1.60 (1.00-2.20) | 1.50 (1.00-2.00) | 1.05 (1.00-1.10) | 1.00-1.10 | 0.60"
    assert row in text
    assert "| 1.20 (1.20-1.20) |" in text  # CPU: 0.6 / 0.5 in each repeat
    assert "| **all 2 pairs** | | | 1.05 (1.00-1.10) | 1.00-1.10 | | | |" in text


def test_target_l_is_drawn_lower_is_better_on_the_chart() -> None:
    data = _data([1.2], [1.0])
    bars = [b for b in _report.chart_data(data)["bars"] if b["label"].startswith("L ")]
    assert bars
    assert bars[0]["value"] == pytest.approx(1 / 1.2)


def _point_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, commit: str) -> None:
    reference = tmp_path / "reference_loopback.json"
    reference.write_text(json.dumps({"client_commit": commit, "pairs": {}}))
    monkeypatch.setattr(_reference, "REFERENCE", reference)
    monkeypatch.setattr(_reference, "WORK", tmp_path / "work")


def test_the_reference_client_is_exported_once_per_commit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=_reference.ROOT, capture_output=True, text=True
    ).stdout.strip()
    _point_at(monkeypatch, tmp_path, head)
    assert _reference.export_reference() is None
    tree, generated = map(Path, _reference.reference_paths(head))
    assert (tree / "apertur_ext" / "__init__.py").is_file()
    assert (generated / "apertur_api" / "__init__.py").is_file()
    marker = tree / "apertur_ext" / "kept"
    marker.write_text("")
    assert _reference.export_reference() is None  # cached: not exported again
    assert marker.exists()
    assert [p.name for p in (tmp_path / "work").iterdir()] == [tree.name]  # no scratch left


def test_an_unknown_commit_is_reported_and_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _point_at(monkeypatch, tmp_path, "0" * 40)
    why = _reference.export_reference()
    assert why is not None
    assert why.startswith(f"git archive {'0' * 40} failed")
    assert list((tmp_path / "work").iterdir()) == []


def _slow_extra_pairs() -> dict[str, Any]:
    """Five repeats of every client at 1.0 s, then six extra pairs of ours and the reference at
    2.0 s (the machine slowed down after the first repeats)."""
    every = {c: [{**_run(1.0), "repeat": n} for n in range(5)] for c in ("raw", "official")}
    pair = _numbered([1.0] * 5 + [2.0] * 6)
    runs = {
        "upload_seq": {**every, "ours": pair, "ours_reference": _numbered([1.0] * 5 + [2.0] * 6)}
    }
    runs["get_many"] = {"ours": _numbered([1.0, 3.0]), "ours_reference": _numbered([1.0, 3.0])}
    return {"plan": dataclasses.asdict(Plan(quick=False)), "runs": runs}


def test_against_other_clients_the_extra_pairs_are_left_out() -> None:
    """A median over the extra pairs too would say ours is half as fast as raw httpx."""
    data = _slow_extra_pairs()
    shared = _stats.shared_repeats(data)["runs"]
    assert [r["repeat"] for r in shared["upload_seq"]["ours"]] == [0, 1, 2, 3, 4]
    assert [r["repeat"] for r in shared["upload_seq"]["ours_reference"]] == [0, 1, 2, 3, 4]
    assert shared["upload_seq"]["raw"] == data["runs"]["upload_seq"]["raw"]
    assert len(shared["get_many"]["ours"]) == 2  # no other client: every run counts
    found = {
        t.key: t for t in _stats.targets({**data, "imports": {}, "webhooks": {}}, data["plan"])
    }
    assert found["1b"].ratio == pytest.approx(1.0)  # all 11 runs: a median of 2.0 s, 0.5x
    rows = {r.workload: r for r in _stats.versus_reference_client(data)}
    assert len(rows["upload_seq"].pairs) == 11  # target L still has every pair


def test_the_report_tables_leave_the_extra_pairs_out() -> None:
    data = _slow_extra_pairs()
    data["meta"] = {"date": "d", "command": "c", "duration_s": 1.0, "cpus": 2, "platform": "p",
                    "python": "3", "load_before": 0.0, "load_after": 0.0, "versions": "v"}  # fmt: skip
    row = next(
        line
        for line in _report.render({**data, "imports": {}, "webhooks": {}}).splitlines()
        if line.startswith("| ours | ")
    )
    assert row.endswith("| 5 (0) |")  # five runs, not eleven
