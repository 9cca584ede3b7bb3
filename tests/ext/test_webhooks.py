"""Tests for the webhook signature schemes: known answers, every failure mode, properties and oracles.

Hypothesis profiles: "ci" (200 examples, the default) and "long" (10,000), selected with
HYPOTHESIS_PROFILE=long. They are applied per test here, so other modules are unaffected.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import standardwebhooks
import svix.webhooks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apertur_ext import (
    Webhook,
    WebhookFailure,
    event_headers,
    sign_event,
    sign_svix,
    sign_webhook,
    svix_headers,
    verify_event_request,
    verify_event_signature,
    verify_svix_signature,
    verify_webhook_request,
    verify_webhook_signature,
)
from apertur_ext._core.exceptions import InvalidInputError, WebhookVerificationError
from apertur_ext._webhooks.payloads import parse_event, parse_image_delivery

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile(
    "long", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "webhooks.json").read_text("utf-8"))
HEX = "0123456789abcdef0123456789abcdef"
TS = 1_700_000_000
BODY = b'{"event":"test"}'


# --- known-answer vectors ----------------------------------------------------------------------


@pytest.mark.parametrize("v", VECTORS["image"], ids=lambda v: v["name"])
def test_image_vectors(v: dict[str, str]) -> None:
    sig, body, secret = v["signature"], v["body"], v["secret"]
    assert sign_webhook(body, secret) == sig
    for presented in (sig, sig.removeprefix("sha256="), sig.upper(), "SHA256=" + sig[7:].upper()):
        assert verify_webhook_signature(body, presented, secret)
        assert verify_webhook_signature(body.encode(), presented, secret.encode())
    assert verify_webhook_request({"X-Apertur-Signature": sig}, body, secret)
    assert verify_webhook_request({"x-aptr-signature": sig}, body, secret)  # [docs] header name
    assert not verify_webhook_signature(body + " ", sig, secret)


@pytest.mark.parametrize("v", VECTORS["hmac_sha256"], ids=lambda v: v["name"])
def test_hmac_sha256_vectors(v: dict[str, str]) -> None:
    sig, ts, body, secret = v["signature"], v["timestamp"], v["body"], v["secret"]
    now = float(ts)
    assert sign_event(body, secret, ts) == sig
    assert verify_event_signature(body, ts, sig, secret, now=now)
    assert verify_event_signature(body, int(ts), sig.removeprefix("sha256="), secret, now=now)
    headers = {"X-Apertur-Signature": sig, "X-Apertur-Timestamp": ts}
    assert verify_event_request(headers, body, secret, now=now)
    assert Webhook(secret, clock=lambda: now).verify(body, headers) == body.encode()
    assert not verify_event_signature(body, str(int(ts) + 1), sig, secret, now=now)


@pytest.mark.parametrize("v", VECTORS["svix"], ids=lambda v: v["name"])
def test_svix_vectors(v: dict[str, str]) -> None:
    sig, ts, body, msg_id = v["signature"], v["timestamp"], v["body"], v["msg_id"]
    now = float(ts)
    secrets = [v["secret_hex"], v["secret_hex"].upper(), bytes.fromhex(v["secret_hex"])]
    secrets += [v["secret_whsec"]] if "secret_whsec" in v else []
    for secret in secrets:
        assert sign_svix(body, msg_id, ts, secret) == sig
        assert verify_svix_signature(body, msg_id, ts, sig, secret, now=now)
        assert verify_svix_signature(body, msg_id, ts, sig.removeprefix("v1,"), secret, now=now)
    headers = {"svix-id": msg_id, "svix-timestamp": ts, "svix-signature": sig}
    assert verify_event_request(headers, body, v["secret_hex"], method="svix", now=now)
    generic = {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": sig}
    assert verify_event_request(generic, body, v["secret_hex"], method="svix", now=now)
    assert not verify_svix_signature(body, msg_id + "x", ts, sig, v["secret_hex"], now=now)


# --- failure modes, each with its own code ------------------------------------------------------


def _event_webhook(method: str = "hmac_sha256", **kw: Any) -> Webhook:
    secret = HEX if method == "svix" else "test_secret"
    return Webhook(secret, method=method, clock=lambda: float(TS), **kw)  # type: ignore[arg-type]


def _signed(method: str, ts: int = TS) -> dict[str, str]:
    if method == "svix":
        return svix_headers(BODY, HEX, msg_id="msg_1", timestamp=ts)
    return event_headers(BODY, "test_secret", timestamp=ts)


def _code(webhook: Webhook, headers: dict[str, str], body: bytes = BODY) -> str | None:
    try:
        webhook.verify(body, headers)
    except WebhookVerificationError as exc:
        message, code = str(exc), exc.code
    else:
        return None
    assert message
    assert "test_secret" not in message
    assert HEX not in message
    return code


@pytest.mark.parametrize("method", ["hmac_sha256", "svix"])
@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, None),
        (300, None),
        (-300, None),
        (301, WebhookFailure.TIMESTAMP_TOO_NEW),
        (-301, WebhookFailure.TIMESTAMP_TOO_OLD),
        (10**9, WebhookFailure.TIMESTAMP_TOO_NEW),
        (-(10**9), WebhookFailure.TIMESTAMP_TOO_OLD),
    ],
)
def test_tolerance_boundaries_are_exact(method: str, offset: int, expected: str | None) -> None:
    assert _code(_event_webhook(method), _signed(method, TS + offset)) == expected
    assert _code(_event_webhook(method, tolerance=None), _signed(method, TS + offset)) is None


@pytest.mark.parametrize("method", ["hmac_sha256", "svix"])
@pytest.mark.parametrize(
    "ts", ["", "abc", "-1", " 1700000000", "1700000000.0", "١٧٠٠٠٠٠٠٠٠", "9" * 16]
)
def test_bad_timestamps(method: str, ts: str) -> None:
    headers = _signed(method)
    headers["svix-timestamp" if method == "svix" else "X-Apertur-Timestamp"] = ts
    expected = WebhookFailure.MISSING_HEADER if ts == "" else WebhookFailure.INVALID_TIMESTAMP
    assert _code(_event_webhook(method), headers) == expected


@pytest.mark.parametrize(
    ("method", "drop"),
    [
        ("hmac_sha256", "X-Apertur-Signature"),
        ("hmac_sha256", "X-Apertur-Timestamp"),
        ("svix", "svix-id"),
        ("svix", "svix-timestamp"),
        ("svix", "svix-signature"),
    ],
)
def test_missing_headers(method: str, drop: str) -> None:
    headers = _signed(method)
    del headers[drop]
    assert _code(_event_webhook(method), headers) == WebhookFailure.MISSING_HEADER
    assert _code(Webhook("s", method="image"), {}) == WebhookFailure.MISSING_HEADER


@pytest.mark.parametrize("method", ["hmac_sha256", "svix"])
def test_no_match_on_tampering(method: str) -> None:
    webhook = _event_webhook(method)
    assert _code(webhook, _signed(method), BODY + b" ") == WebhookFailure.NO_MATCHING_SIGNATURE
    headers = _signed(method)
    headers["svix-timestamp" if method == "svix" else "X-Apertur-Timestamp"] = str(TS + 1)
    assert _code(webhook, headers) == WebhookFailure.NO_MATCHING_SIGNATURE
    other = Webhook("f" * 32 if method == "svix" else "other", method=method, clock=lambda: TS)  # type: ignore[arg-type]
    assert _code(other, _signed(method)) == WebhookFailure.NO_MATCHING_SIGNATURE


def test_several_signatures_any_match_passes() -> None:
    good = sign_svix(BODY, "msg_1", TS, HEX)
    other = sign_svix(BODY, "msg_1", TS, "ab" * 16)
    check = lambda sig: verify_svix_signature(BODY, "msg_1", TS, sig, HEX, now=TS)  # noqa: E731
    assert check(f"{other} {good}")
    assert check(f"garbage v1,a,b v1, , v2,{good[3:]} {good}")
    assert check(f"v1a,{good[3:]}\t{good}")
    assert not check(f"{other} v2,{good[3:]} v1a,{good[3:]}")
    hex_good = sign_event(BODY, "k", TS)
    assert verify_event_signature(BODY, TS, f"sha256=00 nonsense {hex_good}", "k", now=TS)
    assert verify_webhook_signature(
        BODY, f"{sign_webhook(b'x', 'k')} {sign_webhook(BODY, 'k')}", "k"
    )


@pytest.mark.parametrize(
    "signature", ["", " ", "garbage", "v1,a,b", "v1,", ",", "v1,!!!", "sha256="]
)
def test_malformed_signatures_are_false(signature: str) -> None:
    assert not verify_svix_signature(BODY, "m", TS, signature, HEX, now=TS)
    assert not verify_event_signature(BODY, TS, signature, "k", now=TS)
    assert not verify_webhook_signature(BODY, signature, "k")


@pytest.mark.parametrize(
    ("secret", "svix_only"),
    [
        ("", False),
        (b"", False),
        ("not-hex", True),
        ("abc", True),
        ("whsec_", True),
        ("whsec_!!", True),
    ],
)
def test_unusable_secret_raises_without_echoing_it(secret: str | bytes, svix_only: bool) -> None:
    calls = [lambda: verify_svix_signature(BODY, "m", TS, "v1,x", secret, now=TS)]
    calls += [lambda: Webhook(secret, method="svix"), lambda: sign_svix(BODY, "m", TS, secret)]
    if not svix_only:
        calls += [
            lambda: verify_webhook_signature(BODY, "sha256=00", secret),
            lambda: verify_event_signature(BODY, TS, "sha256=00", secret, now=TS),
            lambda: verify_webhook_request({}, BODY, secret),
            lambda: Webhook(secret),
        ]
    for call in calls:
        with pytest.raises(WebhookVerificationError) as info:
            call()
        assert info.value.code == WebhookFailure.UNUSABLE_SECRET
        assert not secret or str(secret) not in str(info.value)


def test_webhook_object() -> None:
    webhook = Webhook("super-secret-value", tolerance=60)
    assert "super-secret" not in repr(webhook)
    assert repr(webhook) == "Webhook(method='hmac_sha256', tolerance=60)"
    with pytest.raises(InvalidInputError, match="unknown signature method"):
        Webhook("s", method="md5")  # type: ignore[arg-type]
    image = Webhook("test_secret", method="image")
    headers = httpx.Headers({"X-APERTUR-SIGNATURE": VECTORS["image"][0]["signature"]})
    assert image.verify(VECTORS["image"][0]["body"], headers) == BODY
    assert image.is_valid(BODY, headers)
    assert not image.is_valid(BODY + b"x", headers)


def test_non_utf8_body_and_lone_surrogates_never_raise() -> None:
    assert verify_webhook_signature(b"\xff\xfe", sign_webhook(b"\xff\xfe", "k"), "k")
    assert not verify_webhook_signature("\udc80", "sha256=" + "0" * 64, "k")
    assert not verify_svix_signature("\udc80", "\ud800", TS, "v1," + "A" * 43 + "=", HEX, now=TS)


# --- properties ---------------------------------------------------------------------------------

header_text = st.text(max_size=120) | st.sampled_from(["v1,", "sha256=", "v1," + "A" * 44, str(TS)])
text_secret = st.text(min_size=1, max_size=64)
key_bytes = st.binary(min_size=1, max_size=64)
timestamps = st.integers(min_value=0, max_value=10**12)


@PROFILE
@given(
    body=st.binary(max_size=64) | st.text(max_size=64),
    headers=st.dictionaries(
        st.sampled_from(
            [
                "X-Apertur-Signature",
                "x-apertur-timestamp",
                "svix-id",
                "SVIX-Timestamp",
                "svix-signature",
                "webhook-signature",
                "other",
            ]
        ),
        header_text,
    ),
    values=st.tuples(header_text, header_text, header_text),
    secret=st.text(max_size=40) | st.binary(max_size=40) | st.binary(max_size=32).map(bytes.hex),
    tolerance=st.none() | st.floats(min_value=0, allow_nan=False),
    now=st.floats(allow_nan=True, allow_infinity=True),
)
def test_verifiers_never_raise_except_for_unusable_secret(
    body: str | bytes,
    headers: dict[str, str],
    values: tuple[str, str, str],
    secret: str | bytes,
    tolerance: float | None,
    now: float,
) -> None:
    msg_id, ts, sig = values
    checks = [
        lambda: verify_webhook_signature(body, sig, secret),
        lambda: verify_event_signature(body, ts, sig, secret, tolerance=tolerance, now=now),
        lambda: verify_svix_signature(body, msg_id, ts, sig, secret, tolerance=tolerance, now=now),
        lambda: verify_webhook_request(headers, body, secret),
        lambda: verify_event_request(headers, body, secret, tolerance=tolerance, now=now),
        lambda: verify_event_request(headers, body, secret, method="svix", now=now),
    ]
    for check in checks:
        assert _outcome(check) in (True, False, WebhookFailure.UNUSABLE_SECRET)
    for method in ("image", "hmac_sha256", "svix"):
        built = _outcome(
            lambda: Webhook(secret, method=method, tolerance=tolerance, clock=lambda: now)
        )
        if isinstance(built, Webhook):
            result = _outcome(lambda: built.verify(body, headers))
            assert result == _to_bytes(body) or result in set(WebhookFailure) - {"unusable_secret"}
        else:
            assert built == WebhookFailure.UNUSABLE_SECRET


def _outcome(call: Callable[[], object]) -> object:
    """The call's result, or the code of the WebhookVerificationError it raised."""
    try:
        return call()
    except WebhookVerificationError as exc:
        return exc.code


