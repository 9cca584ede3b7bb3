"""``client.uploads``: the project's upload history, and the stored images themselves."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator
from typing import overload

from apertur_api.api.uploads import download_upload, list_recent_uploads, list_uploads
from apertur_api.models import UploadRow, UploadsPage
from apertur_api.types import File

from .._config import TimeoutArg
from .._pagination import DEFAULT_MAX_PAGES, aiterate_pages, iterate_pages
from .._request import Call
from .._response import Operation
from .._sinks import DownloadTarget
from ._base import AsyncResource, SyncResource, opt, require_id

__all__ = ["AsyncUploads", "Uploads"]

LIST = Operation[UploadsPage](list_uploads, 200)
RECENT = Operation[list[UploadRow]](list_recent_uploads, 200)
DOWNLOAD = Operation[File](download_upload, 200)


def _list(
    page: int | None, page_size: int | None, timeout: TimeoutArg, max_retries: int | None
) -> Call[UploadsPage]:
    return Call(LIST, LIST.kwargs(page=opt(page), page_size=opt(page_size)), timeout, max_retries)


def _recent(
    limit: int | None, timeout: TimeoutArg, max_retries: int | None
) -> Call[list[UploadRow]]:
    return Call(RECENT, RECENT.kwargs(limit=opt(limit)), timeout, max_retries)


def _download(record_id: str, timeout: TimeoutArg, max_retries: int | None) -> Call[File]:
    return Call(DOWNLOAD, DOWNLOAD.kwargs(require_id(record_id, "record_id")), timeout, max_retries)


class Uploads(SyncResource):
    """Upload history (``client.uploads``)."""

    def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadsPage:
        """One page of uploads (1-based ``page``)."""
        return self._core.run(_list(page, page_size, timeout, max_retries))

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Iterator[UploadRow]:
        """Every upload, fetching one page at a time as the iterator advances."""
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
    ) -> builtins.list[UploadRow]:
        """The most recent uploads."""
        return self._core.run(_recent(limit, timeout, max_retries))

    @overload
    def download(
        self,
        record_id: str,
        *,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """A stored image by upload record id: bytes, or streamed into ``to`` (a path, written
        atomically, or a binary file object), returning the number of bytes written."""
        return self._core.download(_download(record_id, timeout, max_retries), to)


class AsyncUploads(AsyncResource):
    """Upload history (``client.uploads``), async."""

    async def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadsPage:
        """One page of uploads (1-based ``page``)."""
        return await self._core.run(_list(page, page_size, timeout, max_retries))

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[UploadRow]:
        """Every upload (``async for``), fetching one page at a time."""
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
    ) -> builtins.list[UploadRow]:
        """The most recent uploads."""
        return await self._core.run(_recent(limit, timeout, max_retries))

    @overload
    async def download(
        self,
        record_id: str,
        *,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    async def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    async def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """A stored image: bytes, or streamed into ``to`` (returns the byte count)."""
        return await self._core.download(_download(record_id, timeout, max_retries), to)
