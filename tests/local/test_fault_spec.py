"""Tests for apertur_local._fault_spec: the JSON forms of faults, rules and chaos settings."""

from __future__ import annotations

from typing import Any

import pytest

from apertur_local._fault_spec import (
    ChaosConfig,
    Fault,
    FaultRule,
    FaultSpecError,
    WeightedFault,
    parse_chaos,
    parse_fault,
    parse_rule,
)


def test_labels() -> None:
    assert Fault("status", status=429).label == "status:429"
    assert Fault("truncate").label == "truncate"


def test_parse_rule_full_and_defaults() -> None:
    rule = parse_rule(
        {
            "method": "put",
            "path": "^/a$",
            "count": 3,
            "action": "status",
            "status": 429,
            "retry_after": 5,
            "body": {"message": "m", "code": "c"},
        }
    )
    assert rule == FaultRule(
        Fault("status", status=429, retry_after="5", body={"message": "m", "code": "c"}),
        path="^/a$",
        count=3,
        method="PUT",
    )
    assert parse_rule({"action": "delay", "delay": 1}) == FaultRule(Fault("delay", delay=1.0))
    assert parse_fault({"action": "truncate", "keep_bytes": 0}).keep_bytes == 0
    assert parse_rule({"path": "/events$", "action": "drop_stream", "after_events": 2}) == (
        FaultRule(Fault("drop_stream", after_events=2), path="/events$")
    )
    assert parse_fault({"action": "drop_stream"}).after_events == 1
    assert parse_fault({"action": "drop_stream", "after_events": 0}).after_events == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("nope", "JSON object"),
        ({}, "'action'"),
        ({"action": "status", "status": 600}, "'status'"),
        ({"action": "status", "status": True}, "'status'"),
        ({"action": "status", "status": "503"}, "'status'"),
        ({"action": "status", "retry_after": -1}, "'retry_after'"),
        ({"action": "status", "retry_after": 1.5}, "'retry_after'"),
        ({"action": "status", "body": {"message": 1}}, "'body'"),
        ({"action": "status", "body": "x"}, "'body'"),
        ({"action": "delay", "delay": 10_000}, "'delay'"),
        ({"action": "truncate", "keep_bytes": -1}, "'keep_bytes'"),
        ({"action": "drop_stream", "after_events": -1}, "'after_events'"),
        ({"action": "drop_stream", "after_events": 1.5}, "'after_events'"),
        ({"action": "drop_stream", "after_events": 10**9}, "'after_events'"),
        ({"action": "status", "count": 0}, "'count'"),
        ({"action": "status", "path": 3}, "'path'"),
        ({"action": "status", "path": "[a"}, "regular expression"),
        ({"action": "status", "method": "GET /"}, "'method'"),
    ],
)
def test_parse_rule_rejects(data: Any, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        parse_rule(data)


def test_fault_json_round_trip() -> None:
    faults = [
        Fault("status", status=503, retry_after="Wed, 21 Oct 2026 07:28:00 GMT", body={"a": "b"}),
        Fault("status", status=500),
        Fault("close_before"),
        Fault("close_after"),
        Fault("delay", delay=0.5),
        Fault("truncate", keep_bytes=7),
        Fault("truncate"),
        Fault("drop_stream", after_events=3),
        Fault("drop_stream", after_events=0),
    ]
    for fault in faults:
        assert parse_fault(fault.to_json()) == fault


def test_parse_chaos() -> None:
    config = parse_chaos(
        {
            "ratio": 0.2,
            "seed": 1,
            "method": "post",
            "actions": [{"action": "close_before", "weight": 2}, {"action": "status"}],
        }
    )
    assert config == ChaosConfig(
        ratio=0.2,
        seed=1,
        method="POST",
        actions=(WeightedFault(Fault("close_before"), 2.0), WeightedFault(Fault("status"), 1.0)),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"actions": [{"action": "status"}]},
        {"ratio": 1.5, "actions": [{"action": "status"}]},
        {"ratio": 0.5, "actions": []},
        {"ratio": 0.5, "actions": "status"},
        {"ratio": 0.5, "actions": [{"action": "status", "weight": 0}]},
        {"ratio": 0.5, "actions": [{"action": "status", "weight": float("nan")}]},
        {"ratio": 0.5, "actions": [{"action": "status", "weight": float("inf")}]},
        {"ratio": float("nan"), "actions": [{"action": "status"}]},
        {"ratio": 0.5, "actions": [3]},
        {"ratio": 0.5, "actions": [{"action": "status"}], "seed": "x"},
    ],
)
def test_parse_chaos_rejects(data: Any) -> None:
    with pytest.raises(FaultSpecError):
        parse_chaos(data)