def _to_bytes(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")


@PROFILE
@given(
    body=st.binary(max_size=256),
    secret=text_secret,
    key=key_bytes,
    ts=timestamps,
    msg_id=st.text(min_size=1, max_size=40),
    flip=st.integers(min_value=0),
)
def test_sign_verify_round_trip_and_tampering(
    body: bytes, secret: str, key: bytes, ts: int, msg_id: str, flip: int
) -> None:
    hex_key = key.hex()
    image, event, svx = (
        sign_webhook(body, secret),
        sign_event(body, secret, ts),
        sign_svix(body, msg_id, ts, hex_key),
    )
    assert verify_webhook_signature(body, image, secret)
    assert verify_event_signature(body, ts, event, secret, now=ts)
    assert verify_svix_signature(body, msg_id, ts, svx, hex_key, now=ts)
    assert verify_svix_signature(body, msg_id, ts, svx, key, now=ts)
    tampered = bytearray(body + b"\x00")
    tampered[flip % len(tampered)] ^= 0x01
    for other in (bytes(tampered), body + b"x"):
        assert not verify_webhook_signature(other, image, secret)
        assert not verify_event_signature(other, ts, event, secret, now=ts)
        assert not verify_svix_signature(other, msg_id, ts, svx, hex_key, now=ts)
    assert not verify_event_signature(body, ts + 1, event, secret, now=ts, tolerance=None)
    assert not verify_svix_signature(body, msg_id, ts + 1, svx, hex_key, tolerance=None)


@PROFILE
@given(
    ts=timestamps,
    delta=st.integers(min_value=-2000, max_value=2000),
    tolerance=st.integers(min_value=0, max_value=1000),
    extra=st.floats(min_value=0, max_value=0.999),
)
def test_tolerance_property(ts: int, delta: int, tolerance: int, extra: float) -> None:
    now = ts + delta + (extra if delta >= 0 else -extra)
    sig = sign_event(BODY, "k", ts)
    expected = abs(now - ts) <= tolerance
    assert verify_event_signature(BODY, ts, sig, "k", tolerance=tolerance, now=now) is expected
    svx = sign_svix(BODY, "m", ts, HEX)
    assert verify_svix_signature(BODY, "m", ts, svx, HEX, tolerance=tolerance, now=now) is expected


ORACLES = [standardwebhooks.Webhook, svix.webhooks.Webhook]


@pytest.mark.parametrize("oracle_cls", ORACLES, ids=["standardwebhooks", "svix"])
@PROFILE
@given(
    key=st.binary(min_size=1, max_size=64),
    body=st.text(max_size=200),
    msg_id=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40
    ),
    ts=st.integers(min_value=0, max_value=2**33),
)
def test_svix_signing_matches_oracle(
    oracle_cls: Any, key: bytes, body: str, msg_id: str, ts: int
) -> None:
    expected = oracle_cls(key).sign(msg_id, datetime.fromtimestamp(ts, tz=UTC), body)
    assert sign_svix(body, msg_id, ts, key.hex()) == expected
    assert verify_svix_signature(body, msg_id, ts, expected, key.hex(), now=ts)


