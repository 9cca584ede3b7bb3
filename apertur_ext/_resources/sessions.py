"""``client.sessions``: create, read, update, list, verify and share upload sessions.

The QR code, delivery status and ``wait_for_delivery`` live in ``session_status`` (mixed in).
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import builtins
import datetime
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any

from apertur_api.models import (
    CreateSessionResult,
    Session,
    SessionRow,
    SessionsPage,
    ShareSessionResult,
    VerifyPasswordResult,
)

from .._config import TimeoutArg
from .._pagination import DEFAULT_MAX_PAGES, aiterate_pages, iterate_pages
from . import _session_calls as calls
from ._base import UNSET, Unset
from .session_status import AsyncSessionStatus, SessionStatus

__all__ = ["AsyncSessions", "Sessions"]


class Sessions(SessionStatus):
    """Upload sessions (``client.sessions``)."""

    def create(
        self,
        *,
        destination_ids: Iterable[str] | None = None,
        long_polling: bool | None = None,
        tags: Iterable[str] | None = None,
        expires_in_hours: int | None = None,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        password: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> CreateSessionResult:
        """Create an upload session; every option is optional (None leaves it out)."""
        return self._core.run(
            calls.create(
                destination_ids=destination_ids,
                long_polling=long_polling,
                tags=tags,
                expires_in_hours=expires_in_hours,
                expires_at=expires_at,
                max_images=max_images,
                allowed_mime_types=allowed_mime_types,
                max_image_dimension=max_image_dimension,
                password=password,
                metadata=metadata,
                timeout=timeout,
                max_retries=max_retries,
            )
        )

    def get(
        self, uuid: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> Session:
        """The session's details."""
        return self._core.run(calls.get(uuid, timeout, max_retries))

    def update(
        self,
        uuid: str,
        *,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        max_image_size_mb: int | None = None,
        password: str | Unset | None = UNSET,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Session:
        """Change session settings. ``password=None`` removes the password; leaving it out
        keeps it."""
        return self._core.run(
            calls.update(
                uuid,
                expires_at=expires_at,
                max_images=max_images,
                allowed_mime_types=allowed_mime_types,
                max_image_dimension=max_image_dimension,
                max_image_size_mb=max_image_size_mb,
                password=password,
                timeout=timeout,
                max_retries=max_retries,
            )
        )

    def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> SessionsPage:
        """One page of the project's sessions (1-based ``page``)."""
        return self._core.run(calls.list_page(page, page_size, timeout, max_retries))

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Iterator[SessionRow]:
        """Every session, fetching one page at a time as the iterator advances."""
        return iterate_pages(
            lambda n: self.list(
                page=n, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            lambda p: p.data,
            lambda p: p.total_pages,
            max_pages=max_pages,
            key_of=lambda row: row.id,
        )

    def recent(
        self,
        *,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> builtins.list[SessionRow]:
        """The most recent sessions."""
        return self._core.run(calls.recent(limit, timeout, max_retries))

    def verify_password(
        self,
        uuid: str,
        password: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> VerifyPasswordResult:
        """Check a session password (``.valid``)."""
        return self._core.run(calls.verify_password(uuid, password, timeout, max_retries))

    def share(
        self,
        uuid: str,
        *,
        channel: str,
        recipient: str,
        sms_consent: bool | None = None,
        note: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> ShareSessionResult:
        """Send the session link by ``email`` or ``sms`` (``sms_consent=True`` for sms)."""
        return self._core.run(
            calls.share(
                uuid,
                channel=channel,
                recipient=recipient,
                sms_consent=sms_consent,
                note=note,
                timeout=timeout,
                max_retries=max_retries,
            )
        )


class AsyncSessions(AsyncSessionStatus):
    """Upload sessions (``client.sessions``), async."""

    async def create(
        self,
        *,
        destination_ids: Iterable[str] | None = None,
        long_polling: bool | None = None,
        tags: Iterable[str] | None = None,
        expires_in_hours: int | None = None,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        password: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> CreateSessionResult:
        """Create an upload session; every option is optional (None leaves it out)."""
        return await self._core.run(
            calls.create(
                destination_ids=destination_ids,
                long_polling=long_polling,
                tags=tags,
                expires_in_hours=expires_in_hours,
                expires_at=expires_at,
                max_images=max_images,
                allowed_mime_types=allowed_mime_types,
                max_image_dimension=max_image_dimension,
                password=password,
                metadata=metadata,
                timeout=timeout,
                max_retries=max_retries,
            )
        )

    async def get(
        self, uuid: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> Session:
        """The session's details."""
        return await self._core.run(calls.get(uuid, timeout, max_retries))

    async def update(
        self,
        uuid: str,
        *,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        max_image_size_mb: int | None = None,
        password: str | Unset | None = UNSET,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Session:
        """Change session settings. ``password=None`` removes the password; leaving it out
        keeps it."""
        return await self._core.run(
            calls.update(
                uuid,
                expires_at=expires_at,
                max_images=max_images,
                allowed_mime_types=allowed_mime_types,
                max_image_dimension=max_image_dimension,
                max_image_size_mb=max_image_size_mb,
                password=password,
                timeout=timeout,
                max_retries=max_retries,
            )
        )

    async def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> SessionsPage:
        """One page of the project's sessions (1-based ``page``)."""
        return await self._core.run(calls.list_page(page, page_size, timeout, max_retries))

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[SessionRow]:
        """Every session (``async for``), fetching one page at a time."""
        return aiterate_pages(
            lambda n: self.list(
                page=n, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            lambda p: p.data,
            lambda p: p.total_pages,
            max_pages=max_pages,
            key_of=lambda row: row.id,
        )

    async def recent(
        self,
        *,
        limit: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> builtins.list[SessionRow]:
        """The most recent sessions."""
        return await self._core.run(calls.recent(limit, timeout, max_retries))

    async def verify_password(
        self,
        uuid: str,
        password: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> VerifyPasswordResult:
        """Check a session password (``.valid``)."""
        return await self._core.run(calls.verify_password(uuid, password, timeout, max_retries))

    async def share(
        self,
        uuid: str,
        *,
        channel: str,
        recipient: str,
        sms_consent: bool | None = None,
        note: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> ShareSessionResult:
        """Send the session link by ``email`` or ``sms`` (``sms_consent=True`` for sms)."""
        return await self._core.run(
            calls.share(
                uuid,
                channel=channel,
                recipient=recipient,
                sms_consent=sms_consent,
                note=note,
                timeout=timeout,
                max_retries=max_retries,
            )
        )
