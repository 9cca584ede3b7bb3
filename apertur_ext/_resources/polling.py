"""``client.polling``: the pull-delivery queue of a long-polling session.

``list`` → ``download`` → ``ack``, or :meth:`Polling.poll_and_process`, which runs that loop
(engine in ``_polling`` / ``_polling_async``): acknowledge only after the handler returned,
nothing handled twice per run, transient errors retried, graceful stop.
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import overload

from apertur_api.api.polling import ack_image, download_polled_image, poll_images
from apertur_api.models import AckRequest, AckResult, PollImage, PollResult
from apertur_api.types import File

from .._config import TimeoutArg
from .._polling import ErrorPolicy, PollSummary, run_poll_and_process
from .._polling_async import AsyncStopEvent, async_run_poll_and_process
from .._request import Call
from .._response import Operation
from .._sinks import DownloadTarget
from ._base import AsyncResource, SyncResource, require_id

__all__ = ["AsyncPolling", "Polling"]

LIST = Operation[PollResult](poll_images, 200)
DOWNLOAD = Operation[File](download_polled_image, 200)
ACK = Operation[AckResult](ack_image, 200)


def _list(uuid: str, timeout: TimeoutArg, max_retries: int | None) -> Call[PollResult]:
    return Call(LIST, LIST.kwargs(require_id(uuid, "uuid")), timeout, max_retries)


def _download(uuid: str, image_id: str, timeout: TimeoutArg, max_retries: int | None) -> Call[File]:
    kwargs = DOWNLOAD.kwargs(require_id(uuid, "uuid"), require_id(image_id, "image_id"))
    return Call(DOWNLOAD, kwargs, timeout, max_retries)


def _ack(uuid: str, image_id: str, timeout: TimeoutArg, max_retries: int | None) -> Call[AckResult]:
    # An empty JSON object, not an empty body: the server fails on JSON content-type + no body.
    kwargs = ACK.kwargs(
        require_id(uuid, "uuid"), require_id(image_id, "image_id"), body=AckRequest()
    )
    return Call(ACK, kwargs, timeout, max_retries)


class Polling(SyncResource):
    """The pull queue (``client.polling``)."""

    def list(
        self, uuid: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> PollResult:
        """The images not yet acknowledged (``.images``)."""
        return self._core.run(_list(uuid, timeout, max_retries))

    @overload
    def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """The image's bytes, or streamed into ``to`` (a path, written atomically, or a
        binary file object), returning the number of bytes written."""
        return self._core.download(_download(uuid, image_id, timeout, max_retries), to)

    def ack(
        self,
        uuid: str,
        image_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AckResult:
        """Acknowledge an image: it leaves the queue."""
        return self._core.run(_ack(uuid, image_id, timeout, max_retries))

    def poll_and_process(
        self,
        uuid: str,
        handler: Callable[[PollImage, bytes], object],
        *,
        interval: float = 3.0,
        timeout: float = 0,
        max_images: int | None = None,
        stop: threading.Event | None = None,
        on_error: Callable[[PollImage, BaseException], object] | None = None,
        error_policy: ErrorPolicy = "stop",
        concurrency: int = 1,
        summary: PollSummary | None = None,
    ) -> PollSummary:
        """Poll, download, call ``handler(image, data)``, then acknowledge, until stopped.

        ``interval`` seconds between empty polls; ``timeout`` seconds for the whole run (0 =
        no limit); ``max_images``; a ``stop`` event; ``on_error(image, error)`` when a handler
        fails, then ``error_policy`` "stop" (re-raise) or "skip" (leave it for a later run);
        ``concurrency`` handlers in parallel. Returns what was done (:class:`PollSummary`).
        """
        require_id(uuid, "uuid")
        return run_poll_and_process(
            lambda: self.list(uuid),
            lambda image: self.download(uuid, image.id),
            lambda image: self.ack(uuid, image.id),
            handler,
            interval=interval,
            timeout=timeout,
            max_images=max_images,
            stop=stop,
            on_error=on_error,
            error_policy=error_policy,
            concurrency=concurrency,
            summary=summary,
        )


class AsyncPolling(AsyncResource):
    """The pull queue (``client.polling``), async."""

    async def list(
        self, uuid: str, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> PollResult:
        """The images not yet acknowledged (``.images``)."""
        return await self._core.run(_list(uuid, timeout, max_retries))

    @overload
    async def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: None = ...,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> bytes: ...
    @overload
    async def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget,
        timeout: TimeoutArg = ...,
        max_retries: int | None = ...,
    ) -> int: ...
    async def download(
        self,
        uuid: str,
        image_id: str,
        *,
        to: DownloadTarget | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> bytes | int:
        """The image's bytes, or streamed into ``to`` (returns the byte count)."""
        return await self._core.download(_download(uuid, image_id, timeout, max_retries), to)

    async def ack(
        self,
        uuid: str,
        image_id: str,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AckResult:
        """Acknowledge an image: it leaves the queue."""
        return await self._core.run(_ack(uuid, image_id, timeout, max_retries))

    async def poll_and_process(
        self,
        uuid: str,
        handler: Callable[[PollImage, bytes], object],
        *,
        interval: float = 3.0,
        timeout: float = 0,
        max_images: int | None = None,
        stop: AsyncStopEvent | None = None,
        on_error: Callable[[PollImage, BaseException], object] | None = None,
        error_policy: ErrorPolicy = "stop",
        concurrency: int = 1,
        summary: PollSummary | None = None,
    ) -> PollSummary:
        """Async :meth:`Polling.poll_and_process`; ``handler``/``on_error`` may be coroutine
        functions, ``stop`` an ``anyio.Event`` or ``asyncio.Event``."""
        require_id(uuid, "uuid")

        async def download(image: PollImage) -> bytes:
            return await self.download(uuid, image.id)

        async def ack(image: PollImage) -> AckResult:
            return await self.ack(uuid, image.id)

        async def list_images() -> PollResult:
            return await self.list(uuid)

        return await async_run_poll_and_process(
            list_images,
            download,
            ack,
            handler,
            interval=interval,
            timeout=timeout,
            max_images=max_images,
            stop=stop,
            on_error=on_error,
            error_policy=error_policy,
            concurrency=concurrency,
            summary=summary,
        )
