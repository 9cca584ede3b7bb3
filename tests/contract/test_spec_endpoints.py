"""openapi.yaml holds every endpoint of the wire facts, each operation once, tagged and protected.

The list of operations is the spec itself: nothing here is a hand-kept copy of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())
FACTS = ROOT.parent / "shared" / "api" / "apertur-api.md"
METHODS = ("get", "put", "post", "patch", "delete")


def _operations() -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_every_operation_has_one_declared_tag() -> None:
    declared = {tag["name"] for tag in SPEC["tags"]}
    for method, path, op in _operations():
        assert len(op["tags"]) == 1, (method, path)
        assert op["tags"][0] in declared, (method, path)
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", op["operationId"]), (method, path)


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in _operations()]
    assert len(ids) == len(set(ids))


UPLOAD_PAGE_OPERATIONS = {
    "getSession",
    "verifySessionPassword",
    "uploadImage",
    "streamUploadEvents",
}
"""The upload page's operations: the key is optional there (the session id is the capability)."""

OTHER_SECURITY = {"streamSessionEvents": [{"bearerAuth": []}, {"tokenQuery": []}]}
"""Operations that take the key another way too (the event stream: a ``token`` query parameter
for clients that cannot set headers)."""


@pytest.mark.parametrize(("method", "path", "op"), _operations(), ids=lambda v: str(v)[:40])
def test_every_operation_is_protected_and_documents_errors(
    method: str, path: str, op: dict
) -> None:
    if op["operationId"] in UPLOAD_PAGE_OPERATIONS:
        assert path.startswith("/api/v1/upload/{uuid}/")
        assert op["security"] == [{"bearerAuth": []}, {}]
    else:
        expected = OTHER_SECURITY.get(op["operationId"], [{"bearerAuth": []}])
        assert op.get("security", SPEC["security"]) == expected
    responses = op["responses"]
    for status in ("401", "429", "500"):
        assert status in responses, f"{method} {path} lacks {status}"
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            name = response["$ref"].rsplit("/", 1)[-1]
            body = SPEC["components"]["responses"][name]
            assert body["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
    retry_after = SPEC["components"]["responses"]["TooManyRequests"]["headers"]
    assert "Retry-After" in retry_after


def test_every_schema_has_an_example() -> None:
    missing = [n for n, s in SPEC["components"]["schemas"].items() if "example" not in s]
    assert missing == []


@pytest.mark.skipif(not FACTS.exists(), reason="the shared facts are not beside this checkout")
def test_every_endpoint_of_the_facts_is_in_the_spec() -> None:
    text = FACTS.read_text()
    rows = re.findall(r"^\| ([SUHPDKWET][0-9]) \| `([A-Z]+) ([^`]+)`", text, re.M)
    # real-time rows name the transport first: | R1 | Server-Sent Events | `GET /path` | ...
    rows += re.findall(r"^\| (R[0-9]) \| [^|]+ \| `([A-Z]+) ([^`]+)`", text, re.M)
    facts = {(m, p) for ref, m, p in rows}
    assert len(facts) >= 30
    assert facts <= {(m, p) for m, p, _ in _operations()}


WIRE_NAMES = {
    # schema: fields whose exact casing the facts fix (snake_case here, camelCase there, mixed cases)
    "CreateSessionRequest": {
        "destination_ids",
        "long_polling",
        "expires_in_hours",
        "max_images",
        "allowed_mime_types",
        "max_image_dimension",
        "password",
        "expires_at",
    },
    "Session": {"expiresAt", "password_protected", "effectiveMaxImages", "e2ePublicKey"},
    "DeliveryStatus": {"status", "files", "lastChanged"},
    "DestinationDelivery": {"destination_id", "last_error", "attempts"},
    "SetKeyDestinationsRequest": {"destination_ids", "long_polling_enabled"},
    "KeyDestinationsResult": {"destinations", "longPollingEnabled"},
    "CreateApiKeyRequest": {"label", "maxImages", "allowedMimeTypes", "maxImageDimension"},
    "CreateApiKeyResult": {"key", "plainTextKey"},
    "CreateWebhookRequest": {
        "url",
        "topics",
        "signatureMethod",
        "maxRetries",
        "retryIntervals",
        "disableAfterFailures",
        "customHeaders",
    },
    "UploadResult": {"id", "filename", "size_bytes", "destinations", "long_polling"},
    "PollImage": {"id", "filename", "size_bytes", "mime_type", "source", "created_at"},
    "UploadRow": {"sizeBytes", "mimeType", "isEncrypted", "destinationsBreakdown"},
    "Stats": {"sessionsInRange", "sessionsThisMonth", "deliverySuccessRate", "topProjects"},
    "EncryptedEnvelope": {"encryptedKey", "iv", "encryptedData", "algorithm"},
    "WebhookDeliveriesPage": {"deliveries", "total", "page", "limit"},
}


@pytest.mark.parametrize(("schema", "fields"), sorted(WIRE_NAMES.items()))
def test_wire_names(schema: str, fields: set[str]) -> None:
    assert fields <= set(SPEC["components"]["schemas"][schema]["properties"])


def test_the_event_streams_are_the_two_sse_operations() -> None:
    """Only these answer text/event-stream (tests that call every operation leave them out)."""
    streams = set()
    for _, _, op in _operations():
        response = op["responses"].get("200", {})
        if "$ref" in response:
            response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
        if "text/event-stream" in response.get("content", {}):
            streams.add(op["operationId"])
    assert streams == {"streamUploadEvents", "streamSessionEvents"}


def test_the_streamed_encryption_envelope_is_the_specs_schema() -> None:
    """The upload envelope is framed by hand (it is streamed, never built whole): its fields, their
    order and the algorithm must be the spec's ``EncryptedEnvelope``, which the generated model reads."""
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from apertur_api.models import EncryptedEnvelope
    from apertur_ext._bodies.crypto import encrypt_image

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    envelope = encrypt_image(b"\xff\xd8 image bytes", pem)
    schema = SPEC["components"]["schemas"]["EncryptedEnvelope"]
    assert list(envelope) == list(schema["properties"]) == schema["required"]
    assert envelope["algorithm"] == schema["properties"]["algorithm"]["const"]
    assert EncryptedEnvelope.from_dict(json.loads(json.dumps(envelope))).encrypted_key