@pytest.mark.parametrize("oracle_cls", ORACLES, ids=["standardwebhooks", "svix"])
@PROFILE
@given(
    key=st.binary(min_size=1, max_size=64),
    body=st.text(max_size=200),
    entries=st.lists(st.sampled_from(["good", "wrong", "v2", "v1a"]), max_size=4),
    skew=st.integers(min_value=-200, max_value=200),
)
def test_svix_verification_agrees_with_oracle(
    oracle_cls: Any, key: bytes, body: str, entries: list[str], skew: int
) -> None:
    # The oracles read the real clock; a 200 s skew stays well inside their fixed 300 s window.
    ts = int(time.time()) + skew
    body = json.dumps({"data": body})  # standardwebhooks parses the verified body as JSON
    good = sign_svix(body, "msg_1", ts, key.hex())
    wrong = sign_svix(body, "msg_2", ts, key.hex())
    forms = {"good": good, "wrong": wrong, "v2": "v2," + good[3:], "v1a": "v1a," + good[3:]}
    header = " ".join(forms[e] for e in entries) or wrong
    prefix = "svix" if oracle_cls is svix.webhooks.Webhook else "webhook"  # the oracle's names
    headers = {
        f"{prefix}-id": "msg_1",
        f"{prefix}-timestamp": str(ts),
        f"{prefix}-signature": header,
    }
    try:
        oracle_cls(key).verify(body, headers)
        oracle_ok = True
    except standardwebhooks.webhooks.WebhookVerificationError:
        oracle_ok = False
    ours = Webhook(key, method="svix", clock=lambda: float(ts)).is_valid(body, headers)
    assert ours is oracle_ok is ("good" in entries)
    ours_headers = svix_headers(body, key.hex(), msg_id="msg_9", timestamp=ts)
    renamed = {k.replace("svix", prefix): v for k, v in ours_headers.items()}
    oracle_cls(key).verify(body, renamed)  # raises if the oracle disagrees


