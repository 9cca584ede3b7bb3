"""The ``webhooks`` namespace: ``Webhooks`` and ``AsyncWebhooks``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from ... import types as _arg
from ...models import (
    CreateWebhookRequest,
    CreateWebhookRequestCustomHeaders,
    EventWebhook,
    MessageResult,
    SignatureMethod,
    UpdateWebhookRequest,
    UpdateWebhookRequestCustomHeaders,
    WebhookDeliveriesPage,
)
from ...types import AsyncResource, Body, Headers, Query, SyncResource, Timeout
from . import create_webhook as _create_webhook
from . import delete_webhook as _delete_webhook
from . import list_webhook_deliveries as _list_webhook_deliveries
from . import list_webhooks as _list_webhooks
from . import retry_webhook_delivery as _retry_webhook_delivery
from . import test_webhook as _test_webhook
from . import update_webhook as _update_webhook


class Webhooks(SyncResource):
    """The ``webhooks`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def list(
        self,
        project_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[EventWebhook]:
        """List the project's event webhooks"""
        return self._requester.run(
            _list_webhooks.OPERATION,
            lambda: _list_webhooks._get_kwargs(_arg.path_arg(project_id, "project_id")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
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
        custom_headers: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        request_max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> EventWebhook:
        """Create an event webhook"""
        return self._requester.run(
            _create_webhook.OPERATION,
            lambda: _create_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateWebhookRequest(
                    url=_arg.text(url, "url"),
                    topics=_arg.required(_arg.items(topics, "topics", (str,)), "topics"),
                    signature_method=_arg.enum_value(
                        SignatureMethod, signature_method, "signature_method"
                    ),
                    max_retries=_arg.given(max_retries),
                    retry_intervals=_arg.items(retry_intervals, "retry_intervals", (int,)),
                    disable_after_failures=_arg.given(disable_after_failures),
                    custom_headers=_arg.model(
                        CreateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
                    ),
                ),
            ),
            timeout=timeout,
            max_retries=request_max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def delete(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete an event webhook"""
        return self._requester.run(
            _delete_webhook.OPERATION,
            lambda: _delete_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(webhook_id, "webhook_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
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
        custom_headers: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        request_max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> EventWebhook:
        """Update an event webhook"""
        return self._requester.run(
            _update_webhook.OPERATION,
            lambda: _update_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                body=UpdateWebhookRequest(
                    url=_arg.given(url),
                    topics=_arg.items(topics, "topics", (str,)),
                    is_active=_arg.given(is_active),
                    max_retries=_arg.given(max_retries),
                    retry_intervals=_arg.items(retry_intervals, "retry_intervals", (int,)),
                    disable_after_failures=_arg.given(disable_after_failures),
                    custom_headers=_arg.model(
                        UpdateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
                    ),
                ),
            ),
            timeout=timeout,
            max_retries=request_max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def test(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> MessageResult:
        """Send a test event to a webhook"""
        return self._requester.run(
            _test_webhook.OPERATION,
            lambda: _test_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(webhook_id, "webhook_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def deliveries(
        self,
        project_id: str,
        webhook_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> WebhookDeliveriesPage:
        """A webhook's delivery log, newest first"""
        return self._requester.run(
            _list_webhook_deliveries.OPERATION,
            lambda: _list_webhook_deliveries._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                page=_arg.given(page),
                limit=_arg.given(limit),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def retry_delivery(
        self,
        project_id: str,
        webhook_id: str,
        delivery_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> MessageResult:
        """Send a logged delivery again"""
        return self._requester.run(
            _retry_webhook_delivery.OPERATION,
            lambda: _retry_webhook_delivery._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                _arg.path_arg(delivery_id, "delivery_id"),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncWebhooks(AsyncResource):
    """The ``webhooks`` operations (asynchronous; see :class:`Webhooks`)."""

    async def list(
        self,
        project_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[EventWebhook]:
        """List the project's event webhooks"""
        return await self._requester.run(
            _list_webhooks.OPERATION,
            lambda: _list_webhooks._get_kwargs(_arg.path_arg(project_id, "project_id")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
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
        custom_headers: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        request_max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> EventWebhook:
        """Create an event webhook"""
        return await self._requester.run(
            _create_webhook.OPERATION,
            lambda: _create_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateWebhookRequest(
                    url=_arg.text(url, "url"),
                    topics=_arg.required(_arg.items(topics, "topics", (str,)), "topics"),
                    signature_method=_arg.enum_value(
                        SignatureMethod, signature_method, "signature_method"
                    ),
                    max_retries=_arg.given(max_retries),
                    retry_intervals=_arg.items(retry_intervals, "retry_intervals", (int,)),
                    disable_after_failures=_arg.given(disable_after_failures),
                    custom_headers=_arg.model(
                        CreateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
                    ),
                ),
            ),
            timeout=timeout,
            max_retries=request_max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def delete(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete an event webhook"""
        return await self._requester.run(
            _delete_webhook.OPERATION,
            lambda: _delete_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(webhook_id, "webhook_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
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
        custom_headers: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        request_max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> EventWebhook:
        """Update an event webhook"""
        return await self._requester.run(
            _update_webhook.OPERATION,
            lambda: _update_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                body=UpdateWebhookRequest(
                    url=_arg.given(url),
                    topics=_arg.items(topics, "topics", (str,)),
                    is_active=_arg.given(is_active),
                    max_retries=_arg.given(max_retries),
                    retry_intervals=_arg.items(retry_intervals, "retry_intervals", (int,)),
                    disable_after_failures=_arg.given(disable_after_failures),
                    custom_headers=_arg.model(
                        UpdateWebhookRequestCustomHeaders, custom_headers, "custom_headers"
                    ),
                ),
            ),
            timeout=timeout,
            max_retries=request_max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def test(
        self,
        project_id: str,
        webhook_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> MessageResult:
        """Send a test event to a webhook"""
        return await self._requester.run(
            _test_webhook.OPERATION,
            lambda: _test_webhook._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(webhook_id, "webhook_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def deliveries(
        self,
        project_id: str,
        webhook_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> WebhookDeliveriesPage:
        """A webhook's delivery log, newest first"""
        return await self._requester.run(
            _list_webhook_deliveries.OPERATION,
            lambda: _list_webhook_deliveries._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                page=_arg.given(page),
                limit=_arg.given(limit),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def retry_delivery(
        self,
        project_id: str,
        webhook_id: str,
        delivery_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> MessageResult:
        """Send a logged delivery again"""
        return await self._requester.run(
            _retry_webhook_delivery.OPERATION,
            lambda: _retry_webhook_delivery._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(webhook_id, "webhook_id"),
                _arg.path_arg(delivery_id, "delivery_id"),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncWebhooks", "Webhooks"]
