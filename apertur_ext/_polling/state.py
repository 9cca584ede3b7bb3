"""Shared, I/O-free core of the ``poll_and_process`` engines (``engine``, ``engine_async``):
options, run bookkeeping, the summary and the loop-level retry decision."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal, Protocol

import attrs

from apertur_api.models.poll_image import PollImage

from .._core.exceptions import APIConnectionError, InvalidInputError, RateLimitError, ServerError
from .._core.retry import RetryPolicy

__all__ = [
    "DEFAULT_POLL_RETRY",
    "ErrorPolicy",
    "Interrupted",
    "Options",
    "PollSummary",
    "RunState",
    "StopReason",
    "retry_delay",
]

logger = logging.getLogger("apertur")
ErrorPolicy = Literal["stop", "skip"]
StopReason = Literal["stop_event", "max_images", "timeout"]

DEFAULT_POLL_RETRY = RetryPolicy(max_retries=6, initial_delay=1.0, max_delay=30.0)
"""Loop-level retries: rides out about a minute of outage on top of the client's own retries."""


def retry_delay(policy: RetryPolicy, attempt: int, exc: Exception) -> float | None:
    """Seconds to wait before retry ``attempt + 1`` after ``exc``, or None: not transient
    (connection trouble, 429, 5xx) or out of retries. A 429's ``retry_after`` is honoured up to
    ``policy.max_retry_after``."""
    if attempt >= policy.max_retries:
        return None
    if not isinstance(exc, APIConnectionError | RateLimitError | ServerError):
        return None
    delay = policy.backoff(attempt)
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        delay = max(delay, min(exc.retry_after, policy.max_retry_after))
    return delay


@attrs.define
class PollSummary:
    """What a run did. ``failed`` holds ``(image id, repr(error))`` of images whose handler
    failed (left unacknowledged); ``skipped`` counts images gone before download (404/410)."""

    processed: int = 0
    acknowledged: int = 0
    failed: list[tuple[str, str]] = attrs.field(factory=list)
    skipped: int = 0
    polls: int = 0
    stopped_reason: StopReason | None = None

    def describe(self) -> str:
        """One line for logs and exception notes."""
        return (
            f"poll_and_process: {self.polls} polls, {self.processed} processed, "
            f"{self.acknowledged} acknowledged, {len(self.failed)} failed, {self.skipped} skipped"
        )


class _StopFlag(Protocol):
    def is_set(self) -> bool: ...


class Interrupted(Exception):
    """Internal: a backoff wait was cut short by the stop event or an abandoned run."""


@attrs.frozen
class Options:
    """The knobs of a run, validated once; shared by the sync and async engines."""

    interval: float
    timeout: float
    max_images: int | None
    error_policy: ErrorPolicy
    concurrency: int
    clock: Callable[[], float]
    retry: RetryPolicy

    def __attrs_post_init__(self) -> None:
        if not self.interval >= 0 or not self.timeout >= 0:
            raise InvalidInputError("interval and timeout must be >= 0 seconds")
        if self.max_images is not None and self.max_images < 1:
            raise InvalidInputError("max_images must be >= 1 (or None for no limit)")
        if self.error_policy not in ("stop", "skip"):
            raise InvalidInputError("error_policy must be 'stop' or 'skip'")
        if self.concurrency < 1:
            raise InvalidInputError("concurrency must be >= 1")


class RunState:
    """Everything of a run that does no I/O: limits, bookkeeping, retry decisions."""

    def __init__(self, stop: _StopFlag, opts: Options, summary: PollSummary | None) -> None:
        self.stop, self.opts = stop, opts
        self.summary = PollSummary() if summary is None else summary
        self.deadline = opts.clock() + opts.timeout if opts.timeout > 0 else None
        self.seen: set[str] = set()
        self.started = 0
        self.halt: BaseException | None = None  # the first error that ends the run
        self.aborted = False  # abandoned (Ctrl-C, cancellation, error): acknowledge nothing more
        self.lock = threading.Lock()

    def stop_reason(self) -> StopReason | None:
        """Why the run should end now, if it should."""
        if self.stop.is_set():
            return "stop_event"
        if self.opts.max_images is not None and self.started >= self.opts.max_images:
            return "max_images"
        if self.deadline is not None and self.opts.clock() >= self.deadline:
            return "timeout"
        return None

    def may_start(self, image: PollImage) -> bool:
        """Whether to handle ``image`` now: the run goes on and the image is new to it."""
        if self.halt is not None or self.stop_reason() is not None:
            return False
        with self.lock:
            if image.id in self.seen:
                return False
            self.seen.add(image.id)
            self.started += 1
            return True

    def idle_seconds(self) -> float:
        """The interval sleep, cut to what is left before the deadline."""
        if self.deadline is None:
            return self.opts.interval
        return max(0.0, min(self.opts.interval, self.deadline - self.opts.clock()))

    def backoff(self, attempt: int, exc: Exception, what: str) -> float:
        """Seconds to wait before retrying ``what``; re-raises ``exc`` when not retryable."""
        delay = retry_delay(self.opts.retry, attempt, exc)
        if delay is None:
            raise exc
        retries = self.opts.retry.max_retries
        logger.warning(
            "poll_and_process: %s failed (%r); retry %d/%d in %.2fs",
            *(what, exc, attempt + 1, retries, delay),
        )
        return delay

    def count(self, field: Literal["processed", "acknowledged", "skipped"]) -> None:
        with self.lock:
            setattr(self.summary, field, getattr(self.summary, field) + 1)

    def vanished(self, image: PollImage) -> None:
        logger.info("poll_and_process: image %s left the queue before download", image.id)
        self.count("skipped")

    def record_failure(self, image: PollImage, exc: BaseException) -> None:
        """Note a failed handler; under the "stop" policy it becomes the run's halt reason."""
        logger.warning("poll_and_process: handler failed for image %s: %r", image.id, exc)
        with self.lock:
            self.summary.failed.append((image.id, repr(exc)))
        if self.opts.error_policy == "stop":
            self.set_halt(exc)

    def set_halt(self, exc: BaseException) -> None:
        with self.lock:
            if self.halt is None:
                self.halt = exc

    def raise_halt(self) -> None:
        """Raise the error that ended the run, with a note on what the run did."""
        exc = self.halt
        if exc is not None:
            exc.add_note(self.summary.describe() + "; unfinished images were not acknowledged")
            raise exc

    def finish(self, reason: StopReason | None) -> PollSummary:
        self.summary.stopped_reason = reason
        logger.info("%s; stopped by %s", self.summary.describe(), reason)
        return self.summary
