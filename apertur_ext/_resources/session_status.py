"""The media and status half of ``client.sessions``: QR code, delivery status, long-poll wait.

Mixed into ``Sessions`` / ``AsyncSessions`` (kept apart only to keep modules small).
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

from typing import overload

from apertur_api.models import DeliveryStatus

from .._config import TimeoutArg
from .._sinks import DownloadTarget
from . import _session_calls as calls
from ._base import AsyncResource, SyncResource

__all__ = ["AsyncSessionStatus", "SessionStatus"]


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
