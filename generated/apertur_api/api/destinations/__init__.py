"""The ``destinations`` namespace: ``Destinations`` and ``AsyncDestinations``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from ... import types as _arg
from ...models import (
    CreateDestinationRequest,
    CreateDestinationRequestConfig,
    Destination,
    DestinationTestResult,
    UpdateDestinationRequest,
    UpdateDestinationRequestConfig,
)
from ...types import AsyncResource, Body, Headers, Query, SyncResource, Timeout
from . import create_destination as _create_destination
from . import delete_destination as _delete_destination
from . import list_destinations as _list_destinations
from . import test_destination as _test_destination
from . import update_destination as _update_destination


class Destinations(SyncResource):
    """The ``destinations`` operations (synchronous).

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
    ) -> builtins.list[Destination]:
        """List the project's destinations"""
        return self._requester.run(
            _list_destinations.OPERATION,
            lambda: _list_destinations._get_kwargs(_arg.path_arg(project_id, "project_id")),
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
        type: str,
        name: str,
        config: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Destination:
        """Create a destination"""
        return self._requester.run(
            _create_destination.OPERATION,
            lambda: _create_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateDestinationRequest(
                    type_=_arg.text(type, "type"),
                    name=_arg.text(name, "name"),
                    config=_arg.model(CreateDestinationRequestConfig, config, "config"),
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
        dest_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete a destination"""
        return self._requester.run(
            _delete_destination.OPERATION,
            lambda: _delete_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(dest_id, "dest_id")
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
        dest_id: str,
        *,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        is_active: bool | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Destination:
        """Update a destination"""
        return self._requester.run(
            _update_destination.OPERATION,
            lambda: _update_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(dest_id, "dest_id"),
                body=UpdateDestinationRequest(
                    name=_arg.given(name),
                    config=_arg.model(UpdateDestinationRequestConfig, config, "config"),
                    is_active=_arg.given(is_active),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def test(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> DestinationTestResult:
        """Send a test delivery to a destination"""
        return self._requester.run(
            _test_destination.OPERATION,
            lambda: _test_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(dest_id, "dest_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncDestinations(AsyncResource):
    """The ``destinations`` operations (asynchronous; see :class:`Destinations`)."""

    async def list(
        self,
        project_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[Destination]:
        """List the project's destinations"""
        return await self._requester.run(
            _list_destinations.OPERATION,
            lambda: _list_destinations._get_kwargs(_arg.path_arg(project_id, "project_id")),
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
        type: str,
        name: str,
        config: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Destination:
        """Create a destination"""
        return await self._requester.run(
            _create_destination.OPERATION,
            lambda: _create_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                body=CreateDestinationRequest(
                    type_=_arg.text(type, "type"),
                    name=_arg.text(name, "name"),
                    config=_arg.model(CreateDestinationRequestConfig, config, "config"),
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
        dest_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> None:
        """Delete a destination"""
        return await self._requester.run(
            _delete_destination.OPERATION,
            lambda: _delete_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(dest_id, "dest_id")
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
        dest_id: str,
        *,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        is_active: bool | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Destination:
        """Update a destination"""
        return await self._requester.run(
            _update_destination.OPERATION,
            lambda: _update_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"),
                _arg.path_arg(dest_id, "dest_id"),
                body=UpdateDestinationRequest(
                    name=_arg.given(name),
                    config=_arg.model(UpdateDestinationRequestConfig, config, "config"),
                    is_active=_arg.given(is_active),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def test(
        self,
        project_id: str,
        dest_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> DestinationTestResult:
        """Send a test delivery to a destination"""
        return await self._requester.run(
            _test_destination.OPERATION,
            lambda: _test_destination._get_kwargs(
                _arg.path_arg(project_id, "project_id"), _arg.path_arg(dest_id, "dest_id")
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncDestinations", "Destinations"]
