"""The ``stats`` namespace: ``Stats`` and ``AsyncStats``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

from ... import types as _arg
from ...models import Stats as StatsModel
from ...types import AsyncResource, Body, Headers, Query, SyncResource, Timeout
from . import get_stats as _get_stats


class Stats(SyncResource):
    """The ``stats`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def get(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> StatsModel:
        """Account statistics"""
        return self._requester.run(
            _get_stats.OPERATION,
            lambda: _get_stats._get_kwargs(),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncStats(AsyncResource):
    """The ``stats`` operations (asynchronous; see :class:`Stats`)."""

    async def get(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> StatsModel:
        """Account statistics"""
        return await self._requester.run(
            _get_stats.OPERATION,
            lambda: _get_stats._get_kwargs(),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncStats", "Stats"]
