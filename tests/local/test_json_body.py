"""Bounded JSON bodies: depth, size, and values Python accepts but JSON does not."""

from __future__ import annotations

import pytest

from apertur_local._json_body import MAX_JSON_DEPTH, JsonBodyError, json_depth, parse_json


def test_depth_is_counted_without_recursion() -> None:
    assert json_depth(1, 10) == 0
    assert json_depth({"a": [1, {"b": []}]}, 10) == 4
    deep: list[object] = []
    for _ in range(200_000):  # far past the interpreter's recursion limit
        deep = [deep]
    assert json_depth(deep, MAX_JSON_DEPTH) == MAX_JSON_DEPTH + 1  # stops once past the limit


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "nested deeper"),
        (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "nested deeper"),
        (b"[" * 1_000_000, "nested deeper"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b'{"a": -Infinity}', "not valid JSON"),
        (b'"\\ud800"', "lone surrogate"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"a": 1', "not valid JSON"),
    ],
)
def test_refused_bodies(raw: bytes, reason: str) -> None:
    with pytest.raises(JsonBodyError, match=reason):
        parse_json(raw)


def test_the_deepest_accepted_body() -> None:
    depth = MAX_JSON_DEPTH
    assert json_depth(parse_json(b"[" * depth + b"]" * depth), depth) == depth
