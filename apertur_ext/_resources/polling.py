"""``client.polling``: the generated ``list`` / ``download`` / ``ack``, plus ``poll_and_process``.

``poll_and_process`` runs the loop (engine in ``_polling.engine`` / ``engine_async``): acknowledge
only after the handler returned, nothing handled twice per run, transient errors retried,
graceful stop.
"""

# ruff: noqa: ASYNC109 - ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import threading
from collections.abc import Callable

from apertur_api.api import polling as generated
from apertur_api.models import AckResult, PollImage, PollResult

from .._polling.engine import ErrorPolicy, PollSummary, run_poll_and_process
from .._polling.engine_async import AsyncStopEvent, async_run_poll_and_process
from .access import require_id

__all__ = ["AsyncPolling", "Polling"]


class Polling(generated.Polling):
    """The pull queue (``client.polling``)."""

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


class AsyncPolling(generated.AsyncPolling):
    """The pull queue (``client.polling``), async."""

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
