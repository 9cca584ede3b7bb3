"""``client.stats``: account statistics."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

from apertur_api.api.stats import get_stats
from apertur_api.models import Stats as StatsModel

from .._config import TimeoutArg
from .._request import Call
from .._response import Operation
from ._base import AsyncResource, SyncResource

__all__ = ["AsyncStats", "Stats"]

GET = Operation[StatsModel](get_stats, 200)


def _get(timeout: TimeoutArg, max_retries: int | None) -> Call[StatsModel]:
    return Call(GET, GET.kwargs(), timeout, max_retries)


class Stats(SyncResource):
    """Statistics (``client.stats``)."""

    def get(self, *, timeout: TimeoutArg = None, max_retries: int | None = None) -> StatsModel:
        """Sessions, images and delivery figures for the account."""
        return self._core.run(_get(timeout, max_retries))


class AsyncStats(AsyncResource):
    """Statistics (``client.stats``), async."""

    async def get(
        self, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> StatsModel:
        """Sessions, images and delivery figures for the account."""
        return await self._core.run(_get(timeout, max_retries))
