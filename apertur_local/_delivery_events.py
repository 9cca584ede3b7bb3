"""Event webhooks on the wire: envelopes, signed POSTs, retries, the delivery log (W5, W7).

For every event (``image.uploaded``, ``image.delivered``, ``image.failed``,
``session.completed``, ``webhook.test``) each active subscribed webhook gets the envelope
``{"id": "evt_…", "event": topic, "topic": topic, "project_id": …, "data": {…},
"timestamp": ISO}`` as compact JSON, signed by its ``signatureMethod`` (``_outbound``/
``_signatures``). Failed attempts are retried after ``retryIntervals[i]`` seconds (the last interval
repeats) up to ``maxRetries`` times; every delivery is a ``WebhookDelivery`` row.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

from ._isotime import format_iso
from ._models import EventWebhook, WebhookDelivery
from ._outbound import AttemptResult, OutboundSender, event_request
from ._signatures import EventSignatureMethod
from ._state import AperturState
from ._store_base import new_id

__all__ = ["MAX_RETRIES", "EventDispatcher"]

_log = logging.getLogger("apertur_local.events")

Spawn = Callable[[Awaitable[None]], None]

MAX_RETRIES = 100
"""``maxRetries`` is stored as given but at most this many retries are made."""


def _attempts(hook: EventWebhook) -> int:
    return 1 + min(max(hook.max_retries, 0), MAX_RETRIES)


class EventDispatcher:
    """Sends events to the project's event webhooks."""

    def __init__(
        self,
        state: AperturState,
        sender: OutboundSender,
        spawn: Spawn,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._state = state
        self._sender = sender
        self._spawn = spawn
        self._sleep = sleep

    def publish(self, project_id: str, topic: str, data: Callable[[], Mapping[str, Any]]) -> None:
        """Queue ``topic`` for every active webhook of the project subscribed to it; ``data``
        makes the event's data, only when some webhook is (most uploads have none)."""
        hooks = self._state.webhooks.subscribers(project_id, topic)
        if not hooks:
            return
        event_id = new_id("evt")
        body = self._envelope(event_id, project_id, topic, data())
        for hook in hooks:
            row = self._state.webhooks.new_delivery(hook, topic, event_id, body)
            self._spawn(self._deliver(hook, row, _attempts(hook)))

    async def send_test(self, hook: EventWebhook) -> str:
        """W5: one ``webhook.test`` attempt, awaited and logged; returns a human message."""
        event_id = new_id("evt")
        data = {"webhook_id": hook.id, "message": "Test event from apertur-local"}
        body = self._envelope(event_id, hook.project_id, "webhook.test", data)
        row = self._state.webhooks.new_delivery(hook, "webhook.test", event_id, body)
        result = await self._attempt(hook, row, None)
        if result.ok:
            return f"Test event delivered (HTTP {result.status_code})"
        return f"Test event failed: {result.error}"

    def retry(self, hook: EventWebhook, row: WebhookDelivery) -> None:
        """W7: send a logged delivery again (with the webhook's retry policy)."""
        self._state.webhooks.update_delivery(row, status="retrying", next_retry_at=None)
        self._spawn(self._deliver(hook, row, _attempts(hook)))

    def _envelope(self, event_id: str, project_id: str, topic: str, data: Mapping[str, Any]) -> str:
        envelope = {
            "id": event_id,
            "event": topic,
            "topic": topic,
            "project_id": project_id,
            "data": dict(data),
            "timestamp": format_iso(self._state.clock.now()),
        }
        return json.dumps(envelope, separators=(",", ":"), allow_nan=False)

    async def _deliver(self, hook: EventWebhook, row: WebhookDelivery, attempts: int) -> None:
        intervals = hook.retry_intervals or [0]
        for number in range(1, attempts + 1):
            delay = (
                None
                if number == attempts
                else float(intervals[min(number - 1, len(intervals) - 1)])
            )
            result = await self._attempt(hook, row, delay)
            if result.ok or delay is None:
                if row.topic != "webhook.test":
                    self._state.webhooks.record_outcome(hook, result.ok)
                return
            await self._sleep(delay)
            if hook.id not in self._state.tables.webhooks:
                return

    async def _attempt(
        self, hook: EventWebhook, row: WebhookDelivery, next_delay: float | None
    ) -> AttemptResult:
        """One signed POST; ``next_delay`` is the pause before a retry (``None``: last attempt)."""
        timestamp = int(self._state.clock.now())
        request = event_request(
            hook.url,
            cast(EventSignatureMethod, hook.signature_method),
            hook.secret,
            json.loads(row.body),
            hook.custom_headers,
            message_id=row.event_log_id,
            timestamp=timestamp,
        )
        result = await self._sender.send(request)
        if result.ok:
            status, next_retry_at = "sent", None
        elif next_delay is None:
            status, next_retry_at = "failed", None
        else:
            status, next_retry_at = "retrying", self._state.clock.now() + next_delay
        self._state.webhooks.update_delivery(
            row,
            attempts=row.attempts + 1,
            response_code=result.status_code,
            response_body=result.response_body,
            duration_ms=result.duration_ms,
            last_error=result.error,
            status=status,
            next_retry_at=next_retry_at,
        )
        _log.info(
            "event %s to webhook %s: attempt %d %s",
            row.topic,
            hook.id,
            row.attempts,
            "ok" if result.ok else result.error,
        )
        return result