def test_bytes_like_bodies_verify() -> None:
    body = b'{"event":"test"}'
    signature = "sha256=14c2b69d0f7114b125aa4bc17be322d0f1f33be4ffa762e91b3cabfeb4295151"
    assert verify_webhook_signature(bytearray(body), signature, "test_secret")
    assert verify_webhook_signature(memoryview(body), signature, "test_secret")


# --- what cannot be a request or a key: typed errors, never a raw TypeError ---------------------

_IMAGE_HEADERS = {"X-Apertur-Signature": "sha256=" + "0" * 64}
ENTRY_POINTS: dict[str, Callable[[Any, Any, Any], object]] = {
    "verify_webhook_signature": lambda body, headers, secret: verify_webhook_signature(
        body, "sha256=" + "0" * 64, secret
    ),
    "verify_event_signature": lambda body, headers, secret: verify_event_signature(
        body, TS, "sha256=" + "0" * 64, secret, now=TS
    ),
    "verify_svix_signature": lambda body, headers, secret: verify_svix_signature(
        body, "msg_1", TS, "v1," + "A" * 43, HEX if secret == "s" else secret, now=TS
    ),
    "verify_webhook_request": lambda body, headers, secret: verify_webhook_request(
        headers, body, secret
    ),
    "verify_event_request": lambda body, headers, secret: verify_event_request(
        headers, body, secret, now=TS
    ),
    "Webhook.verify": lambda body, headers, secret: Webhook(secret, method="image").verify(
        body, headers
    ),
    "Webhook.is_valid": lambda body, headers, secret: Webhook(secret).is_valid(body, headers),
    "parse_image_delivery": lambda body, headers, secret: parse_image_delivery(
        body, headers, secret
    ),
    "parse_event": lambda body, headers, secret: parse_event(body, headers, secret),
    "sign_webhook": lambda body, headers, secret: sign_webhook(body, secret),
    "sign_event": lambda body, headers, secret: sign_event(body, secret, TS),
    "sign_svix": lambda body, headers, secret: sign_svix(
        body, "msg_1", TS, HEX if secret == "s" else secret
    ),
}


