"""The media and status half of ``client.sessions``: QR code, delivery status, long-poll wait.

Mixed into ``Sessions`` / ``AsyncSessions`` (kept apart only to keep modules small).
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import time
from typing import overload

import httpx

from apertur_api.models import DeliveryStatus

from .._config import LONG_POLL_READ_TIMEOUT, TimeoutArg
from .._sinks import DownloadTarget
from .._waiting import Condition, async_wait_for_delivery, settled, wait_for_delivery
from . import _session_calls as calls
from ._base import AsyncResource, SyncResource

__all__ = ["AsyncSessionStatus", "SessionStatus"]


def _hold_timeout(base: httpx.Timeout, deadline: float) -> httpx.Timeout:
    """The long-poll timeout of one wait step: never read past the wait's own deadline."""
    left = deadline - time.monotonic() + 0.5
    read = max(0.5, min(LONG_POLL_READ_TIMEOUT, left))
    return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)


class SessionStatus(SyncResource):
    """QR code and delivery status of a session."""

    @overload
    def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    def qr(
        self,
        uuid: str,
        *,
        format: str | None = None,
        size: int | None = None,
        style: str | None = None,
        fg: str | None = None,
        bg: str | None = None,
        border_size: int | None = None,
        border_color: str | None = None,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """The session's QR code (``format`` png, svg or jpeg; colours as hex without ``#``).

        Returns the bytes, or streams them into ``to`` (a path, written atomically, or a binary
        file object) and returns the number of bytes written.
        """
        call = calls.qr(
            uuid,
            format=format,
            size=size,
            style=style,
            fg=fg,
            bg=bg,
            border_size=border_size,
            border_color=border_color,
            timeout=timeout,
            max_retries=max_retries,
        )
        return self._core.download(call, to)

    def delivery_status(
        self,
        uuid: str,
        *,
        poll_from: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> DeliveryStatus:
        """Per-destination delivery status of the session's files.

        With ``poll_from`` (a previous ``last_changed``) the server holds the request up to
        5 minutes until something changes; the read timeout then defaults to 360 s.
        """
        return self._core.run(calls.delivery_status(uuid, poll_from, timeout, max_retries))

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


class AsyncSessionStatus(AsyncResource):
    """QR code and delivery status of a session, async."""

    @overload
    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = None,
        size: int | None = None,
        style: str | None = None,
        fg: str | None = None,
        bg: str | None = None,
        border_size: int | None = None,
        border_color: str | None = None,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """The session's QR code: bytes, or streamed into ``to`` (see ``Apertur``)."""
        call = calls.qr(
            uuid,
            format=format,
            size=size,
            style=style,
            fg=fg,
            bg=bg,
            border_size=border_size,
            border_color=border_color,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await self._core.download(call, to)

    async def delivery_status(
        self,
        uuid: str,
        *,
        poll_from: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> DeliveryStatus:
        """Per-destination delivery status; a long-poll with ``poll_from`` (read timeout 360 s)."""
        return await self._core.run(calls.delivery_status(uuid, poll_from, timeout, max_retries))

    async def wait_for_delivery(
        self,
        uuid: str,
        condition: Condition = settled,
        *,
        timeout: float = 600.0,
        min_interval: float = 1.0,
    ) -> DeliveryStatus:
        """Follow the delivery-status long-poll until ``condition(status)`` holds (see
        :meth:`SessionStatus.wait_for_delivery`)."""
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
