"""The ``polling`` namespace: ``Polling`` and ``AsyncPolling``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

from typing import overload

from ... import types as _arg
from ...models import AckRequest, AckResult, PollResult
from ...types import AsyncResource, Body, DownloadTarget, Headers, Query, SyncResource, Timeout
from . import ack_image as _ack_image
from . import download_polled_image as _download_polled_image
from . import poll_images as _poll_images


class Polling(SyncResource):
    """The ``polling`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def list(
        self,
        uuid: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> PollResult:
        """List the images not yet acknowledged

        Answers at once (no hold); call it again every few seconds.
        """
        return self._requester.run(
            _poll_images.OPERATION,
            lambda: _poll_images._get_kwargs(_arg.path_arg(uuid, "uuid")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    def download(
        self,
        uuid: str,
        image_id: str,
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
        uuid: str,
        image_id: str,
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
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """Download one queued image

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return self._requester.download(
            _download_polled_image.OPERATION,
            lambda: _download_polled_image._get_kwargs(
                _arg.path_arg(uuid, "uuid"), _arg.path_arg(image_id, "image_id")
            ),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def ack(
        self,
        uuid: str,
        image_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> AckResult:
        """Acknowledge a queued image, removing it from the queue

        The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
        image a second time answers 409.
        """
        return self._requester.run(
            _ack_image.OPERATION,
            lambda: _ack_image._get_kwargs(
                _arg.path_arg(uuid, "uuid"), _arg.path_arg(image_id, "image_id"), body=AckRequest()
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncPolling(AsyncResource):
    """The ``polling`` operations (asynchronous; see :class:`Polling`)."""

    async def list(
        self,
        uuid: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> PollResult:
        """List the images not yet acknowledged

        Answers at once (no hold); call it again every few seconds.
        """
        return await self._requester.run(
            _poll_images.OPERATION,
            lambda: _poll_images._get_kwargs(_arg.path_arg(uuid, "uuid")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    async def download(
        self,
        uuid: str,
        image_id: str,
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
        uuid: str,
        image_id: str,
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
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """Download one queued image

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return await self._requester.download(
            _download_polled_image.OPERATION,
            lambda: _download_polled_image._get_kwargs(
                _arg.path_arg(uuid, "uuid"), _arg.path_arg(image_id, "image_id")
            ),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def ack(
        self,
        uuid: str,
        image_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> AckResult:
        """Acknowledge a queued image, removing it from the queue

        The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
        image a second time answers 409.
        """
        return await self._requester.run(
            _ack_image.OPERATION,
            lambda: _ack_image._get_kwargs(
                _arg.path_arg(uuid, "uuid"), _arg.path_arg(image_id, "image_id"), body=AckRequest()
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncPolling", "Polling"]