def _code_of(call: Callable[[], object]) -> str | None:
    try:
        call()
    except WebhookVerificationError as exc:
        return exc.code
    return None


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("body", [None, 7, 1.5, {"event": "test"}, ["x"], object()])
def test_a_body_that_is_not_raw_bytes_is_a_typed_error(entry: str, body: object) -> None:
    call = ENTRY_POINTS[entry]
    code = _code_of(lambda: call(body, _IMAGE_HEADERS, "s"))
    assert code == WebhookFailure.UNUSABLE_BODY


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("secret", [7, 1.5, ["s"], object()])
def test_a_secret_that_is_not_text_or_bytes_is_a_typed_error(entry: str, secret: object) -> None:
    call = ENTRY_POINTS[entry]
    assert _code_of(lambda: call(BODY, _IMAGE_HEADERS, secret)) == WebhookFailure.UNUSABLE_SECRET


@pytest.mark.parametrize(
    "entry",
    ["verify_webhook_request", "verify_event_request", "Webhook.verify", "Webhook.is_valid"],
)
def test_headers_that_are_not_a_mapping_are_a_typed_error(entry: str) -> None:
    call = ENTRY_POINTS[entry]
    for headers in ([("X-Apertur-Signature", "x")], "X-Apertur-Signature: x", 7):
        assert _code_of(lambda: call(BODY, headers, "s")) == WebhookFailure.UNUSABLE_HEADERS  # noqa: B023
    assert _code_of(lambda: call(BODY, None, "s")) in (None, WebhookFailure.MISSING_HEADER)


