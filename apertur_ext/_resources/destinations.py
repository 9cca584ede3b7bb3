"""``client.destinations``: where a project's images are delivered."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from apertur_api.api.destinations import (
    create_destination,
    delete_destination,
    list_destinations,
    test_destination,
    update_destination,
)
from apertur_api.models import (
    CreateDestinationRequest,
    CreateDestinationRequestConfig,
    Destination,
    DestinationTestResult,
    UpdateDestinationRequest,
    UpdateDestinationRequestConfig,
)

from .._config import TimeoutArg
from .._exceptions import InvalidInputError
from .._request import Call
from .._response import Operation
from ._base import AsyncResource, SyncResource, opt, project_call, require_id, to_mapping_model

__all__ = ["AsyncDestinations", "Destinations"]

LIST = Operation[list[Destination]](list_destinations, 200)
CREATE = Operation[Destination](create_destination, 201)
UPDATE = Operation[Destination](update_destination, 200)
DELETE = Operation[None](delete_destination, 204)
TEST = Operation[DestinationTestResult](test_destination, 200)


def _list(project_id: str, timeout: TimeoutArg, max_retries: int | None) -> Call[list[Destination]]:
    return Call(LIST, LIST.kwargs(require_id(project_id, "project_id")), timeout, max_retries)


def _create(
    project_id: str,
    type: str,
    name: str,
    config: Mapping[str, Any] | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[Destination]:
    if not isinstance(type, str) or not type or not isinstance(name, str) or not name:
        raise InvalidInputError("type and name must be non-empty strings")
    body = CreateDestinationRequest(
        type_=type,
        name=name,
        config=to_mapping_model(CreateDestinationRequestConfig, config, "config"),
    )
    kwargs = CREATE.kwargs(require_id(project_id, "project_id"), body=body)
    return Call(CREATE, kwargs, timeout, max_retries)


def _update(
    project_id: str,
    dest_id: str,
    name: str | None,
    config: Mapping[str, Any] | None,
    is_active: bool | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[Destination]:
    body = UpdateDestinationRequest(
        name=opt(name),
        config=to_mapping_model(UpdateDestinationRequestConfig, config, "config"),
        is_active=opt(is_active),
    )
    kwargs = UPDATE.kwargs(
        require_id(project_id, "project_id"), require_id(dest_id, "dest_id"), body=body
    )
    return Call(UPDATE, kwargs, timeout, max_retries)


class Destinations(SyncResource):
    """Delivery destinations (``client.destinations``)."""

    def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[Destination]:
        """The project's destinations."""
        return self._core.run(_list(project_id, timeout, max_retries))

    def create(
        self,
        project_id: str,
        *,
        type: str,
        name: str,
        config: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Destination:
        """Create a destination (``type`` e.g. ``webhook``, ``s3``; ``config`` per type)."""
        return self._core.run(_create(project_id, type, name, config, timeout, max_retries))

    def update(
        self,
        project_id: str,
        dest_id: str,
        *,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        is_active: bool | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Destination:
        """Change a destination (None leaves a field unchanged)."""
        call = _update(project_id, dest_id, name, config, is_active, timeout, max_retries)
        return self._core.run(call)

    def delete(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete a destination."""
        self._core.run(
            project_call(
                DELETE, project_id, (dest_id, "dest_id"), timeout=timeout, max_retries=max_retries
            )
        )

    def test(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> DestinationTestResult:
        """Send a test delivery (``.success``)."""
        return self._core.run(
            project_call(
                TEST, project_id, (dest_id, "dest_id"), timeout=timeout, max_retries=max_retries
            )
        )


class AsyncDestinations(AsyncResource):
    """Delivery destinations (``client.destinations``), async."""

    async def list(
        self, project_id: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> builtins.list[Destination]:
        """The project's destinations."""
        return await self._core.run(_list(project_id, timeout, max_retries))

    async def create(
        self,
        project_id: str,
        *,
        type: str,
        name: str,
        config: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Destination:
        """Create a destination (``type`` e.g. ``webhook``, ``s3``; ``config`` per type)."""
        return await self._core.run(_create(project_id, type, name, config, timeout, max_retries))

    async def update(
        self,
        project_id: str,
        dest_id: str,
        *,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        is_active: bool | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Destination:
        """Change a destination (None leaves a field unchanged)."""
        call = _update(project_id, dest_id, name, config, is_active, timeout, max_retries)
        return await self._core.run(call)

    async def delete(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete a destination."""
        await self._core.run(
            project_call(
                DELETE, project_id, (dest_id, "dest_id"), timeout=timeout, max_retries=max_retries
            )
        )

    async def test(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> DestinationTestResult:
        """Send a test delivery (``.success``)."""
        return await self._core.run(
            project_call(
                TEST, project_id, (dest_id, "dest_id"), timeout=timeout, max_retries=max_retries
            )
        )
