"""Tests for apertur_local._signatures: every §5 known-answer vector, plus independent oracles."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from apertur_local._signatures import (
    body_sha256_hex,
    event_signature_headers,
    image_signature,
    request_signature,
)

SIGNING_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


def test_image_signature_vector() -> None:
    assert (
        image_signature("test_secret", b'{"event":"test"}')
        == "sha256=14c2b69d0f7114b125aa4bc17be322d0f1f33be4ffa762e91b3cabfeb4295151"
    )


def test_image_signature_github_vector() -> None:
    # Same scheme as GitHub's X-Hub-Signature-256 (secret as UTF-8, body only).
    assert (
        image_signature("It's a Secret to Everybody", b"Hello, World!")
        == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


def test_hmac_sha256_event_vector() -> None:
    headers = event_signature_headers(
        "hmac_sha256", "test_secret", b'{"event":"test"}', timestamp=1700000000, message_id="m"
    )
    assert headers == {
        "X-Apertur-Signature": (
            "sha256=003af8b5da00850a82bb3e3b1797ec31a4b6db563da19e018c9950db581c3a65"
        ),
        "X-Apertur-Timestamp": "1700000000",
    }


def test_svix_event_vector() -> None:
    headers = event_signature_headers(
        "svix",
        "0123456789abcdef0123456789abcdef",
        b'{"event":"test"}',
        timestamp=1700000000,
        message_id="msg_abc123",
    )
    assert headers == {
        "svix-id": "msg_abc123",
        "svix-timestamp": "1700000000",
        "svix-signature": "v1,9K/gR6akudLgzgq58p5TKQ/V0g3AOnvWExAMoupbf9U=",
    }


def test_svix_agrees_with_standardwebhooks_on_hex_decoded_key() -> None:
    secret = "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0"
    body = b'{"test": 2432232314}'
    headers = event_signature_headers(
        "svix", secret, body, timestamp=1614265330, message_id="msg_p5jXN8AQM9LWM0D4loKWxJek"
    )
    assert headers["svix-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    oracle = Webhook(bytes.fromhex(secret)).sign(
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        datetime.fromtimestamp(1614265330, tz=UTC),
        body.decode(),
    )
    assert headers["svix-signature"] == oracle


def test_svix_rejects_non_hex_secret() -> None:
    with pytest.raises(ValueError, match="non-hexadecimal"):
        event_signature_headers("svix", "not hex", b"{}", timestamp=1, message_id="m")


def test_unknown_method_rejected() -> None:
    with pytest.raises(ValueError, match="unknown signature method"):
        event_signature_headers("md5", "s", b"{}", timestamp=1, message_id="m")  # type: ignore[arg-type]


def test_request_signature_post_vector() -> None:
    assert (
        request_signature(SIGNING_SECRET, "POST", "/api/v1/upload-sessions", b'{"a":1}', 1800000000)
        == "sha256=d5bf88c946aa6cf4397749eacd05cf058e6828878f9b1c84830cb7c07a234d3e"
    )


def test_request_signature_get_vector_and_method_case() -> None:
    expected = "sha256=f53cf714f69187170c4fdb22c53e0b53578dcbcb61e63b56948d5e1fd8294a3e"
    assert (
        request_signature(SIGNING_SECRET, "GET", "/api/v1/uploads/abc", b"", 1800000000) == expected
    )
    assert (
        request_signature(SIGNING_SECRET, "get", "/api/v1/uploads/abc", b"", 1800000000) == expected
    )


def test_request_signature_includes_query_string() -> None:
    target = "/api/v1/sessions?page=2&pageSize=5"
    signed = f"1800000000.GET.{target}.{hashlib.sha256(b'').hexdigest()}"
    expected = hmac.new(SIGNING_SECRET.encode(), signed.encode(), hashlib.sha256).hexdigest()
    assert request_signature(SIGNING_SECRET, "GET", target, b"", 1800000000) == "sha256=" + expected
    assert request_signature(SIGNING_SECRET, "GET", "/api/v1/sessions", b"", 1800000000) != (
        "sha256=" + expected
    )


def test_body_hash_of_empty_body() -> None:
    assert body_sha256_hex(b"").startswith("e3b0c442")
    assert body_sha256_hex(b"").endswith("b855")


def test_hmac_headers_independent_oracle() -> None:
    body = b'{"topic":"image.uploaded"}'
    headers = event_signature_headers("hmac_sha256", "k", body, timestamp=42, message_id="x")
    digest = hmac.new(b"k", b"42." + body, hashlib.sha256).hexdigest()
    assert headers["X-Apertur-Signature"] == "sha256=" + digest
    raw = base64.b64decode(
        event_signature_headers("svix", "00ff", body, timestamp=42, message_id="x")[
            "svix-signature"
        ][3:]
    )
    assert raw == hmac.new(b"\x00\xff", b"x.42." + body, hashlib.sha256).digest()
