"""``client.sessions``: the generated methods, plus ``list_all`` and ``wait_for_delivery``."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import time

import httpx

from apertur_api.api import sessions as generated
from apertur_api.models import DeliveryStatus, SessionRow

from .._core.config import LONG_POLL_READ_TIMEOUT
from .._polling.waiting import Condition, async_wait_for_delivery, settled, wait_for_delivery
from .access import AsyncCoreAccess, SyncCoreAccess
from .pagination import AsyncListAll, ListAll

__all__ = ["AsyncSessions", "Sessions"]


def _hold_timeout(base: httpx.Timeout, deadline: float) -> httpx.Timeout:
    """The long-poll timeout of one wait step: never read past the wait's own deadline."""
    left = deadline - time.monotonic() + 0.5
    read = max(0.5, min(LONG_POLL_READ_TIMEOUT, left))
    return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)


class Sessions(SyncCoreAccess, ListAll[SessionRow], generated.Sessions):
    """Upload sessions (``client.sessions``)."""

    def wait_for_delivery(
        self,
        uuid: str,
        condition: Condition = settled,
        *,
        timeout: float = 600.0,
        min_interval: float = 1.0,
    ) -> DeliveryStatus:
        """Follow the delivery-status long-poll until ``condition(status)`` holds.

        ``condition`` defaults to ``settled`` (every destination of every file ``sent`` or
        ``failed``; see also ``all_sent`` and ``at_least(n)``). Returns the status that
        satisfied it; raises ``DeliveryTimeoutError`` (with ``last_status``) after ``timeout``
        seconds. Each held request is cut short at the deadline.
        """
        deadline = time.monotonic() + timeout
        base = self._core.config.timeout

        def fetch(poll_from: str | None) -> DeliveryStatus:
            return self.delivery_status(
                uuid,
                poll_from=poll_from,
                timeout=_hold_timeout(base, deadline),
                max_retries=0,  # the wait loop retries transient errors itself
            )

        return wait_for_delivery(fetch, condition, timeout=timeout, min_interval=min_interval)


class AsyncSessions(AsyncCoreAccess, AsyncListAll[SessionRow], generated.AsyncSessions):
    """Upload sessions (``client.sessions``), async."""

    async def wait_for_delivery(
        self,
        uuid: str,
        condition: Condition = settled,
        *,
        timeout: float = 600.0,
        min_interval: float = 1.0,
    ) -> DeliveryStatus:
        """Follow the delivery-status long-poll until ``condition(status)`` holds (see
        :meth:`Sessions.wait_for_delivery`)."""
        deadline = time.monotonic() + timeout
        base = self._core.config.timeout

        async def fetch(poll_from: str | None) -> DeliveryStatus:
            return await self.delivery_status(
                uuid,
                poll_from=poll_from,
                timeout=_hold_timeout(base, deadline),
                max_retries=0,  # the wait loop retries transient errors itself
            )

        return await async_wait_for_delivery(
            fetch, condition, timeout=timeout, min_interval=min_interval
        )
