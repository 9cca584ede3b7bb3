"""Project event webhooks and their delivery log: W1-W4, W6 and topic matching (no HTTP).

Topics are matched with :func:`fnmatch.fnmatchcase` (``*`` also spans dots). Each event also
answers to its long alias, so ``project.upload.*`` catches ``image.uploaded`` (alias
``project.upload.image.uploaded``) and ``project.session.*`` catches ``session.completed``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from ._errors import bad_request, not_found
from ._models import EventWebhook, WebhookDelivery
from ._store_base import StoreContext, new_id
from ._store_destinations import check_http_url

__all__ = [
    "SIGNATURE_METHODS",
    "WEBHOOK_UPDATE_FIELDS",
    "WebhookStore",
    "topic_aliases",
    "topic_matches",
]

SIGNATURE_METHODS = ("hmac_sha256", "svix")
"""``signatureMethod`` values."""

WEBHOOK_UPDATE_FIELDS = frozenset(
    {
        "url",
        "topics",
        "is_active",
        "max_retries",
        "retry_intervals",
        "disable_after_failures",
        "custom_headers",
    }
)
"""Record fields W3 may change."""


def topic_aliases(topic: str) -> tuple[str, ...]:
    """The names ``topic`` answers to (itself and its ``project.…`` long form)."""
    if topic.startswith("image."):
        return (topic, "project.upload." + topic)
    if topic.startswith(("session.", "webhook.")):
        return (topic, "project." + topic)
    return (topic,)


def topic_matches(patterns: list[str], topic: str) -> bool:
    """Whether any subscription pattern matches ``topic`` or one of its aliases."""
    names = topic_aliases(topic)
    return any(fnmatchcase(name, pattern) for pattern in patterns for name in names)


class WebhookStore:
    """Event webhooks of every project, plus every delivery made to them."""

    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    def for_project(self, project_id: str) -> list[EventWebhook]:
        """W1: oldest first."""
        return [w for w in self._ctx.tables.webhooks.values() if w.project_id == project_id]

    def get(self, project_id: str, webhook_id: str) -> EventWebhook:
        """One webhook of the project; 404 otherwise."""
        hook = self._ctx.tables.webhooks.get(webhook_id)
        if hook is None or hook.project_id != project_id:
            raise not_found("Webhook")
        return hook

    def create(
        self,
        project_id: str,
        url: str,
        topics: list[str],
        signature_method: str = "hmac_sha256",
        *,
        max_retries: int | None = None,
        retry_intervals: list[int] | None = None,
        disable_after_failures: int | None = None,
        custom_headers: Mapping[str, str] | None = None,
    ) -> EventWebhook:
        """W2: the secret is always 32 random bytes as hex (valid for both methods)."""
        check_http_url(url, "url")
        if signature_method not in SIGNATURE_METHODS:
            raise bad_request(f"signatureMethod must be one of {', '.join(SIGNATURE_METHODS)}")
        now = self._ctx.now()
        hook = EventWebhook(
            id=new_id("wh"),
            project_id=project_id,
            url=url,
            secret=secrets.token_hex(32),
            signature_method=signature_method,
            topics=list(topics),
            created_at=now,
            updated_at=now,
            custom_headers=dict(custom_headers or {}),
        )
        if max_retries is not None:
            hook.max_retries = max_retries
        if retry_intervals is not None:
            hook.retry_intervals = list(retry_intervals)
        if disable_after_failures is not None:
            hook.disable_after_failures = disable_after_failures
        with self._ctx.change() as change:
            change.insert(hook)
        return hook

    def update(self, project_id: str, webhook_id: str, changes: Mapping[str, Any]) -> EventWebhook:
        """W3: apply validated ``changes``; re-activating clears the failure counter."""
        hook = self.get(project_id, webhook_id)
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in WEBHOOK_UPDATE_FIELDS:
                raise bad_request(f"Field {name!r} cannot be updated")
            if name == "url":
                check_http_url(value, "url")
            values[name] = value
        if changes.get("is_active") is True:
            values.update(consecutive_failures=0, disabled_at=None)
        values["updated_at"] = self._ctx.now()
        with self._ctx.change() as change:
            change.update(hook, **values)
        return hook

    def delete(self, project_id: str, webhook_id: str) -> None:
        """W4: forget the webhook and its deliveries."""
        hook = self.get(project_id, webhook_id)
        with self._ctx.change() as change:
            change.delete(hook)
            for row in self._ctx.tables.deliveries.values():
                if row.webhook_id == webhook_id:
                    change.delete(row)

    def subscribers(self, project_id: str, topic: str) -> list[EventWebhook]:
        """Active webhooks of the project subscribed to ``topic``."""
        return [
            w
            for w in self.for_project(project_id)
            if w.is_active and topic_matches(w.topics, topic)
        ]

    def deliveries(self, webhook: EventWebhook) -> list[WebhookDelivery]:
        """W6: the webhook's deliveries, newest first."""
        rows = [d for d in self._ctx.tables.deliveries.values() if d.webhook_id == webhook.id]
        return rows[::-1]

    def delivery(self, webhook: EventWebhook, delivery_id: str) -> WebhookDelivery:
        """One delivery of ``webhook``; 404 otherwise."""
        row = self._ctx.tables.deliveries.get(delivery_id)
        if row is None or row.webhook_id != webhook.id:
            raise not_found("Delivery")
        return row

    def new_delivery(
        self, webhook: EventWebhook, topic: str, event_id: str, body: str
    ) -> WebhookDelivery:
        """Log a delivery about to be attempted."""
        now = self._ctx.now()
        row = WebhookDelivery(
            id=new_id("del"),
            webhook_id=webhook.id,
            event_log_id=event_id,
            topic=topic,
            body=body,
            created_at=now,
            updated_at=now,
        )
        with self._ctx.change() as change:
            change.insert(row)
        return row

    def record_outcome(self, webhook: EventWebhook, delivered: bool) -> None:
        """Count a finished delivery; disable the webhook after too many failures in a row.
        Nothing happens when the webhook was deleted meanwhile."""
        if self._ctx.tables.webhooks.get(webhook.id) is not webhook:
            return
        now = self._ctx.now()
        values: dict[str, Any] = {"updated_at": now}
        if delivered:
            values["consecutive_failures"] = 0
        else:
            failures = webhook.consecutive_failures + 1
            values["consecutive_failures"] = failures
            limit = webhook.disable_after_failures
            if limit > 0 and failures >= limit and webhook.is_active:
                values.update(is_active=False, disabled_at=now)
        with self._ctx.change() as change:
            change.update(webhook, **values)

    def update_delivery(self, row: WebhookDelivery, **values: Any) -> WebhookDelivery:
        """Store new values of a delivery row (an attempt's outcome, a retry). Nothing happens
        when the row was deleted meanwhile (its webhook was deleted, or the server reset)."""
        if self._ctx.tables.deliveries.get(row.id) is not row:
            return row
        with self._ctx.change() as change:
            change.update(row, updated_at=self._ctx.now(), **values)
        return row
