"""Tests for apertur_ext._core.signing: X-Aptr request signing and the webhook signing helpers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apertur_ext import (
    Apertur,
    event_headers,
    svix_headers,
    verify_event_request,
    verify_webhook_request,
    webhook_headers,
)
from apertur_ext._core.exceptions import InvalidInputError
from apertur_ext._core.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign_httpx_request,
    sign_request,
)
from apertur_ext._core.transport import RetryTransport

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "request_signing.json").read_text("utf-8")
)
SECRET: str = VECTORS["secret"]
TS = 1_800_000_000
BASE = "https://api.aptr.ca"


def _clock() -> float:
    return TS + 0.75  # fractions are truncated, not rounded


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_sign_request_vectors(case: dict[str, str]) -> None:
    body = case["body"].encode()
    expected = case["signature"]
    assert sign_request(SECRET, case["method"], case["target"], body, TS) == expected
    assert sign_request(SECRET, case["method"].lower(), case["target"], body, TS) == expected


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_sign_httpx_request_vectors(case: dict[str, str]) -> None:
    content = case["body"].encode() or None
    request = httpx.Request(case["method"], BASE + case["target"], content=content)
    sign_httpx_request(request, SECRET, now=_clock)
    assert request.headers[SIGNATURE_HEADER] == case["signature"]
    assert request.headers[TIMESTAMP_HEADER] == str(TS)


def test_query_built_from_params_is_signed_as_sent() -> None:
    request = httpx.Request(
        "GET",
        BASE + "/api/v1/upload-sessions/abc/delivery-status",
        params={"pollFrom": "2026-01-01T00:00:00Z"},
    )
    sign_httpx_request(request, SECRET, now=_clock)
    target = request.url.raw_path.decode()
    assert "?pollFrom=" in target
    assert request.headers[SIGNATURE_HEADER] == sign_request(SECRET, "GET", target, b"", TS)
    unsigned_query = sign_request(SECRET, "GET", target.split("?")[0], b"", TS)
    assert request.headers[SIGNATURE_HEADER] != unsigned_query


def test_json_body_is_signed_over_the_exact_bytes() -> None:
    request = httpx.Request("POST", BASE + "/api/v1/upload-sessions", json={"a": 1})
    sign_httpx_request(request, SECRET, now=_clock)
    expected = sign_request(SECRET, "POST", "/api/v1/upload-sessions", request.content, TS)
    assert request.headers[SIGNATURE_HEADER] == expected


class _TrackingFile(io.BytesIO):
    """A file that records whether anyone read it."""

    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def test_multipart_is_left_untouched_and_unread() -> None:
    upload = _TrackingFile(b"\x89PNG" * 1000)
    request = httpx.Request(
        "POST", BASE + "/api/v1/upload/u/images", files={"file": ("a.png", upload, "image/png")}
    )
    sign_httpx_request(request, SECRET, now=_clock)
    assert SIGNATURE_HEADER not in request.headers
    assert TIMESTAMP_HEADER not in request.headers
    assert upload.reads == 0


def test_multipart_content_type_is_skipped_even_when_in_memory() -> None:
    request = httpx.Request(
        "POST",
        BASE + "/api/v1/upload/u/images",
        content=b"--b\r\n\r\n--b--\r\n",
        headers={"Content-Type": "Multipart/Form-Data; boundary=b"},
    )
    sign_httpx_request(request, SECRET, now=_clock)
    assert SIGNATURE_HEADER not in request.headers


def test_streaming_body_is_skipped_and_not_consumed() -> None:
    consumed: list[bytes] = []

    def chunks() -> Iterator[bytes]:
        consumed.append(b"x")
        yield b"data"

    request = httpx.Request("POST", BASE + "/api/v1/x", content=chunks())
    sign_httpx_request(request, SECRET, now=_clock)
    assert SIGNATURE_HEADER not in request.headers
    assert consumed == []


def test_resigning_replaces_headers_with_a_fresh_timestamp() -> None:
    request = httpx.Request(
        "GET",
        BASE + "/api/v1/uploads/abc",
        headers=[(SIGNATURE_HEADER, "sha256=old"), (SIGNATURE_HEADER, "sha256=older")],
    )
    sign_httpx_request(request, SECRET, now=lambda: TS)
    sign_httpx_request(request, SECRET, now=lambda: TS + 30)
    assert request.headers.get_list(SIGNATURE_HEADER) == [
        sign_request(SECRET, "GET", "/api/v1/uploads/abc", b"", TS + 30)
    ]
    assert request.headers.get_list(TIMESTAMP_HEADER) == [str(TS + 30)]


def test_the_clients_signing_hook_hides_the_secret_and_an_empty_one_is_refused() -> None:
    client = Apertur("aptr_test_k", signing_secret=SECRET)
    sign = client._http._transport._sign  # type: ignore[attr-defined]
    assert sign is not None
    assert SECRET not in repr(sign)
    assert SECRET[:8] not in repr(sign)
    with pytest.raises(InvalidInputError) as info:
        sign_request("", "GET", "/", b"", TS)
    assert "empty" in str(info.value)
    with pytest.raises(InvalidInputError):
        Apertur("aptr_test_k", signing_secret="")


def _check_signed(request: httpx.Request) -> httpx.Response:
    ts = int(request.headers[TIMESTAMP_HEADER])
    target = request.url.raw_path.decode()
    expected = sign_request(SECRET, request.method, target, request.content, ts)
    return httpx.Response(200 if request.headers[SIGNATURE_HEADER] == expected else 401)


def _signing_transport() -> RetryTransport:
    """The SDK's transport, signing every request as it passes."""
    sign = lambda request: sign_httpx_request(request, SECRET, now=_clock)  # noqa: E731
    return RetryTransport(httpx.MockTransport(_check_signed), sign=sign)


