"""The streaming flat-JSON scanner under the envelope decryptor."""

from __future__ import annotations

import json

import pytest

from apertur_local._json_scan import FlatJsonScanner, JsonScanError


def scan(data: bytes, chunk: int = 1) -> tuple[dict[str, bytes], dict[str, str]]:
    strings: dict[str, bytearray] = {}
    scalars: dict[str, str] = {}
    ended: list[str] = []
    scanner = FlatJsonScanner(
        lambda k, c: strings.setdefault(k, bytearray()).extend(c),
        ended.append,
        lambda k, t: scalars.__setitem__(k, t),
    )
    for i in range(0, len(data), chunk):
        scanner.feed(data[i : i + chunk])
    scanner.close()
    assert sorted(ended) == sorted(set(strings) | set(scalars) | {k for k in ended})
    return {k: bytes(v) for k, v in strings.items()}, scalars


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_strings_escapes_and_scalars_in_any_chunking(chunk: int) -> None:
    doc = {"a": 'x/y\\z"q\u00e9\n', "b": "", "n": 12.5, "t": True, "z": None, "e": "\ud83d\ude00"}
    raw = json.dumps(doc).replace("/", "\\/").encode()
    strings, scalars = scan(raw, chunk)
    assert strings["a"].decode() == doc["a"]
    assert strings.get("b", b"") == b""
    assert scalars == {"n": "12.5", "t": "true", "z": "null"}
    assert (
        strings["e"]
        .decode("utf-8", "surrogatepass")
        .encode("utf-16", "surrogatepass")
        .decode("utf-16")
        == "\U0001f600"
    )


def test_empty_object_and_whitespace() -> None:
    assert scan(b" \n{ }\t ") == ({}, {})


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[]",
        b'{"a": [1]}',
        b'{"a": {"b": 1}}',
        b'{"a" 1}',
        b'{"a": "x"',
        b'{"a": "x",}',
        b'{"a": "\\q"}',
        b'{"a": "\\u12G4"}',
        b'{"a": tru}',
        b"{} {}",
        b'{"a": 1',
        b'{"' + b"k" * 300 + b'": 1}',
    ],
)
def test_malformed_inputs(raw: bytes) -> None:
    with pytest.raises(JsonScanError):
        scan(raw, 3)
