"""openapi.yaml holds every endpoint of the wire facts exactly once, with its agreed operationId."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())
FACTS = ROOT.parent / "shared" / "api" / "apertur-api.md"
METHODS = ("get", "put", "post", "patch", "delete")

# (fact ref, method, path, operationId, tag) — transcribed from ../shared/api/apertur-api.md §1.
ENDPOINTS = [
    ("S1", "POST", "/api/v1/upload-sessions", "createSession", "sessions"),
    ("S2", "GET", "/api/v1/upload/{uuid}/session", "getSession", "sessions"),
    ("S3", "PATCH", "/api/v1/upload-sessions/{uuid}", "updateSession", "sessions"),
    ("S4", "POST", "/api/v1/upload/{uuid}/verify-password", "verifySessionPassword", "sessions"),
    ("S5", "GET", "/api/v1/upload-sessions/{uuid}/qr", "getSessionQr", "sessions"),
    (
        "S6",
        "GET",
        "/api/v1/upload-sessions/{uuid}/delivery-status",
        "getDeliveryStatus",
        "sessions",
    ),
    ("S7", "POST", "/api/v1/upload-sessions/{uuid}/share", "shareSession", "sessions"),
    ("S8", "GET", "/api/v1/sessions", "listSessions", "sessions"),
    ("S9", "GET", "/api/v1/sessions/recent", "listRecentSessions", "sessions"),
    ("U1", "POST", "/api/v1/upload/{uuid}/images", "uploadImage", "upload"),
    ("H1", "GET", "/api/v1/uploads", "listUploads", "uploads"),
    ("H2", "GET", "/api/v1/uploads/recent", "listRecentUploads", "uploads"),
    ("H3", "GET", "/api/v1/uploads/{recordId}/download", "downloadUpload", "uploads"),
    ("P1", "GET", "/api/v1/upload-sessions/{uuid}/poll", "pollImages", "polling"),
    (
        "P2",
        "GET",
        "/api/v1/upload-sessions/{uuid}/images/{imageId}",
        "downloadPolledImage",
        "polling",
    ),
    ("P3", "POST", "/api/v1/upload-sessions/{uuid}/images/{imageId}/ack", "ackImage", "polling"),
    ("D1", "GET", "/api/v1/projects/{projectId}/destinations", "listDestinations", "destinations"),
    (
        "D2",
        "POST",
        "/api/v1/projects/{projectId}/destinations",
        "createDestination",
        "destinations",
    ),
    (
        "D3",
        "PATCH",
        "/api/v1/projects/{projectId}/destinations/{destId}",
        "updateDestination",
        "destinations",
    ),
    (
        "D4",
        "DELETE",
        "/api/v1/projects/{projectId}/destinations/{destId}",
        "deleteDestination",
        "destinations",
    ),
    (
        "D5",
        "POST",
        "/api/v1/projects/{projectId}/destinations/{destId}/test",
        "testDestination",
        "destinations",
    ),
    ("K1", "GET", "/api/v1/projects/{projectId}/keys", "listApiKeys", "keys"),
    ("K2", "POST", "/api/v1/projects/{projectId}/keys", "createApiKey", "keys"),
    ("K3", "PATCH", "/api/v1/projects/{projectId}/keys/{keyId}", "updateApiKey", "keys"),
    ("K4", "DELETE", "/api/v1/projects/{projectId}/keys/{keyId}", "deleteApiKey", "keys"),
    ("K5", "PUT", "/api/v1/keys/{keyId}/destinations", "setApiKeyDestinations", "keys"),
    ("W1", "GET", "/api/v1/projects/{projectId}/webhooks", "listWebhooks", "webhooks"),
    ("W2", "POST", "/api/v1/projects/{projectId}/webhooks", "createWebhook", "webhooks"),
    (
        "W3",
        "PATCH",
        "/api/v1/projects/{projectId}/webhooks/{webhookId}",
        "updateWebhook",
        "webhooks",
    ),
    (
        "W4",
        "DELETE",
        "/api/v1/projects/{projectId}/webhooks/{webhookId}",
        "deleteWebhook",
        "webhooks",
    ),
    (
        "W5",
        "POST",
        "/api/v1/projects/{projectId}/webhooks/{webhookId}/test",
        "testWebhook",
        "webhooks",
    ),
    (
        "W6",
        "GET",
        "/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries",
        "listWebhookDeliveries",
        "webhooks",
    ),
    (
        "W7",
        "POST",
        "/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry",
        "retryWebhookDelivery",
        "webhooks",
    ),
    ("E1", "GET", "/api/v1/encryption/server-key", "getServerKey", "encryption"),
    ("T1", "GET", "/api/v1/stats", "getStats", "stats"),
]


def _operations() -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_spec_has_exactly_the_fact_endpoints() -> None:
    spec_pairs = sorted((m, p) for m, p, _ in _operations())
    expected = sorted((m, p) for _, m, p, _, _ in ENDPOINTS)
    assert spec_pairs == expected  # each once, nothing extra, nothing missing


@pytest.mark.parametrize(("ref", "method", "path", "operation_id", "tag"), ENDPOINTS)
def test_operation_id_and_single_tag(
    ref: str, method: str, path: str, operation_id: str, tag: str
) -> None:
    op = SPEC["paths"][path][method.lower()]
    assert op["operationId"] == operation_id, ref
    assert op["tags"] == [tag], ref


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in _operations()]
    assert len(ids) == len(set(ids))


UPLOAD_PAGE_OPERATIONS = {"getSession", "verifySessionPassword", "uploadImage"}
"""The upload page's operations: the key is optional there (the session id is the capability)."""


@pytest.mark.parametrize(("method", "path", "op"), _operations(), ids=lambda v: str(v)[:40])
def test_every_operation_is_protected_and_documents_errors(
    method: str, path: str, op: dict
) -> None:
    if op["operationId"] in UPLOAD_PAGE_OPERATIONS:
        assert path.startswith("/api/v1/upload/{uuid}/")
        assert op["security"] == [{"bearerAuth": []}, {}]
    else:
        assert op.get("security", SPEC["security"]) == [{"bearerAuth": []}]
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
def test_table_matches_the_facts_file() -> None:
    rows = re.findall(r"^\| ([SUHPDKWET][0-9]) \| `([A-Z]+) ([^`]+)`", FACTS.read_text(), re.M)
    facts = {(m, p) for ref, m, p in rows}
    assert facts == {(m, p) for _, m, p, _, _ in ENDPOINTS}


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