def test_requests_are_signed_as_they_pass_the_transport_sync() -> None:
    with httpx.Client(transport=_signing_transport()) as client:
        assert client.post(BASE + "/api/v1/upload-sessions", json={"a": 1}).status_code == 200
        assert client.get(BASE + "/api/v1/uploads", params={"page": 2}).status_code == 200


@pytest.mark.anyio
async def test_requests_are_signed_as_they_pass_the_transport_async() -> None:
    async with httpx.AsyncClient(transport=_signing_transport()) as client:
        response = await client.delete(BASE + "/api/v1/projects/p/keys/k")
        assert response.status_code == 200


@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"]),
    path=st.lists(
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=8), max_size=3
    ),
    params=st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=3),
    body=st.binary(max_size=64),
)
def test_httpx_signing_agrees_with_pure_function(
    method: str, path: list[str], params: dict[str, str], body: bytes
) -> None:
    url = httpx.URL(BASE + "/api/v1/" + "/".join(path), params=params)
    request = httpx.Request(method, url, content=body)
    sign_httpx_request(request, SECRET, now=_clock)
    target = request.url.raw_path.decode("ascii")
    assert request.headers[SIGNATURE_HEADER] == sign_request(SECRET, method, target, body, TS)


# --- webhook signing helpers (verified by the independent verifiers) ----------------------------


def test_webhook_header_helpers_verify() -> None:
    body = b'{"event":"test"}'
    assert verify_webhook_request(webhook_headers(body, "k"), body, "k")
    headers = event_headers(body, "k", timestamp=TS)
    assert headers["X-Apertur-Timestamp"] == str(TS)
    assert verify_event_request(headers, body, "k", now=TS)
    assert verify_event_request(event_headers(body, "k"), body, "k")  # defaults to now
    hex_key = "ab" * 24
    svix = svix_headers(body, hex_key, timestamp=TS)
    assert svix["svix-id"].startswith("msg_")
    assert svix["svix-id"] != svix_headers(body, hex_key, timestamp=TS)["svix-id"]
    assert verify_event_request(svix, body, hex_key, method="svix", now=TS)
    assert verify_event_request(svix_headers(body, hex_key), body, hex_key, method="svix")
