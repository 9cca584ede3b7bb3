"""End to end, sync and async: destinations, keys, webhooks, encryption and stats."""

from __future__ import annotations

from typing import Any

import pytest

from apertur_api.models import (
    ApiKey,
    CreateApiKeyResult,
    Destination,
    DestinationTestResult,
    EventWebhook,
    MessageResult,
    ServerKey,
    Stats,
    WebhookDeliveriesPage,
)
from apertur_ext import NotFoundError, load_public_key


def test_destinations_crud(client: Any, apertur_local: Any) -> None:
    project = apertur_local.project_id
    created = client.destinations.create(
        project, type="s3", name="Primary", config={"bucket": "b", "region": "r"}
    )
    assert isinstance(created, Destination)
    assert created.name == "Primary"
    assert [d.id for d in client.destinations.list(project)] == [created.id]
    updated = client.destinations.update(project, created.id, name="Renamed", is_active=False)
    assert updated.name == "Renamed"
    assert updated.is_active is False
    assert isinstance(client.destinations.test(project, created.id), DestinationTestResult)
    assert client.destinations.delete(project, created.id) is None
    assert client.destinations.list(project) == []
    with pytest.raises(NotFoundError):
        client.destinations.delete(project, created.id)


def test_keys_crud_and_destinations(client: Any, apertur_local: Any) -> None:
    project = apertur_local.project_id
    dest = client.destinations.create(project, type="s3", name="d", config={"bucket": "b"})
    created = client.keys.create(project, label="Mobile", max_images=10)
    assert isinstance(created, CreateApiKeyResult)
    assert created.plain_text_key
    key_id = created.key.id
    assert key_id in {k.id for k in client.keys.list(project)}
    updated = client.keys.update(project, key_id, label="Mobile v2", allowed_ips=["127.0.0.1"])
    assert isinstance(updated, ApiKey)
    assert updated.label == "Mobile v2"
    assert client.keys.set_destinations(key_id, [dest.id], True).long_polling_enabled is True
    # Not given: long polling stays as it was (the official SDKs silently turned it off).
    again = client.keys.set_destinations(key_id, [dest.id])
    assert [d.id for d in again.destinations] == [dest.id]
    assert again.long_polling_enabled is True
    assert client.keys.set_destinations(key_id, [], long_polling_enabled=False).destinations == []
    client.keys.delete(project, key_id)
    assert key_id not in {k.id for k in client.keys.list(project)}


def test_webhooks_crud_test_deliveries_retry(client: Any, apertur_local: Any) -> None:
    project = apertur_local.project_id
    hook = client.webhooks.create(
        project,
        url="http://127.0.0.1:9/unreachable",
        topics=["image.uploaded", "session.completed"],
        signature_method="hmac_sha256",
        max_retries=1,
        retry_intervals=[1],
        custom_headers={"X-Team": "a"},
    )
    assert isinstance(hook, EventWebhook)
    assert hook.secret
    assert [h.id for h in client.webhooks.list(project)] == [hook.id]
    updated = client.webhooks.update(project, hook.id, topics=["image.uploaded"], is_active=True)
    assert updated.topics == ["image.uploaded"]
    assert isinstance(client.webhooks.test(project, hook.id), MessageResult)
    page = client.webhooks.deliveries(project, hook.id, page=1, limit=10)
    assert isinstance(page, WebhookDeliveriesPage)
    assert page.deliveries  # the test event was attempted (and failed: nobody listens)
    retried = client.webhooks.retry_delivery(project, hook.id, page.deliveries[0].id)
    assert isinstance(retried, MessageResult)
    client.webhooks.delete(project, hook.id)
    assert client.webhooks.list(project) == []


def test_encryption_and_stats(client: Any) -> None:
    key = client.encryption.get_server_key()
    assert isinstance(key, ServerKey)
    assert load_public_key(key.public_key).key_size >= 2048
    client.sessions.create()
    stats = client.stats.get()
    assert isinstance(stats, Stats)
    assert stats.sessions_total == 1
