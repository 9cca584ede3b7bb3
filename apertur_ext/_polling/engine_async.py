"""Async twin of the ``poll_and_process`` engine; the rules are in ``engine``'s docstring.

Runs on anyio (asyncio or trio). The handler and ``on_error`` may be coroutine functions or plain
functions: a plain handler runs in a worker thread (``anyio.to_thread``) so that blocking work does
not stall the event loop; a plain ``on_error`` is called inline. Concurrency uses tasks bounded by
a semaphore. Cancellation propagates: a handler cancelled mid-way is never acknowledged.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import anyio
import anyio.to_thread
import attrs

from apertur_api.models.poll_image import PollImage
from apertur_api.models.poll_result import PollResult

from .._core.exceptions import ConflictError, GoneError, NotFoundError
from .._core.retry import RetryPolicy
from .state import (
    DEFAULT_POLL_RETRY,
    ErrorPolicy,
    Interrupted,
    Options,
    PollSummary,
    RunState,
)

__all__ = ["AsyncStopEvent", "async_run_poll_and_process"]

T = TypeVar("T")


class AsyncStopEvent(Protocol):
    """What the stop event must offer: ``anyio.Event`` and ``asyncio.Event`` both do."""

    def is_set(self) -> bool: ...

    async def wait(self) -> object: ...


def _is_async_callable(fn: object) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 (callable objects with an async __call__)
    )


async def _call_maybe_async(fn: Callable[..., object], *args: object) -> None:
    result = fn(*args)
    if inspect.isawaitable(result):
        await result


@attrs.frozen
class _AsyncCalls:
    list_images: Callable[[], Awaitable[PollResult]]
    download: Callable[[PollImage], Awaitable[bytes]]
    ack: Callable[[PollImage], Awaitable[object]]
    handler: Callable[[PollImage, bytes], object]
    on_error: Callable[[PollImage, BaseException], object] | None


class _AsyncRun(RunState):
    def __init__(
        self,
        calls: _AsyncCalls,
        stop: AsyncStopEvent,
        sleep: Callable[[float], Awaitable[object]] | None,
        opts: Options,
        summary: PollSummary | None,
    ) -> None:
        super().__init__(stop, opts, summary)
        self.calls, self.event, self.sleep = calls, stop, sleep

    async def pause(self, seconds: float, interruptible: bool) -> None:
        if self.sleep is not None:
            await self.sleep(seconds)
        elif interruptible:
            with anyio.move_on_after(seconds):  # returns at once when the stop event is set
                await self.event.wait()
        else:
            await anyio.sleep(seconds)
        if (interruptible and self.stop.is_set()) or self.aborted:
            raise Interrupted

    async def call(
        self, fn: Callable[[], Awaitable[T]], what: str, interruptible: bool = True
    ) -> T:
        attempt = 0
        while True:
            try:
                return await fn()
            except Exception as exc:
                delay = self.backoff(attempt, exc, what)
            attempt += 1
            await self.pause(delay, interruptible)

    async def handle(self, image: PollImage, data: bytes) -> None:
        handler = self.calls.handler
        if _is_async_callable(handler):
            await handler(image, data)  # type: ignore[misc]
            return
        result = await anyio.to_thread.run_sync(handler, image, data)
        if inspect.isawaitable(result):
            await result

    async def process(self, image: PollImage) -> None:
        """Download, handle, then acknowledge one image. API errors propagate."""
        try:
            data = await self.call(lambda: self.calls.download(image), "download")
        except (NotFoundError, GoneError):
            return self.vanished(image)
        except Interrupted:
            return None
        try:
            await self.handle(image, data)
        except Exception as exc:
            self.record_failure(image, exc)
            if self.calls.on_error is not None:
                await _call_maybe_async(self.calls.on_error, image, exc)
            return None
        finally:
            del data  # do not hold the image while acknowledging
        self.count("processed")
        try:
            if not self.aborted:
                await self.call(lambda: self.calls.ack(image), "ack", interruptible=False)
                self.count("acknowledged")
        except ConflictError:
            self.count("acknowledged")  # already acknowledged: what the ack wanted
        except Interrupted:
            pass
        return None

    async def work(self, image: PollImage, slots: anyio.Semaphore) -> None:
        """``process`` in a task: an error halts the run instead of cancelling its siblings."""
        try:
            if self.halt is None:
                await self.process(image)
        except Exception as exc:  # cancellation is not an Exception: it propagates
            self.set_halt(exc)
        finally:
            slots.release()

    async def batch(self, images: list[PollImage]) -> bool:
        """Handle the new images of one poll; returns whether there were any."""
        new = False
        if self.opts.concurrency == 1:
            for image in images:
                if self.may_start(image):
                    new = True
                    await self.process(image)
                elif self.halt is not None or self.stop_reason() is not None:
                    break
            return new
        slots = anyio.Semaphore(self.opts.concurrency)
        async with anyio.create_task_group() as tasks:
            for image in images:
                await slots.acquire()  # a free slot first: stop/halt may change meanwhile
                if self.may_start(image):
                    new = True
                    tasks.start_soon(self.work, image, slots)
                    continue
                slots.release()
                if self.halt is not None or self.stop_reason() is not None:
                    break
        return new

    async def run(self) -> PollSummary:
        try:
            while (reason := self.stop_reason()) is None:
                try:
                    result = await self.call(self.calls.list_images, "list")
                    self.summary.polls += 1
                    new = await self.batch(list(result.images))
                    self.raise_halt()
                    if not new:
                        await self.pause(self.idle_seconds(), interruptible=True)
                except Interrupted:
                    continue
            return self.finish(reason)
        except BaseException:
            self.aborted = True
            raise


async def async_run_poll_and_process(
    list_images: Callable[[], Awaitable[PollResult]],
    download: Callable[[PollImage], Awaitable[bytes]],
    ack: Callable[[PollImage], Awaitable[object]],
    handler: Callable[[PollImage, bytes], object],
    *,
    interval: float = 3.0,
    timeout: float = 0,  # noqa: ASYNC109 (the official name: seconds until the run ends)
    max_images: int | None = None,
    stop: AsyncStopEvent | None = None,
    on_error: Callable[[PollImage, BaseException], object] | None = None,
    error_policy: ErrorPolicy = "stop",
    concurrency: int = 1,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    retry: RetryPolicy = DEFAULT_POLL_RETRY,
    summary: PollSummary | None = None,
) -> PollSummary:
    """Async :func:`~apertur_ext._polling.run_poll_and_process`: the API calls are coroutine
    functions, ``handler``/``on_error`` may be either kind, ``stop`` is an ``anyio.Event`` (or
    ``asyncio.Event``) and ``sleep`` a coroutine function (default: wait on ``stop``)."""
    opts = Options(interval, timeout, max_images, error_policy, concurrency, clock, retry)
    calls = _AsyncCalls(list_images, download, ack, handler, on_error)
    event: AsyncStopEvent = anyio.Event() if stop is None else stop
    return await _AsyncRun(calls, event, sleep, opts, summary).run()
