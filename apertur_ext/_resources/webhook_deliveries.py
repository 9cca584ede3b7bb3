"""The delivery log half of ``client.webhooks`` (mixed into ``Webhooks`` / ``AsyncWebhooks``)."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

from apertur_api.api.webhooks import list_webhook_deliveries, retry_webhook_delivery
from apertur_api.models import MessageResult, WebhookDeliveriesPage

from .._config import TimeoutArg
from .._response import Operation
from ._base import AsyncResource, SyncResource, opt, project_call

__all__ = ["AsyncWebhookDeliveries", "WebhookDeliveries"]

DELIVERIES = Operation[WebhookDeliveriesPage](list_webhook_deliveries, 200)
RETRY = Operation[MessageResult](retry_webhook_delivery, 200)


class WebhookDeliveries(SyncResource):
    """A webhook's delivery log."""

    def deliveries(
        self,
        project_id: str,
        webhook_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> WebhookDeliveriesPage:
        """One page of the webhook's delivery log (``.deliveries``)."""
        ids = (webhook_id, "webhook_id")
        call = project_call(
            DELIVERIES,
            project_id,
            ids,
            timeout=timeout,
            max_retries=max_retries,
            page=opt(page),
            limit=opt(limit),
        )
        return self._core.run(call)

    def retry_delivery(
        self,
        project_id: str,
        webhook_id: str,
        delivery_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> MessageResult:
        """Re-send one delivery."""
        ids = ((webhook_id, "webhook_id"), (delivery_id, "delivery_id"))
        return self._core.run(
            project_call(RETRY, project_id, *ids, timeout=timeout, max_retries=max_retries)
        )


class AsyncWebhookDeliveries(AsyncResource):
    """A webhook's delivery log, async."""

    async def deliveries(
        self,
        project_id: str,
        webhook_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> WebhookDeliveriesPage:
        """One page of the webhook's delivery log (``.deliveries``)."""
        ids = (webhook_id, "webhook_id")
        call = project_call(
            DELIVERIES,
            project_id,
            ids,
            timeout=timeout,
            max_retries=max_retries,
            page=opt(page),
            limit=opt(limit),
        )
        return await self._core.run(call)

    async def retry_delivery(
        self,
        project_id: str,
        webhook_id: str,
        delivery_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> MessageResult:
        """Re-send one delivery."""
        ids = ((webhook_id, "webhook_id"), (delivery_id, "delivery_id"))
        return await self._core.run(
            project_call(RETRY, project_id, *ids, timeout=timeout, max_retries=max_retries)
        )