class _OnlyGet:
    """Has ``get`` but not ``items``: not a mapping of headers."""

    def get(self, name: str) -> None:
        return None


def test_typed_errors_say_what_is_wrong() -> None:
    def failure(call: Callable[[], object]) -> tuple[str | None, str]:
        with pytest.raises(WebhookVerificationError) as info:
            call()
        return info.value.code, str(info.value)

    assert failure(lambda: verify_webhook_request(_OnlyGet(), BODY, "s")) == (  # type: ignore[arg-type]
        "unusable_headers",
        "Webhook headers must be a mapping of names to values, not _OnlyGet",
    )
    assert failure(lambda: Webhook("s").verify(BODY, [("a", "b")])) == (  # type: ignore[arg-type]
        "unusable_headers",
        "Webhook headers must be a mapping of names to values, not list",
    )
    assert failure(lambda: verify_webhook_signature(7, "sha256=00", "s")) == (  # type: ignore[arg-type]
        "unusable_body",
        "Webhook body must be the raw request body (bytes or str), not int",
    )
    assert failure(lambda: verify_webhook_signature(BODY, "sha256=00", 1.5)) == (  # type: ignore[arg-type]
        "unusable_secret",
        "Webhook secret must be bytes or str, not float",
    )
    with pytest.raises(InvalidInputError) as info:
        verify_event_signature(BODY, TS, "sha256=00", "s", tolerance="300")  # type: ignore[arg-type]
    assert str(info.value) == "tolerance must be a number of seconds >= 0, or None"
    with pytest.raises(InvalidInputError) as info:
        verify_event_signature(BODY, TS, "sha256=00", "s", now="now")  # type: ignore[arg-type]
    assert str(info.value) == "tolerance and now must be numbers of seconds"


