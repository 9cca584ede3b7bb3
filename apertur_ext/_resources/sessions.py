"""``client.sessions``: the generated methods, plus ``wait_for_delivery``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import httpx

from apertur_api.api import sessions as generated
from apertur_api.models import DeliveryStatus

from .._core.config import LONG_POLL_READ_TIMEOUT
from .._polling.waiting import Condition, async_wait_for_delivery, settled, wait_for_delivery
from .access import AsyncCoreAccess, SyncCoreAccess

__all__ = ["AsyncSessions", "Sessions"]

T = TypeVar("T")


def _step(
    delivery_status: Callable[..., T], uuid: str, base: httpx.Timeout, timeout: float
) -> Callable[..., T]:
    """One step of a wait: a delivery-status long-poll that never reads past the wait's
    deadline (from the first step: the wait has checked ``timeout`` by then), and is not
    retried (the wait loop retries transient errors itself)."""
    started: list[float] = []  # when the first step ran

    def step(poll_from: str | None) -> T:
        if not started:
            started.append(time.monotonic())
        left = started[0] + timeout - time.monotonic()
        read = max(0.5, min(LONG_POLL_READ_TIMEOUT, left + 0.5))
        hold = httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)
        return delivery_status(uuid, poll_from=poll_from, timeout=hold, max_retries=0)

    return step


class Sessions(SyncCoreAccess, generated.Sessions):
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
        step = _step(self.delivery_status, uuid, self._core.config.timeout, timeout)
        return wait_for_delivery(step, condition, timeout=timeout, min_interval=min_interval)


class AsyncSessions(AsyncCoreAccess, generated.AsyncSessions):
    """Upload sessions (``client.sessions``), async."""

    async def wait_for_delivery(
        self,
        uuid: str,
        condition: Condition = settled,
        *,
        timeout: float = 600.0,  # noqa: ASYNC109 - the wait's deadline, as on the sync twin
        min_interval: float = 1.0,
    ) -> DeliveryStatus:
        """Follow the delivery-status long-poll until ``condition(status)`` holds (see
        :meth:`Sessions.wait_for_delivery`)."""
        step = _step(self.delivery_status, uuid, self._core.config.timeout, timeout)
        return await async_wait_for_delivery(
            step, condition, timeout=timeout, min_interval=min_interval
        )
