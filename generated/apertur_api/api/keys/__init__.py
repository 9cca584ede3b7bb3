"""The ``keys`` namespace: ``Keys`` and ``AsyncKeys``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from ... import types as _arg
from ...models import (
    ApiKey,
    CreateApiKeyRequest,
    CreateApiKeyResult,
    KeyDestinationsResult,
    SetKeyDestinationsRequest,
    UpdateApiKeyRequest,
)
from ...types import AsyncResource, Body, Headers, Query, SyncResource, Timeout
from . import create_api_key as _create_api_key
from . import delete_api_key as _delete_api_key
from . import list_api_keys as _list_api_keys
from . import set_api_key_destinations as _set_api_key_destinations
from . import update_api_key as _update_api_key


class Keys(SyncResource):
    """The ``keys`` operations (synchronous).

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
    ) -> builtins.list[ApiKey]:
        """List the project's API keys"""
        return self._requester.run(
            _list_api_keys.OPERATION,
            lambda: _list_api_keys._get_kwargs(_arg.path_arg(project_id, "project_id")),
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
        label: str,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> CreateApiKeyResult:
        """Create an API key (its plain text is shown once)"""
        return self._requester.run(
            _create_api_key.OPERATION,
            lambda: _create_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateApiKeyRequest(
                    label=_arg.text(label, "label"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(allowed_mime_types, "allowed_mime_types", (str,)),
                    max_image_dimension=_arg.given(max_image_dimension),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def delete(
        self,
        project_id: str,
        key_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete an API key"""
        return self._requester.run(
            _delete_api_key.OPERATION,
            lambda: _delete_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(key_id, "key_id")
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
        key_id: str,
        *,
        label: str | None = None,
        is_active: bool | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        allowed_ips: Iterable[str] | None = None,
        allowed_domains: Iterable[str] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ApiKey:
        """Update an API key"""
        return self._requester.run(
            _update_api_key.OPERATION,
            lambda: _update_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(key_id, "key_id"),
                body=UpdateApiKeyRequest(
                    label=_arg.given(label),
                    is_active=_arg.given(is_active),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(allowed_mime_types, "allowed_mime_types", (str,)),
                    max_image_dimension=_arg.given(max_image_dimension),
                    allowed_ips=_arg.items(allowed_ips, "allowed_ips", (str,)),
                    allowed_domains=_arg.items(allowed_domains, "allowed_domains", (str,)),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def set_destinations(
        self,
        key_id: str,
        destination_ids: Iterable[str],
        long_polling_enabled: bool | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> KeyDestinationsResult:
        """Set a key's default destinations (not project-scoped)

        Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
        the key's long-polling setting is unchanged.
        """
        return self._requester.run(
            _set_api_key_destinations.OPERATION,
            lambda: _set_api_key_destinations._get_kwargs(
                _arg.path_arg(key_id, "key_id"),
                body=SetKeyDestinationsRequest(
                    destination_ids=_arg.required(
                        _arg.items(destination_ids, "destination_ids", (str,)), "destination_ids"
                    ),
                    long_polling_enabled=_arg.given(long_polling_enabled),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncKeys(AsyncResource):
    """The ``keys`` operations (asynchronous; see :class:`Keys`)."""

    async def list(
        self,
        project_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[ApiKey]:
        """List the project's API keys"""
        return await self._requester.run(
            _list_api_keys.OPERATION,
            lambda: _list_api_keys._get_kwargs(_arg.path_arg(project_id, "project_id")),
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
        label: str,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> CreateApiKeyResult:
        """Create an API key (its plain text is shown once)"""
        return await self._requester.run(
            _create_api_key.OPERATION,
            lambda: _create_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateApiKeyRequest(
                    label=_arg.text(label, "label"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(allowed_mime_types, "allowed_mime_types", (str,)),
                    max_image_dimension=_arg.given(max_image_dimension),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def delete(
        self,
        project_id: str,
        key_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete an API key"""
        return await self._requester.run(
            _delete_api_key.OPERATION,
            lambda: _delete_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(key_id, "key_id")
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
        key_id: str,
        *,
        label: str | None = None,
        is_active: bool | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        allowed_ips: Iterable[str] | None = None,
        allowed_domains: Iterable[str] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ApiKey:
        """Update an API key"""
        return await self._requester.run(
            _update_api_key.OPERATION,
            lambda: _update_api_key._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(key_id, "key_id"),
                body=UpdateApiKeyRequest(
                    label=_arg.given(label),
                    is_active=_arg.given(is_active),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(allowed_mime_types, "allowed_mime_types", (str,)),
                    max_image_dimension=_arg.given(max_image_dimension),
                    allowed_ips=_arg.items(allowed_ips, "allowed_ips", (str,)),
                    allowed_domains=_arg.items(allowed_domains, "allowed_domains", (str,)),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def set_destinations(
        self,
        key_id: str,
        destination_ids: Iterable[str],
        long_polling_enabled: bool | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> KeyDestinationsResult:
        """Set a key's default destinations (not project-scoped)

        Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
        the key's long-polling setting is unchanged.
        """
        return await self._requester.run(
            _set_api_key_destinations.OPERATION,
            lambda: _set_api_key_destinations._get_kwargs(
                _arg.path_arg(key_id, "key_id"),
                body=SetKeyDestinationsRequest(
                    destination_ids=_arg.required(
                        _arg.items(destination_ids, "destination_ids", (str,)), "destination_ids"
                    ),
                    long_polling_enabled=_arg.given(long_polling_enabled),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncKeys", "Keys"]
