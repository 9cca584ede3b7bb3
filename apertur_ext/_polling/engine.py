"""The ``poll_and_process`` engine for the pull-delivery queue; the async twin is in
``engine_async``.

A run: list the queue → for each image not yet seen in this run: download, call the handler, and
acknowledge **only after the handler returned** → poll again at once if new images came, else
sleep ``interval`` → repeat until the stop event is set, ``max_images`` images were started, or
``timeout`` seconds passed (0 = no limit). Then it returns a :class:`PollSummary`.

* A failing handler loses nothing: its image is not acknowledged, so a later run gets it again.
  ``error_policy="stop"`` (default, as in the official SDK): record it, call ``on_error``, let
  in-flight images finish, then re-raise the handler's own exception (a note summarises the run).
  ``"skip"``: record it, call ``on_error``, go on; the image is not handled again in this run.
* No image is handled twice in one run (ids are tracked). A failed ack is retried with backoff
  without calling the handler again; an ack answered 409 (already acknowledged) counts.
* Transient API errors (:class:`APIConnectionError`, :class:`RateLimitError` honouring
  ``retry_after``, :class:`ServerError`) in list/download/ack are retried per ``retry`` (on top of
  the client's own per-request retries); other API errors, or a spent budget, raise. A download
  answered 404/410 (the image left the queue) is counted in ``skipped``.
* ``concurrency > 1`` handles images in a thread pool (async: tasks); at most ``concurrency``
  downloads are in flight, so memory stays bounded.
* The stop event is checked before each list and each image and wakes the interval sleep (and
  list/download backoff) at once. ``KeyboardInterrupt`` and cancellation propagate; once a run is
  abandoned nothing more is acknowledged.

Pass ``summary=PollSummary()`` to keep the counts when the run ends with an exception.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

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
    StopReason,
    retry_delay,
)

__all__ = [
    "DEFAULT_POLL_RETRY",
    "ErrorPolicy",
    "PollSummary",
    "StopReason",
    "retry_delay",
    "run_poll_and_process",
]

T = TypeVar("T")


@attrs.frozen
class _Calls:
    list_images: Callable[[], PollResult]
    download: Callable[[PollImage], bytes]
    ack: Callable[[PollImage], object]
    handler: Callable[[PollImage, bytes], object]
    on_error: Callable[[PollImage, BaseException], object] | None


class _SyncRun(RunState):
    def __init__(
        self,
        calls: _Calls,
        stop: threading.Event,
        sleep: Callable[[float], object] | None,
        opts: Options,
        summary: PollSummary | None,
    ) -> None:
        super().__init__(stop, opts, summary)
        self.calls, self.event, self.sleep = calls, stop, sleep

    def pause(self, seconds: float, interruptible: bool) -> None:
        if self.sleep is not None:
            self.sleep(seconds)
        elif interruptible:
            self.event.wait(seconds)  # returns at once when the stop event is set
        else:
            time.sleep(seconds)
        if (interruptible and self.stop.is_set()) or self.aborted:
            raise Interrupted

    def call(self, fn: Callable[[], T], what: str, interruptible: bool = True) -> T:
        attempt = 0
        while True:
            try:
                return fn()
            except Exception as exc:
                delay = self.backoff(attempt, exc, what)
            attempt += 1
            self.pause(delay, interruptible)

    def process(self, image: PollImage) -> None:
        """Download, handle, then acknowledge one image. API errors propagate."""
        try:
            data = self.call(lambda: self.calls.download(image), "download")
        except (NotFoundError, GoneError):
            return self.vanished(image)
        except Interrupted:
            return None
        try:
            self.calls.handler(image, data)
        except Exception as exc:
            self.record_failure(image, exc)
            if self.calls.on_error is not None:
                self.calls.on_error(image, exc)
            return None
        finally:
            del data  # do not hold the image while acknowledging
        self.count("processed")
        try:
            if not self.aborted:
                self.call(lambda: self.calls.ack(image), "ack", interruptible=False)
                self.count("acknowledged")
        except ConflictError:
            self.count("acknowledged")  # already acknowledged: what the ack wanted
        except Interrupted:
            pass
        return None

    def work(self, image: PollImage) -> None:
        """``process`` in a worker thread: an error halts the run instead of escaping."""
        try:
            if self.halt is None and not self.aborted:
                self.process(image)
        except BaseException as exc:
            self.set_halt(exc)

    def batch(self, images: list[PollImage], pool: ThreadPoolExecutor | None) -> bool:
        """Handle the new images of one poll; returns whether there were any."""
        new = False
        running: set[Future[None]] = set()
        try:
            for image in images:
                if not self.may_start(image):
                    if self.halt is not None or self.stop_reason() is not None:
                        break
                    continue
                new = True
                if pool is None:
                    self.process(image)
                    continue
                if len(running) >= self.opts.concurrency:
                    running = wait(running, return_when=FIRST_COMPLETED).not_done
                running.add(pool.submit(self.work, image))
            wait(running)
        finally:
            for future in running:
                future.cancel()
        return new

    def run(self) -> PollSummary:
        workers = self.opts.concurrency
        pool = ThreadPoolExecutor(workers, "apertur-poll") if workers > 1 else None
        try:
            while (reason := self.stop_reason()) is None:
                try:
                    result = self.call(self.calls.list_images, "list")
                    self.summary.polls += 1
                    new = self.batch(list(result.images), pool)
                    self.raise_halt()
                    if not new:
                        self.pause(self.idle_seconds(), interruptible=True)
                except Interrupted:
                    continue
            return self.finish(reason)
        except BaseException:
            self.aborted = True
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)


def run_poll_and_process(
    list_images: Callable[[], PollResult],
    download: Callable[[PollImage], bytes],
    ack: Callable[[PollImage], object],
    handler: Callable[[PollImage, bytes], object],
    *,
    interval: float = 3.0,
    timeout: float = 0,
    max_images: int | None = None,
    stop: threading.Event | None = None,
    on_error: Callable[[PollImage, BaseException], object] | None = None,
    error_policy: ErrorPolicy = "stop",
    concurrency: int = 1,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] | None = None,
    retry: RetryPolicy = DEFAULT_POLL_RETRY,
    summary: PollSummary | None = None,
) -> PollSummary:
    """Run poll → download → handle → ack until stopped (see the module docstring).

    ``list_images``/``download``/``ack`` are the client's calls for one session. ``sleep``
    defaults to waiting on ``stop`` (``time.sleep`` for ack backoff); it and ``clock`` can be
    replaced in tests. Raises the handler's error (policy "stop"), or an API error that is not
    transient or outlived ``retry``.
    """
    opts = Options(interval, timeout, max_images, error_policy, concurrency, clock, retry)
    calls = _Calls(list_images, download, ack, handler, on_error)
    return _SyncRun(calls, threading.Event() if stop is None else stop, sleep, opts, summary).run()