def test_header_values_of_other_types_never_raise() -> None:
    signature = sign_webhook(BODY, "s")
    assert verify_webhook_signature(BODY, signature.encode(), "s")  # bytes from raw ASGI headers
    assert not verify_webhook_signature(BODY, 7, "s")  # type: ignore[arg-type]
    assert not verify_webhook_request({"X-Apertur-Signature": None}, BODY, "s")  # type: ignore[dict-item]


@pytest.mark.parametrize("tolerance", [-1, -0.5, math.nan, True])
def test_a_negative_or_nan_tolerance_is_invalid_input(tolerance: float) -> None:
    """Not a silent False: a tolerance below zero can never be met."""
    signature = sign_event(BODY, "s", timestamp=TS)
    for verify in (
        lambda: verify_event_signature(BODY, TS, signature, "s", tolerance=tolerance, now=TS),
        lambda: verify_event_request(
            event_headers(BODY, "s", timestamp=TS), BODY, "s", tolerance=tolerance
        ),
        lambda: Webhook("s", tolerance=tolerance),
    ):
        with pytest.raises(InvalidInputError, match="tolerance must be a number"):
            verify()


def test_a_tolerance_or_clock_that_is_not_a_number_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="tolerance"):
        verify_event_signature(BODY, TS, "sha256=" + "0" * 64, "s", tolerance="300")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="tolerance"):
        Webhook("s", clock=lambda: "now").is_valid(BODY, event_headers(BODY, "s", timestamp=TS))  # type: ignore[arg-type, return-value]


# --- the public failure codes and secret encodings ---------------------------------------------


def test_failure_codes_are_the_documented_strings() -> None:
    """Handlers branch on ``exc.code``: the strings themselves are the public contract."""
    assert [failure.value for failure in WebhookFailure] == [
        "missing_header",
        "invalid_timestamp",
        "timestamp_too_old",
        "timestamp_too_new",
        "no_matching_signature",
        "unusable_secret",
        "unusable_body",
        "unusable_headers",
    ]
    headers = _signed("hmac_sha256")
    headers["X-Apertur-Timestamp"] = "soon"
    with pytest.raises(WebhookVerificationError) as info:
        _event_webhook().verify(BODY, headers)
    assert info.value.code == "invalid_timestamp"
    assert str(info.value) == "Webhook verification failed: invalid timestamp"
    assert _code(_event_webhook(), _signed("hmac_sha256", TS - 301)) == "timestamp_too_old"
    assert _code(_event_webhook(), _signed("hmac_sha256", TS + 301)) == "timestamp_too_new"
    assert _code(_event_webhook(), {}) == "missing_header"
    assert _code(_event_webhook(), _signed("hmac_sha256"), b"x") == "no_matching_signature"


