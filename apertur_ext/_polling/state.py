"""The I/O-free core of ``poll_and_process``: options, the summary, the retry decision, and a
run's decisions (what to list, download, hand to a handler and acknowledge next, given what has
finished), which ``engine`` carries out.

Downloads run up to ``prefetch`` images ahead of the handlers, which take images in queue order
(``concurrency`` at once); acknowledgements follow in the background. At most
``concurrency + prefetch`` requests are in flight and images held; while requests queue behind
one another (see :class:`Pace`), ``concurrency`` (two for a lone handler: its next image
downloads while it runs). The queue is listed again once everything taken from it is finished
(after ``interval`` if nothing new came).

A *fused* run (the sync client's) carries out each image as one job in a worker thread instead:
its download, its handler when one of the ``concurrency`` turns is free (a lone handler's turns
in queue order), then its acknowledgement; at most ``concurrency + prefetch`` jobs at once. The
job asks the run at each step (``take``, ``handled``, ``acked``), under the run's ``lock`` as
every other call, and once finished goes on with the next image the run gives it
(``finished``)."""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Literal, Protocol

import attrs

from apertur_api.models.poll_image import PollImage

from .._core.config import is_int, is_number
from .._core.exceptions import (
    APIConnectionError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from .._core.retry import RetryPolicy

__all__ = [
    "DEFAULT_POLL_RETRY",
    "AsyncStopEvent",
    "Calls",
    "ErrorPolicy",
    "Interrupted",
    "Kind",
    "Options",
    "Pace",
    "PollSummary",
    "Run",
    "Slot",
    "after_conflict",
    "retry_delay",
]

logger = logging.getLogger("apertur")
ErrorPolicy = Literal["stop", "skip"]
StopReason = Literal["stop_event", "max_images", "timeout"]
Kind = Literal["list", "download", "handle", "ack", "process"]
AckOutcome = Literal["acknowledged", "already_acknowledged"]

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


def after_conflict(attempt: int) -> AckOutcome:
    """What acknowledgement ``attempt`` did when answered 409: the image was acknowledged
    already, by another consumer on the first attempt, by this run's own earlier attempt (whose
    answer was lost) after."""
    return "already_acknowledged" if attempt == 0 else "acknowledged"


@attrs.define
class PollSummary:
    """What a run did. ``processed`` counts handlers that returned; ``acknowledged`` the
    acknowledgements this run made; ``already_acknowledged`` images handled here that another
    consumer had acknowledged first (the ack answered 409). ``failed`` holds ``(image id,
    repr(error))`` of images whose handler failed (left unacknowledged); ``skipped`` counts
    images gone before download (404/410)."""

    processed: int = 0
    acknowledged: int = 0
    failed: list[tuple[str, str]] = attrs.field(factory=list)
    skipped: int = 0
    polls: int = 0
    stopped_reason: StopReason | None = None
    already_acknowledged: int = attrs.field(default=0, kw_only=True)

    def describe(self) -> str:
        """One line for logs and exception notes."""
        return (
            f"poll_and_process: {self.polls} polls, {self.processed} processed, "
            f"{self.acknowledged} acknowledged, {self.already_acknowledged} already acknowledged "
            f"elsewhere, {len(self.failed)} failed, {self.skipped} skipped"
        )


class AsyncStopEvent(Protocol):
    """What the stop event must offer: ``anyio.Event`` and ``asyncio.Event`` both do."""

    def is_set(self) -> bool: ...

    async def wait(self) -> object: ...


class Interrupted(Exception):
    """Internal: a backoff wait was cut short by the stop event or an abandoned run."""


@attrs.frozen
class Options:
    """The knobs of a run, validated once."""

    interval: float = 3.0
    timeout: float = 0
    max_images: int | None = None
    error_policy: ErrorPolicy = "stop"
    concurrency: int = 1
    prefetch: int = 4  # enough to hide a WAN round trip behind a quick handler
    clock: Callable[[], float] = time.monotonic
    retry: RetryPolicy = DEFAULT_POLL_RETRY

    def __attrs_post_init__(self) -> None:
        if not all(is_number(s) and s >= 0 for s in (self.interval, self.timeout)):
            raise InvalidInputError("interval and timeout must be >= 0 seconds")
        if self.max_images is not None and not (is_int(self.max_images) and self.max_images >= 1):
            raise InvalidInputError("max_images must be an integer >= 1 (or None for no limit)")
        if self.error_policy not in ("stop", "skip"):
            raise InvalidInputError("error_policy must be 'stop' or 'skip'")
        if not (is_int(self.concurrency) and is_int(self.prefetch)):
            raise InvalidInputError("concurrency and prefetch must be integers")
        if self.concurrency < 1 or self.prefetch < 0:
            raise InvalidInputError("concurrency must be >= 1 and prefetch >= 0")


@attrs.define
class Pace:
    """Whether downloading ahead of the handlers pays, judged from the acknowledgements (the
    run's smallest requests, all alike). It pays while they take about as long as the fastest
    one did: the wait is the network's, as with a remote API. It does not once they queue behind
    one another (a busy server or client, as on loopback): more requests in flight would then
    only cost CPU. Judged every ``WINDOW`` acknowledgements, with a margin each way so that it
    does not flip back and forth; the fastest is that of the last ``MEMORY``, so that a run
    that lasts learns a lasting change of route."""

    WINDOW = 16
    MEMORY = 256
    SLACK = 0.0005  # seconds: a wait this short is noise, not a queue

    ahead: bool = True
    acks: int = 0
    recent: deque[float] = attrs.field(factory=lambda: deque(maxlen=Pace.MEMORY))

    def note(self, seconds: float) -> None:
        """An acknowledgement took ``seconds``."""
        self.recent.append(seconds)
        self.acks += 1
        if self.acks % self.WINDOW == 0:
            window = sorted(itertools.islice(reversed(self.recent), self.WINDOW))
            typical, fastest = window[self.WINDOW // 2] - self.SLACK, min(self.recent)
            if typical > 2 * fastest:  # waits longer than it travels: queued
                self.ahead = False
            elif typical < 1.25 * fastest:
                self.ahead = True


@attrs.frozen
class Calls:
    """The client's calls for one session, and the user's callbacks."""

    list_images: Callable[[], Any]
    download: Callable[[PollImage], Any]
    ack: Callable[[PollImage], Any]  # without the client's own retries: a 409 is told apart
    handler: Callable[[PollImage, bytes], object]
    on_error: Callable[[PollImage, BaseException], object] | None = None


@attrs.define(eq=False)
class Slot:
    """An image taken from the queue: its download, then its data until a handler takes it
    (a fused job: whether it is acknowledging)."""

    image: PollImage
    data: bytes | None = None
    done: bool = False
    acking: bool = False


class Run:
    """One run's state and decisions, called under ``lock`` (from the engine's event loop, and
    from the worker threads of a fused run's jobs)."""

    def __init__(
        self,
        calls: Calls,
        opts: Options,
        stop: AsyncStopEvent,
        summary: PollSummary | None,
        fused: bool,
    ):
        self.calls, self.opts, self.stop, self.fused = calls, opts, stop, fused
        self.lock = threading.Lock()
        self.turns = threading.Condition(self.lock)  # fused jobs wait for a handler's turn
        self.summary = PollSummary() if summary is None else summary
        self.deadline = opts.clock() + opts.timeout if opts.timeout > 0 else None
        self.budget = opts.concurrency + opts.prefetch  # requests in flight, images held
        self.pace = Pace()
        self.seen: set[str] = set()  # ids taken from the queue in this run
        self.listed: deque[PollImage] = deque()  # from the last list, not taken yet
        self.ahead: deque[Slot] = deque()  # taken, not handed to a handler yet
        self.to_ack: deque[PollImage] = deque()  # handled, acknowledgement not started
        self.requests = self.handling = self.acking = 0
        self.list_due = -math.inf
        self.halt: BaseException | None = None  # the first error that ends the run
        self.aborted = False  # abandoned (Ctrl-C, cancellation): acknowledge nothing more
        self.ended = False  # returned: late results of abandoned downloads are ignored

    def stop_reason(self, now: float) -> StopReason | None:
        """Why the run takes no new image, if it does not."""
        if self.stop.is_set():
            return "stop_event"
        if self.opts.max_images is not None and len(self.seen) >= self.opts.max_images:
            return "max_images"
        if self.deadline is not None and now >= self.deadline:
            return "timeout"
        return None

    def closing(self, now: float) -> bool:
        """No image is handed to a handler any more (images taken but not handed stay queued)."""
        return self.halt is not None or self.stop_reason(now) not in (None, "max_images")

    def busy(self) -> bool:
        """Something is in flight: a request or a handler."""
        return bool(self.requests or self.handling)

    def plan(self) -> list[tuple[Kind, Any]]:
        """What may start now (counted in flight from here), handlers last."""
        now, start = self.opts.clock(), list[tuple[Kind, Any]]()
        if self.aborted:
            return start
        while self.to_ack and self.requests < self.budget:
            self.requests, self.acking = self.requests + 1, self.acking + 1
            start.append(("ack", self.to_ack.popleft()))
        if self.closing(now):
            self.ahead.clear()  # images downloaded ahead are dropped: they stay queued
            self.turns.notify_all()  # and fused jobs waiting for a turn give up
            return start
        while (slot := self.next_image(now)) is not None:
            start.append(("process" if self.fused else "download", slot))
        idle = not (self.busy() or self.ahead or self.listed or self.stop_reason(now))
        if idle and now >= self.list_due:
            self.requests += 1
            start.append(("list", None))
        while self.ahead and self.ahead[0].done and self.handling < self.opts.concurrency:
            slot = self.ahead.popleft()
            if slot.data is not None:
                self.handling += 1
                start.append(("handle", slot))
        return start

    def next_image(self, now: float) -> Slot | None:
        """The next image to take from the queue, if one may start now (then counted in flight
        and held)."""
        while (
            self.listed
            and self.stop_reason(now) is None
            and self.requests < self.budget
            and len(self.ahead) + self.handling < self.budget
        ):
            image = self.listed.popleft()
            if image.id not in self.seen:
                self.seen.add(image.id)
                self.requests += 1
                self.ahead.append(slot := Slot(image))
                return slot
        return None

    def done(self) -> bool:
        """Nothing more will happen: no acknowledgement or handler is pending and no new image
        will be taken (downloads still in flight are abandoned)."""
        if self.acking or self.aborted:
            return not self.acking
        if self.handling or self.to_ack:
            return False
        now = self.opts.clock()
        return self.closing(now) or (self.stop_reason(now) == "max_images" and not self.ahead)

    def complete(self, kind: Kind, item: Any, value: Any, exc: BaseException | None) -> None:
        """Record how an operation ended: its ``value``, or ``exc`` when it raised."""
        if self.ended:
            return
        if kind == "handle":
            self.handling -= 1
            if exc is None and value:
                self.summary.processed += 1
                self.to_ack.append(item.image)
        else:
            self.requests -= 1
        if kind == "ack":
            self.acking -= 1
            if exc is None:
                self.count(*value)
        elif kind == "process":
            self.drop(item)  # a job that ended before its handler (its image stays queued)
        elif kind == "list" and exc is None:
            self.summary.polls += 1
            self.listed = deque(i for i in value.images if i.id not in self.seen)
            self.list_due = self.opts.clock() + (0.0 if self.listed else self.idle_seconds())
        elif kind == "download":
            item.done = True
            if exc is None and not self.closing(self.opts.clock()):
                item.data = value
            elif isinstance(exc, NotFoundError | GoneError):
                self.vanished(item.image)
                exc = None
        if exc is not None and not isinstance(exc, Interrupted):
            self.set_halt(exc)

    def count(self, outcome: AckOutcome, seconds: float) -> None:
        """An acknowledgement went through; its last attempt took ``seconds`` (see
        :class:`Pace`)."""
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        self.pace.note(seconds)
        concurrency, prefetch = self.opts.concurrency, self.opts.prefetch
        if not self.pace.ahead:  # paused: a lone handler still gets its next image meanwhile
            prefetch = min(prefetch, int(concurrency == 1))
        self.budget = concurrency + prefetch

    def vanished(self, image: PollImage) -> None:
        """The image left the queue before its download (404/410): skipped."""
        logger.info("poll_and_process: image %s left the queue", image.id)
        self.summary.skipped += 1

    def drop(self, slot: Slot) -> None:
        """A fused job's image leaves ``ahead`` (handed to its handler, or dropped)."""
        if slot in self.ahead:
            self.ahead.remove(slot)
            if self.opts.concurrency == 1:  # the next image may be a lone handler's turn now
                self.turns.notify_all()

    def take(self, slot: Slot) -> bool:
        """A fused job downloaded its image: wait for one of the ``concurrency`` handler turns
        (a lone handler's: also for the images taken before it). False when the run closed or
        was abandoned meanwhile (the image stays queued)."""
        self.turns.wait_for(lambda: self.closed() or self.has_turn(slot))
        self.drop(slot)
        if self.closed():
            return False
        self.handling += 1
        return True

    def has_turn(self, slot: Slot) -> bool:
        """A handler may start on ``slot``'s image now."""
        if self.handling >= self.opts.concurrency:
            return False
        return self.opts.concurrency > 1 or not self.ahead or self.ahead[0] is slot

    def closed(self) -> bool:
        """No image is handed to a handler any more, nor acknowledged if abandoned."""
        return self.aborted or self.closing(self.opts.clock())

    def handled(self, slot: Slot, ok: bool) -> bool:
        """A fused job's handler returned (``ok``) or failed; returns whether to acknowledge
        its image (never once the run is abandoned: nothing is counted then)."""
        self.handling -= 1
        self.turns.notify_all()  # a turn is free, and the jobs waiting look at the run again
        if not ok or self.aborted:
            return False
        self.summary.processed += 1
        self.acking, slot.acking = self.acking + 1, True
        return True

    def finished(self, slot: Slot, exc: BaseException | None) -> Slot | None:
        """A fused job's image is finished (``exc``: what it raised): recorded; returns the
        image the same job goes on with, if one may start now (else the engine plans)."""
        self.complete("process", slot, None, exc)
        return None if self.closed() else self.next_image(self.opts.clock())

    def job_failed(self, image: PollImage, exc: Exception) -> bool:
        """A fused job's handler failed: noted (see :meth:`failed`) unless the run was
        abandoned meanwhile; returns whether to call ``on_error``."""
        if self.aborted:
            return False
        self.failed(image, exc)
        return True

    def acked(self, outcome: tuple[AckOutcome, float] | None) -> None:
        """A fused job's acknowledgement ended: its outcome and seconds (see :meth:`count`), or
        None when it failed (its slot stays ``acking``: the job is finishing, a cancelled run may
        wait for it)."""
        self.acking -= 1
        if outcome is not None:
            self.count(*outcome)

    def abandon(self) -> None:
        """Ctrl-C, cancellation: acknowledge nothing more; jobs waiting for a turn give up."""
        self.aborted = True
        self.turns.notify_all()

    def idle_seconds(self) -> float:
        """The interval sleep, cut to what is left before the deadline."""
        if self.deadline is None:
            return self.opts.interval
        return max(0.0, min(self.opts.interval, self.deadline - self.opts.clock()))

    def backoff(self, attempt: int, exc: Exception, what: str) -> float:
        """Seconds to wait before retrying ``what``; re-raises ``exc`` when not retryable, and
        raises :class:`Interrupted` when the run was abandoned (it retries nothing)."""
        delay = retry_delay(self.opts.retry, attempt, exc)
        if delay is None:
            raise exc
        if self.aborted:
            raise Interrupted
        retries = self.opts.retry.max_retries
        logger.warning(
            "poll_and_process: %s failed (%r); retry %d/%d in %.2fs",
            *(what, exc, attempt + 1, retries, delay),
        )
        return delay

    def failed(self, image: PollImage, exc: Exception) -> None:
        """A handler failed: note it; under the "stop" policy it ends the run."""
        logger.warning("poll_and_process: handler failed for image %s: %r", image.id, exc)
        self.summary.failed.append((image.id, repr(exc)))
        if self.opts.error_policy == "stop":
            self.set_halt(exc)

    def set_halt(self, exc: BaseException) -> None:
        """End the run with ``exc`` (the first one wins); Ctrl-C and the like abandon it."""
        if self.halt is None:
            self.halt = exc
        if not isinstance(exc, Exception):
            self.abandon()

    def finish(self) -> PollSummary:
        """Raise the error that ended the run, with a note on what it did; else the summary."""
        self.ended = True
        if (exc := self.halt) is not None:
            exc.add_note(self.summary.describe() + "; unfinished images were not acknowledged")
            raise exc
        self.summary.stopped_reason = self.stop_reason(self.opts.clock())
        logger.info("%s; stopped by %s", self.summary.describe(), self.summary.stopped_reason)
        return self.summary
