"""``client.polling``: the generated ``list`` / ``download`` / ``ack``, plus ``poll_and_process``
(the loop is in ``_polling``)."""

# ruff: noqa: ASYNC109 - ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import inspect
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from apertur_api.api import polling as generated
from apertur_api.models import PollImage
from apertur_api.types import Unset

from .._core.config import is_int
from .._core.exceptions import InvalidInputError, InvalidResponseError
from .._polling.engine import run_async, run_sync
from .._polling.state import AsyncStopEvent, Calls, ErrorPolicy, Options, PollSummary
from .access import require_id

__all__ = ["AsyncPolling", "Polling"]


def _checked(image: PollImage, data: bytes) -> bytes:
    """``data`` if it can be the image: not empty, and of the size the listing announced (if
    any); else :class:`InvalidResponseError`, so it is neither handled nor acknowledged."""
    size = image.size_bytes
    if not isinstance(size, Unset) and size != len(data):
        raise InvalidResponseError(
            f"the download of image {image.id} has {len(data)} bytes but size_bytes is {size}"
        )
    if not data:
        raise InvalidResponseError(f"the download of image {image.id} is empty")
    return data


async def _checked_async(image: PollImage, download: Awaitable[bytes]) -> bytes:
    return _checked(image, await download)


def _download(queue: Any, uuid: str) -> Callable[[PollImage], Any]:
    """``queue.download`` checked by :func:`_checked`, and held to the announced size (not
    past the client's ``max_download_bytes``), so that a longer body stops early."""
    limit = queue._requester.config.max_download_bytes

    def download(image: PollImage) -> Any:
        size = image.size_bytes
        fits = is_int(size) and 0 <= size <= limit
        data = queue.download(uuid, image.id, max_bytes=size if fits else None)
        if inspect.isawaitable(data):
            return _checked_async(image, data)
        return _checked(image, data)

    return download


def _calls(queue: Any, uuid: str, handler: Any, on_error: Any) -> Calls:
    """The queue's calls for ``uuid``; the ack without the client's own retries, so that a 409
    on a first attempt (another consumer's acknowledgement) is told apart."""
    require_id(uuid, "uuid")
    if not callable(handler):
        raise InvalidInputError("handler must be callable: handler(image, data)")
    if on_error is not None and not callable(on_error):
        raise InvalidInputError("on_error must be callable: on_error(image, error), or None")
    return Calls(
        lambda: queue.list(uuid),
        _download(queue, uuid),
        lambda image: queue.ack(uuid, image.id, max_retries=0),
        handler,
        on_error,
    )


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
        prefetch: int = 4,
    ) -> PollSummary:
        """Poll, download, call ``handler(image, data)``, then acknowledge, until stopped.

        ``interval`` seconds between empty polls; ``timeout`` seconds for the whole run (0 =
        no limit); ``max_images``; a ``stop`` event; ``on_error(image, error)`` when a handler
        fails, then ``error_policy`` "stop" (re-raise) or "skip" (leave it for a later run);
        ``concurrency`` handlers in parallel (one at a time, in queue order, by default);
        ``prefetch`` images downloaded ahead of the handlers while they run. While
        acknowledgements take over twice as long as the fastest one did, requests are queueing
        (as at a server on this machine) and more in flight would only cost CPU: downloading
        ahead pauses (one image ahead of a lone handler, none ahead of several) until they no
        longer do. Memory holds at most ``concurrency + prefetch`` images. A lone handler (and
        ``on_error``) runs in the calling thread, several in the run's worker threads. Returns
        what was done (:class:`PollSummary`). A download that is empty, or not of the
        ``size_bytes`` the listing announced, ends the run with :class:`InvalidResponseError`
        before any handler sees it (the image stays queued).

        Within a run no image is handled twice. Across runs and processes delivery is
        at-least-once (the API has no lease: two consumers can both handle an image before
        either acknowledges it), so make the handler idempotent, e.g. keyed by ``image.id``;
        ``summary.already_acknowledged`` counts images another consumer acknowledged first.
        """
        calls = _calls(self, uuid, handler, on_error)
        opts = Options(interval, timeout, max_images, error_policy, concurrency, prefetch)
        return run_sync(calls, opts, stop, summary)


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
        prefetch: int = 4,
    ) -> PollSummary:
        """Async :meth:`Polling.poll_and_process`; ``handler``/``on_error`` may be coroutine
        functions, ``stop`` an ``anyio.Event`` or ``asyncio.Event``."""
        calls = _calls(self, uuid, handler, on_error)
        opts = Options(interval, timeout, max_images, error_policy, concurrency, prefetch)
        return await run_async(calls, opts, stop, summary)
