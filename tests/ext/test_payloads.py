"""Tests for apertur_ext._webhooks.payloads: verify-then-parse of image deliveries, event webhooks and
Socket.IO payloads; §5 vectors, tampering, malformed bodies, case-insensitive headers."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apertur_api.models.event_envelope import EventEnvelope
from apertur_api.models.image_webhook_payload import ImageWebhookPayload
from apertur_api.models.realtime_image_event import RealtimeImageEvent
from apertur_ext import event_headers, svix_headers, webhook_headers
from apertur_ext._core.exceptions import InvalidInputError, WebhookVerificationError
from apertur_ext._webhooks.payloads import (
    INVALID_PAYLOAD,
    decode_image_data,
    parse_event,
    parse_image_delivery,
    parse_realtime_event,
)

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "webhooks.json").read_text("utf-8"))
SECRET = "whsec_test_secret"
HEX = "0123456789abcdef0123456789abcdef"
TS = 1_700_000_000
IMAGE = b"\xff\xd8\xff\xe0 jpeg bytes"
IMAGE_BODY = {
    "session_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "image_id": "img_1",
    "image_index": 0,
    "mime_type": "image/jpeg",
    "filename": "photo.jpg",
    "size_bytes": len(IMAGE),
    "data": base64.b64encode(IMAGE).decode(),
    "tags": ["order-1234"],
}
EVENT_BODY = {
    "id": "evt_1",
    "event": "image.uploaded",
    "topic": "image.uploaded",
    "project_id": "proj_1",
    "data": {
        "id": "img_1",
        "size_bytes": 3,
        "session_id": "s",
        "metadata": {"k": 1},
        "error": None,
    },
    "timestamp": "2026-12-01T09:45:03.000Z",
}


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


class OddHeaders(Mapping[str, str]):
    """A read-only mapping whose keys keep odd casing and whose .get is case-sensitive."""

    def __init__(self, data: dict[str, str]) -> None:
        self._data = {k.upper(): v for k, v in data.items()}

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


# --- image deliveries ---------------------------------------------------------------------------


def test_image_delivery_roundtrip() -> None:
    body = dumps(IMAGE_BODY)
    payload = parse_image_delivery(body, webhook_headers(body, SECRET), SECRET)
    assert isinstance(payload, ImageWebhookPayload)
    assert (payload.session_id, payload.image_id, payload.tags) == (
        IMAGE_BODY["session_id"],
        "img_1",
        ["order-1234"],
    )
    assert decode_image_data(payload) == IMAGE
    assert payload.to_dict() == IMAGE_BODY


@pytest.mark.parametrize("headers_type", [dict, OddHeaders])
def test_image_delivery_headers_any_case(headers_type: Any) -> None:
    body = dumps(IMAGE_BODY).decode()
    sig = webhook_headers(body, SECRET)["X-Apertur-Signature"]
    headers = headers_type({"x-APERTUR-signature": sig})
    assert parse_image_delivery(body, headers, SECRET).image_id == "img_1"


@pytest.mark.parametrize("v", VECTORS["image"], ids=lambda v: v["name"])
def test_image_vectors_verify_then_need_json(v: dict[str, str]) -> None:
    """The §5.1 vectors verify; their bodies are not image payloads, so parsing rejects them."""
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(v["body"], {"X-Apertur-Signature": v["signature"]}, v["secret"])
    assert exc.value.code == INVALID_PAYLOAD
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(v["body"] + " ", {"X-Apertur-Signature": v["signature"]}, v["secret"])
    assert exc.value.code == "no_matching_signature"


def test_tampered_body_is_rejected_before_parsing() -> None:
    body = dumps(IMAGE_BODY)
    headers = webhook_headers(body, SECRET)
    tampered = body.replace(b"img_1", b"img_2")
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(tampered, headers, SECRET)
    assert exc.value.code == "no_matching_signature"
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(body, headers, SECRET + "x")
    assert exc.value.code == "no_matching_signature"
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(body, {}, SECRET)
    assert exc.value.code == "missing_header"


def test_unusable_secret() -> None:
    with pytest.raises(WebhookVerificationError) as exc:
        parse_image_delivery(b"{}", {"X-Apertur-Signature": "sha256=00"}, "")
    assert exc.value.code == "unusable_secret"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b"[]", "not a JSON object"),
        (dumps({**IMAGE_BODY, "data": None}), "'data' has the wrong type"),
        (dumps({k: v for k, v in IMAGE_BODY.items() if k != "image_id"}), "'image_id' is missing"),
        (dumps({**IMAGE_BODY, "size_bytes": "3"}), "'size_bytes'"),
        (dumps({**IMAGE_BODY, "size_bytes": True}), "'size_bytes'"),
        (dumps({**IMAGE_BODY, "tags": ["a", 1]}), "'tags'"),
    ],
)
def test_malformed_authentic_body(body: bytes, match: str) -> None:
    with pytest.raises(WebhookVerificationError, match=match) as exc:
        parse_image_delivery(body, webhook_headers(body, SECRET), SECRET)
    assert exc.value.code == INVALID_PAYLOAD
    assert SECRET not in str(exc.value)
    assert SECRET not in repr(exc.value)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"data": "not base64!"}, "base64"),
        ({"size_bytes": 1}, "size_bytes"),
        ({"data": "QQ"}, "base64"),
    ],
)
def test_decode_image_data_rejects(changes: dict[str, Any], match: str) -> None:
    payload = ImageWebhookPayload.from_dict({**IMAGE_BODY, **changes})
    with pytest.raises(WebhookVerificationError, match=match):
        decode_image_data(payload)


def test_decode_without_size() -> None:
    body = {k: v for k, v in IMAGE_BODY.items() if k != "size_bytes"}
    assert decode_image_data(ImageWebhookPayload.from_dict(body)) == IMAGE


def test_unknown_fields_are_kept() -> None:
    body = dumps({**IMAGE_BODY, "future": {"x": 1}})
    payload = parse_image_delivery(body, webhook_headers(body, SECRET), SECRET)
    assert payload["future"] == {"x": 1}


# --- event webhooks -----------------------------------------------------------------------------


def test_event_hmac_roundtrip() -> None:
    body = dumps(EVENT_BODY)
    headers = event_headers(body, SECRET, timestamp=TS)
    env = parse_event(body, headers, SECRET, clock=lambda: TS + 10)
    assert isinstance(env, EventEnvelope)
    assert env.topic == "image.uploaded"
    assert env.data.size_bytes == 3
    assert env.data.metadata.to_dict() == {"k": 1}  # type: ignore[union-attr]
    assert env.timestamp.year == 2026  # type: ignore[union-attr]


def test_event_svix_roundtrip_with_whsec_and_any_case() -> None:
    body = dumps(EVENT_BODY)
    headers = {
        k.upper(): v for k, v in svix_headers(body, HEX, msg_id="msg_1", timestamp=TS).items()
    }
    env = parse_event(body, OddHeaders(headers), HEX, method="svix", clock=lambda: TS)
    assert env.id == "evt_1"
    whsec = "whsec_" + base64.b64encode(bytes.fromhex(HEX)).decode()
    assert parse_event(body, headers, whsec, method="svix", clock=lambda: TS).id == "evt_1"


def test_event_vectors_verify_then_need_envelope() -> None:
    v = VECTORS["hmac_sha256"][0]
    headers = {"X-Apertur-Signature": v["signature"], "X-Apertur-Timestamp": v["timestamp"]}
    with pytest.raises(WebhookVerificationError) as exc:  # {"event":"test"} has no "data"
        parse_event(v["body"], headers, v["secret"], tolerance=None)
    assert exc.value.code == INVALID_PAYLOAD
    assert "'data' is missing" in str(exc.value)
    s = VECTORS["svix"][0]
    sh = {
        "svix-id": s["msg_id"],
        "svix-timestamp": s["timestamp"],
        "svix-signature": s["signature"],
    }
    with pytest.raises(WebhookVerificationError) as exc:
        parse_event(s["body"], sh, s["secret_hex"], method="svix", tolerance=None)
    assert exc.value.code == INVALID_PAYLOAD
    with pytest.raises(WebhookVerificationError) as exc:
        parse_event(s["body"] + "x", sh, s["secret_hex"], method="svix", tolerance=None)
    assert exc.value.code == "no_matching_signature"


@pytest.mark.parametrize(
    ("now", "code"), [(TS + 301, "timestamp_too_old"), (TS - 301, "timestamp_too_new")]
)
def test_event_tolerance(now: int, code: str) -> None:
    body = dumps(EVENT_BODY)
    headers = event_headers(body, SECRET, timestamp=TS)
    with pytest.raises(WebhookVerificationError) as exc:
        parse_event(body, headers, SECRET, clock=lambda: now)
    assert exc.value.code == code
    assert parse_event(body, headers, SECRET, tolerance=None, clock=lambda: now).id == "evt_1"
    assert parse_event(body, headers, SECRET, tolerance=1000, clock=lambda: now).id == "evt_1"


def test_event_wrong_method_headers() -> None:
    body = dumps(EVENT_BODY)
    with pytest.raises(WebhookVerificationError) as exc:
        parse_event(
            body, event_headers(body, HEX, timestamp=TS), HEX, method="svix", clock=lambda: TS
        )
    assert exc.value.code == "missing_header"


def test_event_unknown_method() -> None:
    with pytest.raises(InvalidInputError):
        parse_event(b"{}", {}, SECRET, method="image")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"data": []},
        {"data": {"size_bytes": "3"}},
        {"data": {"tags": "a"}},
        {"data": {"metadata": []}},
        {"data": {"error": 5}},
        {"timestamp": "yesterday"},
        {"timestamp": 1700000000},
        {"topic": 1},
    ],
)
def test_event_malformed(changes: dict[str, Any]) -> None:
    body = dumps({**EVENT_BODY, **changes})
    with pytest.raises(WebhookVerificationError) as exc:
        parse_event(body, event_headers(body, SECRET, timestamp=TS), SECRET, clock=lambda: TS)
    assert exc.value.code == INVALID_PAYLOAD


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=12), c, max_size=4),
        max_leaves=12,
    )
)
def test_any_json_never_escapes_raw_errors(obj: Any) -> None:
    """Whatever authentic JSON arrives: a model or WebhookVerificationError, nothing else."""
    for top in (obj, {**EVENT_BODY, "data": obj}, {**IMAGE_BODY, "tags": obj}):
        body = dumps(top)
        try:
            parse_image_delivery(body, webhook_headers(body, SECRET), SECRET)
        except WebhookVerificationError:
            pass
        try:
            parse_event(body, event_headers(body, SECRET, timestamp=TS), SECRET, clock=lambda: TS)
        except WebhookVerificationError:
            pass
        parse_realtime_event(top)


# --- realtime payloads --------------------------------------------------------------------------


def test_realtime_event() -> None:
    raw = {"sessionId": "s", "imageId": "i", "sizeBytes": 3, "error": None, "extra": 1}
    event = parse_realtime_event(raw)
    assert isinstance(event, RealtimeImageEvent)
    assert (event.session_id, event.image_id, event.size_bytes, event["extra"]) == ("s", "i", 3, 1)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "x",
        [],
        {},
        {"sessionId": "s"},
        {"sessionId": "s", "imageId": 1},
        {"sessionId": "s", "imageId": "i", "sizeBytes": "3"},
    ],
)
def test_realtime_event_invalid(raw: Any) -> None:
    assert parse_realtime_event(raw) is None
