"""``client.keys``: a project's API keys and the destinations they deliver to."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import builtins
from collections.abc import Iterable

from apertur_api.api.keys import (
    create_api_key,
    delete_api_key,
    list_api_keys,
    set_api_key_destinations,
    update_api_key,
)
from apertur_api.models import (
    ApiKey,
    CreateApiKeyRequest,
    CreateApiKeyResult,
    KeyDestinationsResult,
    SetKeyDestinationsRequest,
    UpdateApiKeyRequest,
)

from .._config import TimeoutArg
from .._exceptions import InvalidInputError
from .._request import Call
from .._response import Operation
from ._base import AsyncResource, SyncResource, Unset, opt, project_call, require_id, to_str_list

__all__ = ["AsyncKeys", "Keys"]

LIST = Operation[list[ApiKey]](list_api_keys, 200)
CREATE = Operation[CreateApiKeyResult](create_api_key, 201)
UPDATE = Operation[ApiKey](update_api_key, 200)
DELETE = Operation[None](delete_api_key, 204)
SET_DESTINATIONS = Operation[KeyDestinationsResult](set_api_key_destinations, 200)


def _create_body(
    label: str,
    max_images: int | None,
    allowed_mime_types: Iterable[str] | None,
    max_image_dimension: int | None,
) -> CreateApiKeyRequest:
    if not isinstance(label, str) or not label:
        raise InvalidInputError("label must be a non-empty string")
    return CreateApiKeyRequest(
        label=label,
        max_images=opt(max_images),
        allowed_mime_types=to_str_list(allowed_mime_types, "allowed_mime_types"),
        max_image_dimension=opt(max_image_dimension),
    )


def _update_body(
    label: str | None,
    is_active: bool | None,
    max_images: int | None,
    allowed_mime_types: Iterable[str] | None,
    max_image_dimension: int | None,
    allowed_ips: Iterable[str] | None,
    allowed_domains: Iterable[str] | None,
) -> UpdateApiKeyRequest:
    return UpdateApiKeyRequest(
        label=opt(label),
        is_active=opt(is_active),
        max_images=opt(max_images),
        allowed_mime_types=to_str_list(allowed_mime_types, "allowed_mime_types"),
        max_image_dimension=opt(max_image_dimension),
        allowed_ips=to_str_list(allowed_ips, "allowed_ips"),
        allowed_domains=to_str_list(allowed_domains, "allowed_domains"),
    )


def _set_destinations(
    key_id: str,
    destination_ids: Iterable[str],
    long_polling_enabled: bool | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[KeyDestinationsResult]:
    ids = to_str_list(destination_ids, "destination_ids")
    if isinstance(ids, Unset):
        raise InvalidInputError("destination_ids is required (a list, possibly empty)")
    # long_polling_enabled only when given: sending False by default would silently turn
    # long polling off (a bug of the official SDKs, API notes §10.13).
    body = SetKeyDestinationsRequest(
        destination_ids=ids, long_polling_enabled=opt(long_polling_enabled)
    )
    kwargs = SET_DESTINATIONS.kwargs(require_id(key_id, "key_id"), body=body)
    return Call(SET_DESTINATIONS, kwargs, timeout, max_retries)


class Keys(SyncResource):
    """API keys (``client.keys``)."""

    def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[ApiKey]:
        """The project's API keys."""
        return self._core.run(
            project_call(LIST, project_id, timeout=timeout, max_retries=max_retries)
        )

    def create(
        self,
        project_id: str,
        *,
        label: str,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> CreateApiKeyResult:
        """Create a key; ``.plain_text_key`` is shown only in this answer."""
        body = _create_body(label, max_images, allowed_mime_types, max_image_dimension)
        return self._core.run(
            project_call(CREATE, project_id, timeout=timeout, max_retries=max_retries, body=body)
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
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> ApiKey:
        """Change a key (None leaves a field unchanged)."""
        body = _update_body(
            label,
            is_active,
            max_images,
            allowed_mime_types,
            max_image_dimension,
            allowed_ips,
            allowed_domains,
        )
        key = (key_id, "key_id")
        return self._core.run(
            project_call(
                UPDATE, project_id, key, timeout=timeout, max_retries=max_retries, body=body
            )
        )

    def delete(
        self,
        project_id: str,
        key_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete (revoke) a key."""
        key = (key_id, "key_id")
        self._core.run(
            project_call(DELETE, project_id, key, timeout=timeout, max_retries=max_retries)
        )

    def set_destinations(
        self,
        key_id: str,
        destination_ids: Iterable[str],
        long_polling_enabled: bool | None = None,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> KeyDestinationsResult:
        """Set the destinations a key delivers to; ``long_polling_enabled`` is changed only
        when given."""
        call = _set_destinations(
            key_id, destination_ids, long_polling_enabled, timeout, max_retries
        )
        return self._core.run(call)


class AsyncKeys(AsyncResource):
    """API keys (``client.keys``), async."""

    async def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[ApiKey]:
        """The project's API keys."""
        return await self._core.run(
            project_call(LIST, project_id, timeout=timeout, max_retries=max_retries)
        )

    async def create(
        self,
        project_id: str,
        *,
        label: str,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> CreateApiKeyResult:
        """Create a key; ``.plain_text_key`` is shown only in this answer."""
        body = _create_body(label, max_images, allowed_mime_types, max_image_dimension)
        return await self._core.run(
            project_call(CREATE, project_id, timeout=timeout, max_retries=max_retries, body=body)
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
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> ApiKey:
        """Change a key (None leaves a field unchanged)."""
        body = _update_body(
            label,
            is_active,
            max_images,
            allowed_mime_types,
            max_image_dimension,
            allowed_ips,
            allowed_domains,
        )
        key = (key_id, "key_id")
        return await self._core.run(
            project_call(
                UPDATE, project_id, key, timeout=timeout, max_retries=max_retries, body=body
            )
        )

    async def delete(
        self,
        project_id: str,
        key_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete (revoke) a key."""
        key = (key_id, "key_id")
        await self._core.run(
            project_call(DELETE, project_id, key, timeout=timeout, max_retries=max_retries)
        )

    async def set_destinations(
        self,
        key_id: str,
        destination_ids: Iterable[str],
        long_polling_enabled: bool | None = None,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> KeyDestinationsResult:
        """Set the destinations a key delivers to; ``long_polling_enabled`` is changed only
        when given."""
        call = _set_destinations(
            key_id, destination_ids, long_polling_enabled, timeout, max_retries
        )
        return await self._core.run(call)