@pytest.mark.parametrize("method", ["hmac_sha256", "svix"])
def test_a_nan_clock_reads_as_too_old(method: str) -> None:
    secret = HEX if method == "svix" else "test_secret"
    webhook = Webhook(secret, method=method, clock=lambda: float("nan"))  # type: ignore[arg-type]
    assert _code(webhook, _signed(method)) == "timestamp_too_old"
    assert not webhook.is_valid(BODY, _signed(method))


KEY = bytes(range(24))  # 24 bytes: 32 base64 characters, no padding
KEY_31 = bytes(range(31))  # 31 bytes: 44 characters, two of them "=" padding
KEY_32 = bytes(range(32))  # 32 bytes: 44 characters, one of them "=" padding


@pytest.mark.parametrize(
    "key", [KEY, KEY_31, KEY_32], ids=["no-padding-needed", "padded-twice", "padded-once"]
)
def test_whsec_secrets_verify_with_or_without_padding(key: bytes) -> None:
    encoded = base64.b64encode(key).decode()
    signature = sign_svix(BODY, "msg_1", TS, key.hex())
    for secret in ("whsec_" + encoded, "whsec_" + encoded.rstrip("=")):
        assert sign_svix(BODY, "msg_1", TS, secret) == signature
        assert verify_svix_signature(BODY, "msg_1", TS, signature, secret, now=TS)


@pytest.mark.parametrize(
    "tail",
    [
        base64.urlsafe_b64encode(b"\xfb\xff" * 12).decode(),  # URL-safe alphabet: "-" and "_"
        base64.b64encode(KEY).decode()[:-1] + " ",  # a space
        base64.b64encode(KEY).decode() + "\n",  # a line break
        "QUJD=REVG",  # padding in the middle
        "QUJDR",  # a length no padding completes
    ],
    ids=["urlsafe", "space", "newline", "inner-padding", "bad-length"],
)
def test_whsec_secrets_must_be_strict_standard_base64(tail: str) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        Webhook("whsec_" + tail, method="svix")
    assert info.value.code == "unusable_secret"
    assert str(info.value) == "Svix secret after 'whsec_' is not valid base64"


def test_unusable_secret_messages_say_what_is_wrong() -> None:
    def message(secret: str | bytes, method: str = "svix") -> str:
        with pytest.raises(WebhookVerificationError) as info:
            Webhook(secret, method=method)  # type: ignore[arg-type]
        assert info.value.code == "unusable_secret"
        return str(info.value)

    assert message("") == "Webhook secret is empty"
    assert message("", "hmac_sha256") == "Webhook secret is empty"
    assert message("whsec_") == "Webhook secret decodes to an empty key"
    assert message("xyz") == "Svix secret must be the key as hex (or 'whsec_' + base64)"


def test_without_a_clock_argument_the_current_time_is_used() -> None:
    now = int(time.time())
    assert verify_event_signature(BODY, now, sign_event(BODY, "k", now), "k")
    assert not verify_event_signature(BODY, now - 3600, sign_event(BODY, "k", now - 3600), "k")
    svix_now = sign_svix(BODY, "msg_1", now, HEX)
    assert verify_svix_signature(BODY, "msg_1", now, svix_now, HEX)


def test_signing_helpers_default_to_now_and_a_fresh_message_id() -> None:
    before = int(time.time())
    event = event_headers(BODY, "k")
    svix = svix_headers(BODY, HEX)
    after = int(time.time())
    assert before <= int(event["X-Apertur-Timestamp"]) <= after
    assert before <= int(svix["svix-timestamp"]) <= after
    assert re.fullmatch(r"msg_[0-9a-f]{24}", svix["svix-id"])
    assert svix_headers(BODY, HEX)["svix-id"] != svix["svix-id"]
    assert verify_event_request(event, BODY, "k")
    assert verify_event_request(svix, BODY, HEX, method="svix")
