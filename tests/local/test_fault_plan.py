"""Tests for apertur_local._fault_plan: matching, counting, chaos, thread safety."""

from __future__ import annotations

import threading

from apertur_local._fault_plan import FaultPlan
from apertur_local._fault_spec import ChaosConfig, Fault, FaultRule, WeightedFault


def test_empty_plan_is_inactive_and_injects_nothing() -> None:
    plan = FaultPlan()
    assert not plan.active
    assert plan.take("GET", "/api/v1/stats") is None
    assert plan.snapshot() == {"rules": [], "chaos": None, "injected": {}}


def test_rules_match_method_and_path_and_run_out() -> None:
    plan = FaultPlan()
    fault = Fault("status", status=429, retry_after="2")
    plan.add(FaultRule(fault, path=r"^/api/v1/sessions$", count=2, method="POST"))
    assert plan.active
    assert plan.take("GET", "/api/v1/sessions") is None
    assert plan.take("POST", "/api/v1/sessions/recent") is None
    assert plan.take("post", "/api/v1/sessions") == fault
    assert plan.take("POST", "/api/v1/sessions") == fault
    assert plan.take("POST", "/api/v1/sessions") is None
    assert not plan.active
    assert plan.snapshot()["injected"] == {"status:429": 2}


def test_first_matching_rule_wins_in_order_added() -> None:
    plan = FaultPlan()
    first, second = Fault("close_before"), Fault("close_after")
    plan.add(FaultRule(first, path="images"), FaultRule(second, path="images"))
    assert plan.take("POST", "/api/v1/upload/u/images") == first
    assert plan.take("POST", "/api/v1/upload/u/images") == second
    assert plan.snapshot()["injected"] == {"close_before": 1, "close_after": 1}


def test_take_is_atomic_across_threads() -> None:
    plan = FaultPlan()
    plan.add(FaultRule(Fault("status"), count=100))
    hits: list[Fault | None] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            got = plan.take("GET", "/x")
            with lock:
                hits.append(got)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(h is not None for h in hits) == 100
    assert plan.snapshot()["injected"] == {"status:503": 100}


def _draw(plan: FaultPlan, n: int) -> list[str | None]:
    return [(f.label if (f := plan.take("GET", "/api/v1/x")) else None) for _ in range(n)]


def test_chaos_ratio_weights_seed_and_counters() -> None:
    config = ChaosConfig(
        ratio=0.25,
        seed=42,
        path="^/api/",
        actions=(
            WeightedFault(Fault("status", status=503), 3.0),
            WeightedFault(Fault("close_after"), 1.0),
        ),
    )
    plan = FaultPlan()
    plan.set_chaos(config)
    draws = _draw(plan, 2000)
    injected = [d for d in draws if d is not None]
    assert 400 < len(injected) < 600
    assert 3 * 0.7 < injected.count("status:503") / injected.count("close_after") < 3 * 1.3
    snapshot = plan.snapshot()
    assert snapshot["chaos"]["requests_seen"] == 2000
    assert snapshot["injected"] == {
        "status:503": injected.count("status:503"),
        "close_after": injected.count("close_after"),
    }
    assert plan.take("GET", "/_other") is None
    plan.set_chaos(config)
    assert _draw(plan, 2000) == draws


def test_clear_resets_everything() -> None:
    plan = FaultPlan()
    plan.add(FaultRule(Fault("status")))
    plan.set_chaos(ChaosConfig(ratio=1, actions=(WeightedFault(Fault("delay")),)))
    assert plan.take("GET", "/") is not None
    plan.clear()
    assert not plan.active
    assert plan.snapshot() == {"rules": [], "chaos": None, "injected": {}}
