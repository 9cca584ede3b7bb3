"""``client.webhooks``: a project's event webhooks and their delivery log.

In ``create`` and ``update``, ``max_retries`` is the webhook's own delivery setting (the
official name); the per-call HTTP retry override is ``request_max_retries`` there.
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping

from apertur_api.api.webhooks import (
    create_webhook,
    delete_webhook,
    list_webhooks,
    test_webhook,
    update_webhook,
)
from apertur_api.models import (
    CreateWebhookRequest,
    CreateWebhookRequestCustomHeaders,
    EventWebhook,
    MessageResult,
    SignatureMethod,
    UpdateWebhookRequest,
    UpdateWebhookRequestCustomHeaders,
)

from .._config import TimeoutArg
from .._exceptions import InvalidInputError
from .._response import Operation
from ._base import (
    Unset,
    opt,
    project_call,
    to_enum,
    to_int_list,
    to_mapping_model,
    to_str_list,
)
from .webhook_deliveries import AsyncWebhookDeliveries, WebhookDeliveries

__all__ = ["AsyncWebhooks", "Webhooks"]

LIST = Operation[list[EventWebhook]](list_webhooks, 200)
CREATE = Operation[EventWebhook](create_webhook, 201)
UPDATE = Operation[EventWebhook](update_webhook, 200)
DELETE = Operation[None](delete_webhook, 204)
TEST = Operation[MessageResult](test_webhook, 200)


def _create_body(
    url: str,
    topics: Iterable[str],
    signature_method: str | None,
    max_retries: int | None,
    retry_intervals: Iterable[int] | None,
    disable_after_failures: int | None,
    custom_headers: Mapping[str, str] | None,
) -> CreateWebhookRequest:
    if not isinstance(url, str) or not url:
        raise InvalidInputError("url must be a non-empty string")
    topic_list = to_str_list(topics, "topics")
    if isinstance(topic_list, Unset):
        raise InvalidInputError("topics is required (a list of topic strings)")
    return CreateWebhookRequest(
        url=url,
        topics=topic_list,
        signature_method=to_enum(SignatureMethod, signature_method, "signature_method"),
        max_retries=opt(max_retries),
        retry_intervals=to_int_list(retry_intervals, "retry_intervals"),
        disable_after_failures=opt(disable_after_failures),
        custom_headers=to_mapping_model(
            CreateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
        ),
    )


def _update_body(
    url: str | None,
    topics: Iterable[str] | None,
    is_active: bool | None,
    max_retries: int | None,
    retry_intervals: Iterable[int] | None,
    disable_after_failures: int | None,
    custom_headers: Mapping[str, str] | None,
) -> UpdateWebhookRequest:
    return UpdateWebhookRequest(
        url=opt(url),
        topics=to_str_list(topics, "topics"),
        is_active=opt(is_active),
        max_retries=opt(max_retries),
        retry_intervals=to_int_list(retry_intervals, "retry_intervals"),
        disable_after_failures=opt(disable_after_failures),
        custom_headers=to_mapping_model(
            UpdateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
        ),
    )


class Webhooks(WebhookDeliveries):
    """Event webhooks (``client.webhooks``)."""

    def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[EventWebhook]:
        """The project's event webhooks."""
        return self._core.run(
            project_call(LIST, project_id, timeout=timeout, max_retries=max_retries)
        )

    def create(
        self,
        project_id: str,
        *,
        url: str,
        topics: Iterable[str],
        signature_method: str | None = None,
        max_retries: int | None = None,
        retry_intervals: Iterable[int] | None = None,
        disable_after_failures: int | None = None,
        custom_headers: Mapping[str, str] | None = None,
        timeout: TimeoutArg = None,
        request_max_retries: int | None = None,
    ) -> EventWebhook:
        """Create an event webhook (``signature_method`` ``hmac_sha256`` or ``svix``; the
        answer carries the signing ``secret``)."""
        body = _create_body(
            url,
            topics,
            signature_method,
            max_retries,
            retry_intervals,
            disable_after_failures,
            custom_headers,
        )
        return self._core.run(
            project_call(
                CREATE, project_id, timeout=timeout, max_retries=request_max_retries, body=body
            )
        )

    def update(
        self,
        project_id: str,
        webhook_id: str,
        *,
        url: str | None = None,
        topics: Iterable[str] | None = None,
        is_active: bool | None = None,
        max_retries: int | None = None,
        retry_intervals: Iterable[int] | None = None,
        disable_after_failures: int | None = None,
        custom_headers: Mapping[str, str] | None = None,
        timeout: TimeoutArg = None,
        request_max_retries: int | None = None,
    ) -> EventWebhook:
        """Change a webhook (None leaves a field unchanged)."""
        body = _update_body(
            url,
            topics,
            is_active,
            max_retries,
            retry_intervals,
            disable_after_failures,
            custom_headers,
        )
        ids = (webhook_id, "webhook_id")
        return self._core.run(
            project_call(
                UPDATE, project_id, ids, timeout=timeout, max_retries=request_max_retries, body=body
            )
        )

    def delete(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete a webhook."""
        ids = (webhook_id, "webhook_id")
        self._core.run(
            project_call(DELETE, project_id, ids, timeout=timeout, max_retries=max_retries)
        )

    def test(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> MessageResult:
        """Send a test event to the webhook."""
        ids = (webhook_id, "webhook_id")
        return self._core.run(
            project_call(TEST, project_id, ids, timeout=timeout, max_retries=max_retries)
        )


class AsyncWebhooks(AsyncWebhookDeliveries):
    """Event webhooks (``client.webhooks``), async."""

    async def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[EventWebhook]:
        """The project's event webhooks."""
        return await self._core.run(
            project_call(LIST, project_id, timeout=timeout, max_retries=max_retries)
        )

    async def create(
        self,
        project_id: str,
        *,
        url: str,
        topics: Iterable[str],
        signature_method: str | None = None,
        max_retries: int | None = None,
        retry_intervals: Iterable[int] | None = None,
        disable_after_failures: int | None = None,
        custom_headers: Mapping[str, str] | None = None,
        timeout: TimeoutArg = None,
        request_max_retries: int | None = None,
    ) -> EventWebhook:
        """Create an event webhook (see :meth:`Webhooks.create`)."""
        body = _create_body(
            url,
            topics,
            signature_method,
            max_retries,
            retry_intervals,
            disable_after_failures,
            custom_headers,
        )
        return await self._core.run(
            project_call(
                CREATE, project_id, timeout=timeout, max_retries=request_max_retries, body=body
            )
        )

    async def update(
        self,
        project_id: str,
        webhook_id: str,
        *,
        url: str | None = None,
        topics: Iterable[str] | None = None,
        is_active: bool | None = None,
        max_retries: int | None = None,
        retry_intervals: Iterable[int] | None = None,
        disable_after_failures: int | None = None,
        custom_headers: Mapping[str, str] | None = None,
        timeout: TimeoutArg = None,
        request_max_retries: int | None = None,
    ) -> EventWebhook:
        """Change a webhook (None leaves a field unchanged)."""
        body = _update_body(
            url,
            topics,
            is_active,
            max_retries,
            retry_intervals,
            disable_after_failures,
            custom_headers,
        )
        ids = (webhook_id, "webhook_id")
        return await self._core.run(
            project_call(
                UPDATE, project_id, ids, timeout=timeout, max_retries=request_max_retries, body=body
            )
        )

    async def delete(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete a webhook."""
        ids = (webhook_id, "webhook_id")
        await self._core.run(
            project_call(DELETE, project_id, ids, timeout=timeout, max_retries=max_retries)
        )

    async def test(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> MessageResult:
        """Send a test event to the webhook."""
        ids = (webhook_id, "webhook_id")
        return await self._core.run(
            project_call(TEST, project_id, ids, timeout=timeout, max_retries=max_retries)
        )
