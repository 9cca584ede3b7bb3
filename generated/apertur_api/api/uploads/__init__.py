"""The ``uploads`` namespace: ``Uploads`` and ``AsyncUploads``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator
from typing import overload

from ... import types as _arg
from ...models import UploadRow, UploadsPage
from ...types import AsyncResource, Body, DownloadTarget, Headers, Query, SyncResource, Timeout
from . import download_upload as _download_upload
from . import list_recent_uploads as _list_recent_uploads
from . import list_uploads as _list_uploads


class Uploads(SyncResource):
    """The ``uploads`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> UploadsPage:
        """List the project's uploads, one page at a time"""
        return self._requester.run(
            _list_uploads.OPERATION,
            lambda: _list_uploads._get_kwargs(
                page=_arg.given(page), page_size=_arg.given(page_size)
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = 10_000,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Iterator[UploadRow]:
        """Every row of :meth:`list`, fetching one page (of ``page_size`` rows) at a time as the
        iteration reaches it; a row that comes round again on a later page (rows added meanwhile
        shift the pages) is not repeated.

        ``timeout`` and ``max_retries`` apply to each page's request. The walk ends after the
        last page (``totalPages``) or on an empty page; after ``max_pages`` pages without an
        end, ``InvalidResponseError`` is raised.
        """
        return self._requester.pages(
            lambda number: self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            max_pages,
        )

    def recent(
        self,
        *,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[UploadRow]:
        """The most recent uploads"""
        return self._requester.run(
            _list_recent_uploads.OPERATION,
            lambda: _list_recent_uploads._get_kwargs(limit=_arg.given(limit)),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    def download(
        self,
        record_id: str,
        *,
        to: None = ...,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> bytes: ...

    @overload
    def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> int: ...

    def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """Download an uploaded image by its record id

        The record id is a file's `record_id` in the delivery status, the `id` of an upload row or
        of an image event.

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return self._requester.download(
            _download_upload.OPERATION,
            lambda: _download_upload._get_kwargs(_arg.path_arg(record_id, "record_id")),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncUploads(AsyncResource):
    """The ``uploads`` operations (asynchronous; see :class:`Uploads`)."""

    async def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> UploadsPage:
        """List the project's uploads, one page at a time"""
        return await self._requester.run(
            _list_uploads.OPERATION,
            lambda: _list_uploads._get_kwargs(
                page=_arg.given(page), page_size=_arg.given(page_size)
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = 10_000,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[UploadRow]:
        """Every row of :meth:`list`, fetching one page (of ``page_size`` rows) at a time as the
        iteration reaches it; a row that comes round again on a later page (rows added meanwhile
        shift the pages) is not repeated.

        ``timeout`` and ``max_retries`` apply to each page's request. The walk ends after the
        last page (``totalPages``) or on an empty page; after ``max_pages`` pages without an
        end, ``InvalidResponseError`` is raised. Iterate with ``async for``.
        """
        return self._requester.pages(
            lambda number: self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            max_pages,
        )

    async def recent(
        self,
        *,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[UploadRow]:
        """The most recent uploads"""
        return await self._requester.run(
            _list_recent_uploads.OPERATION,
            lambda: _list_recent_uploads._get_kwargs(limit=_arg.given(limit)),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    async def download(
        self,
        record_id: str,
        *,
        to: None = ...,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> bytes: ...

    @overload
    async def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> int: ...

    async def download(
        self,
        record_id: str,
        *,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """Download an uploaded image by its record id

        The record id is a file's `record_id` in the delivery status, the `id` of an upload row or
        of an image event.

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return await self._requester.download(
            _download_upload.OPERATION,
            lambda: _download_upload._get_kwargs(_arg.path_arg(record_id, "record_id")),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncUploads", "Uploads"]
