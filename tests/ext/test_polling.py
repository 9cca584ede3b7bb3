"""Tests for apertur_ext._polling (the run in ``state``, carried out by the sync driver).

A fake queue stands in for the API; time is a fake clock advanced by the injected sleep, so no
test waits on real time (threads only wait on events).
"""

from __future__ import annotations

import _thread
import asyncio
import logging
import signal
import threading
import time
from collections import Counter
from typing import Any

import pytest

from apertur_api.models.poll_image import PollImage
from apertur_api.models.poll_result import PollResult
from apertur_ext._core.exceptions import (
    APIConnectionError,
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._polling import engine
from apertur_ext._polling.engine import run_sync
from apertur_ext._polling.state import Calls, Options, PollSummary

DEFAULT_PREFETCH = Options().prefetch

NO_JITTER = RetryPolicy(max_retries=3, initial_delay=1.0, max_delay=8.0, jitter=0.0)


def run_poll_and_process(
    list_images: Any,
    download: Any,
    ack: Any,
    handler: Any,
    *,
    stop: threading.Event | None = None,
    sleep: Any = None,
    summary: PollSummary | None = None,
    on_error: Any = None,
    **options: Any,
) -> PollSummary:
    calls = Calls(list_images, download, ack, handler, on_error)
    return run_sync(calls, Options(**options), stop, summary, sleep)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeQueue:
    """The pull queue: lists unacknowledged images; faults are queued per operation."""

    def __init__(self, ids: list[str]) -> None:
        self.data = {i: f"bytes of {i}".encode() for i in ids}
        self.acked: list[str] = []
        self.events: list[tuple[str, str]] = []
        self.faults: dict[str, list[BaseException]] = {"list": [], "download": [], "ack": []}
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()

    def _fault(self, op: str) -> None:
        with self.lock:
            self.calls[op] += 1
            fault = self.faults[op].pop(0) if self.faults[op] else None
        if fault is not None:
            raise fault

    def list_images(self) -> PollResult:
        self._fault("list")
        pending = [i for i in self.data if i not in self.acked]
        return PollResult(images=[PollImage(id=i, filename=f"{i}.jpg") for i in pending])

    def download(self, image: PollImage) -> bytes:
        self._fault("download")
        self.events.append(("download", image.id))
        return self.data[image.id]

    def ack(self, image: PollImage) -> None:
        try:
            self._fault("ack")
        except ConflictError:  # a 409 means an earlier ack went through after all
            with self.lock:
                self.acked.append(image.id)
            raise
        with self.lock:
            self.events.append(("ack", image.id))
            self.acked.append(image.id)


class Recorder:
    def __init__(self, queue: FakeQueue, fail: set[str] | None = None) -> None:
        self.queue, self.fail = queue, fail or set()
        self.handled: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, image: PollImage, data: bytes) -> None:
        assert data == self.queue.data[image.id]
        with self.lock:
            self.handled.append(image.id)
            self.queue.events.append(("handle", image.id))
        if image.id in self.fail:
            raise RuntimeError(f"handler failed on {image.id}")


def run(queue: FakeQueue, handler: Any, ft: FakeTime, **kw: Any) -> PollSummary:
    kw.setdefault("timeout", 10)
    kw.setdefault("retry", NO_JITTER)
    return run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handler, clock=ft.clock, sleep=ft.sleep, **kw
    )


def test_processes_and_acks_after_handler() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    handler = Recorder(queue)
    summary = run(queue, handler, ft, interval=3.0)
    assert handler.handled == ["a", "b", "c"]
    assert sorted(queue.acked) == ["a", "b", "c"]  # acks go in the background: any order
    for image_id in "abc":
        order = [e for e in queue.events if e[1] == image_id]
        assert order == [("download", image_id), ("handle", image_id), ("ack", image_id)]
    assert (summary.processed, summary.acknowledged, summary.failed) == (3, 3, [])
    assert summary.stopped_reason == "timeout"
    # first poll had images -> polled again at once; then idle sleeps of 3 s until 10 s.
    assert ft.sleeps == [3.0, 3.0, 3.0, 1.0]
    assert summary.polls == 5


def test_stop_policy_raises_the_handler_error_and_keeps_image() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    handler = Recorder(queue, fail={"b"})
    seen: list[tuple[str, BaseException]] = []
    summary = PollSummary()
    with pytest.raises(RuntimeError, match="handler failed on b") as exc:
        run(queue, handler, ft, on_error=lambda i, e: seen.append((i.id, e)), summary=summary)
    assert queue.acked == ["a"]
    assert handler.handled == ["a", "b"]
    assert seen == [("b", exc.value)]
    assert summary.failed == [("b", repr(exc.value))]
    assert (summary.processed, summary.acknowledged) == (1, 1)
    assert any("not acknowledged" in note for note in exc.value.__notes__)


def test_skip_policy_leaves_image_for_next_run_and_never_rehandles() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    handler = Recorder(queue, fail={"b"})
    errors: list[str] = []
    summary = run(
        queue, handler, ft, error_policy="skip", on_error=lambda i, e: errors.append(i.id)
    )
    assert sorted(handler.handled) == ["a", "b", "c"]  # b handled once though listed every poll
    assert sorted(queue.acked) == ["a", "c"]
    assert errors == ["b"]
    assert [f[0] for f in summary.failed] == ["b"]
    assert summary.polls > 2
    # a new run takes b again
    handler2 = Recorder(queue)
    run(queue, handler2, FakeTime())
    assert handler2.handled == ["b"]
    assert queue.acked[2:] == ["b"]


def test_ack_409_first_time_is_another_consumers_acknowledgement() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    queue.faults["ack"] = [ConflictError("already acknowledged", status_code=409)]
    handler = Recorder(queue)
    summary = run(queue, handler, ft)
    assert handler.handled == ["a", "b"]
    assert (summary.processed, summary.acknowledged, summary.already_acknowledged) == (2, 1, 1)
    assert queue.calls["ack"] == 2
    assert "1 already acknowledged" in summary.describe()


def test_ack_409_after_a_failed_attempt_is_our_own_acknowledgement() -> None:
    """The first attempt may have landed before its answer was lost: the retry's 409 is ours."""
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [APIConnectionError("reset"), ConflictError("dup", status_code=409)]
    summary = run(queue, Recorder(queue), ft)
    assert (summary.acknowledged, summary.already_acknowledged) == (1, 0)
    assert queue.calls["ack"] == 2


def test_failed_ack_is_retried_without_rehandling() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("boom", status_code=503), APIConnectionError("reset")]
    handler = Recorder(queue)
    summary = run(queue, handler, ft, timeout=0.5)
    assert handler.handled == ["a"]
    assert queue.calls["ack"] == 3
    assert queue.acked == ["a"]
    assert ft.sleeps[:2] == [1.0, 2.0]  # exponential backoff, jitter off
    assert summary.acknowledged == 1


def test_ack_retries_exhausted_raises_without_rehandling() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("down", status_code=500) for _ in range(10)]
    handler = Recorder(queue)
    summary = PollSummary()
    with pytest.raises(ServerError):
        run(queue, handler, ft, summary=summary)
    assert handler.handled == ["a"]
    assert queue.calls["ack"] == 4  # 1 + 3 retries
    assert (summary.processed, summary.acknowledged) == (1, 0)


def test_transient_list_errors_are_retried_and_retry_after_honoured() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["list"] = [RateLimitError("slow down", retry_after=7), APIConnectionError("x")]
    summary = run(queue, Recorder(queue), ft, timeout=20)
    assert ft.sleeps[:2] == [7.0, 2.0]
    assert summary.processed == 1


def test_non_transient_list_error_raises_at_once() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["list"] = [AuthenticationError("bad key", status_code=401)]
    with pytest.raises(AuthenticationError):
        run(queue, Recorder(queue), ft)
    assert ft.sleeps == []


def test_download_404_is_skipped_and_transient_download_retried() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    queue.faults["download"] = [
        NotFoundError("gone", status_code=404),
        ServerError("x", status_code=502),
    ]
    handler = Recorder(queue)
    summary = run(queue, handler, ft, prefetch=0)  # one download at a time: a's fails first
    assert handler.handled == ["b"]
    assert queue.acked == ["b"]
    assert summary.skipped == 1


def test_max_images() -> None:
    queue, ft = FakeQueue([f"i{n}" for n in range(5)]), FakeTime()
    handler = Recorder(queue)
    summary = run(queue, handler, ft, max_images=2, timeout=0)
    assert handler.handled == ["i0", "i1"]
    assert summary.stopped_reason == "max_images"
    assert summary.polls == 1


def test_stop_event_checked_before_each_image() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    stop = threading.Event()
    handler = Recorder(queue)

    def handle(image: PollImage, data: bytes) -> None:
        handler(image, data)
        stop.set()

    summary = run(queue, handle, ft, stop=stop, timeout=0)
    assert handler.handled == ["a"]
    assert queue.acked == ["a"]  # the image in hand is finished, ack included
    assert summary.stopped_reason == "stop_event"


def test_stop_event_wakes_the_idle_sleep_immediately() -> None:
    """Default sleep (a wait on the stop event), one-hour interval: setting stop ends the run."""
    queue = FakeQueue([])
    idle = threading.Event()
    stop = threading.Event()

    def list_images() -> PollResult:
        idle.set()
        return queue.list_images()

    result: list[PollSummary] = []
    worker = threading.Thread(
        target=lambda: result.append(
            run_poll_and_process(
                list_images, queue.download, queue.ack, print, interval=3600, stop=stop
            )
        )
    )
    worker.start()
    deadline = time.monotonic() + 10
    while not idle.wait(0.05) and worker.is_alive() and time.monotonic() < deadline:
        pass  # a run that died in its thread fails the test at once
    assert idle.is_set()
    stop.set()
    worker.join(10)
    assert not worker.is_alive()
    assert result[0].stopped_reason == "stop_event"


def test_stop_during_list_backoff_ends_gracefully() -> None:
    queue = FakeQueue(["a"])
    stop = threading.Event()
    queue.faults["list"] = [ServerError("x", status_code=500)]

    def sleep(seconds: float) -> None:
        stop.set()

    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, Recorder(queue), stop=stop, sleep=sleep
    )
    assert summary.stopped_reason == "stop_event"
    assert summary.processed == 0


def test_keyboard_interrupt_in_handler_propagates_unacked() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()

    def handle(image: PollImage, data: bytes) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(queue, handle, ft, prefetch=0)
    assert queue.acked == []
    assert queue.calls["download"] == 1
    with pytest.raises(KeyboardInterrupt):
        run(queue, handle, ft)  # "b" may have been downloaded ahead, never handled
    assert queue.acked == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_keyboard_interrupt_in_a_worker_thread_reaches_the_caller_quietly(
    caplog: pytest.LogCaptureFixture, interrupt: type[BaseException]
) -> None:
    """Ctrl-C (or ``sys.exit``) raised by a handler in a worker thread (concurrency > 1) is raised
    in the calling thread, and the run's event loop does not report it as unhandled."""
    queue = FakeQueue(["a", "b", "c"])

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "b":
            raise interrupt

    with caplog.at_level("DEBUG"), pytest.raises(interrupt) as raised:
        run_poll_and_process(
            queue.list_images, queue.download, queue.ack, handle, concurrency=2, prefetch=0,
        )  # fmt: skip
    assert "b" not in queue.acked
    assert any("poll_and_process: " in note for note in raised.value.__notes__)
    reported = [r for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in reported] == []


def test_an_abandoned_run_retries_nothing_and_logs_no_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A download that fails after Ctrl-C ended the run is not retried, and no retry is logged."""
    queue = FakeQueue(["a", "b"])
    b_started, release = threading.Event(), threading.Event()
    b_attempts = []

    def download(image: PollImage) -> bytes:
        if image.id == "b":
            b_attempts.append(1)
            b_started.set()
            assert release.wait(10)
            raise APIConnectionError("reset")
        return queue.download(image)

    def handle(image: PollImage, data: bytes) -> None:
        assert b_started.wait(10)  # b's download is in flight when the run ends
        raise KeyboardInterrupt

    before = set(threading.enumerate())
    with caplog.at_level("DEBUG"), pytest.raises(KeyboardInterrupt):
        run_poll_and_process(
            queue.list_images, download, queue.ack, handle, concurrency=2, prefetch=0,
        )  # fmt: skip
    release.set()
    for thread in set(threading.enumerate()) - before:  # b's worker, once its download failed
        thread.join(10)
        assert not thread.is_alive()
    assert len(b_attempts) == 1
    assert [r.getMessage() for r in caplog.records if "retry" in r.getMessage()] == []


def test_keyboard_interrupt_in_list_propagates() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["list"] = [KeyboardInterrupt()]
    with pytest.raises(KeyboardInterrupt):
        run(queue, Recorder(queue), ft)


def test_concurrency_handles_each_image_once_and_bounds_in_flight() -> None:
    ids = [f"i{n:02d}" for n in range(30)]
    queue, ft = FakeQueue(ids), FakeTime()
    fail = {"i03", "i17"}
    handler = Recorder(queue, fail=fail)
    active, peak, lock = [0], [0], threading.Lock()
    download = queue.download

    def counted_download(image: PollImage) -> bytes:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        return download(image)

    barrier = threading.Barrier(2)  # the first two handlers meet: runs really overlap

    def handle(image: PollImage, data: bytes) -> None:
        try:
            if image.id in ("i00", "i01"):
                barrier.wait(10)
            handler(image, data)
        finally:
            with lock:
                active[0] -= 1

    queue.faults["ack"] = [ServerError("x", status_code=500), ConflictError("dup", status_code=409)]
    summary = run_poll_and_process(
        queue.list_images, counted_download, queue.ack, handle,
        concurrency=4, error_policy="skip", timeout=10, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert Counter(handler.handled) == Counter(ids)  # every image exactly once
    assert sorted(set(queue.acked)) == sorted(set(ids) - fail)
    assert len(queue.acked) == len(set(queue.acked))
    assert 1 < peak[0] <= 4 + DEFAULT_PREFETCH  # images in memory: handlers + downloaded ahead
    assert summary.processed == 28
    # the 409 answers either the retry of the ack that met the 500 (ours) or another first ack
    assert summary.acknowledged + summary.already_acknowledged == 28
    assert sorted(f[0] for f in summary.failed) == sorted(fail)


def test_concurrency_stop_policy_finishes_in_flight_then_raises() -> None:
    queue, ft = FakeQueue([f"i{n}" for n in range(8)]), FakeTime()
    handler = Recorder(queue, fail={"i1"})
    with pytest.raises(RuntimeError, match="i1"):
        run(queue, handler, ft, concurrency=3)
    assert "i1" not in queue.acked
    assert set(queue.acked) == set(handler.handled) - {"i1"}
    assert len(handler.handled) < 8


def test_interrupt_in_main_thread_with_concurrency_acks_nothing_more() -> None:
    """Ctrl-C reaching the calling thread while a worker's handler runs: the run raises at once,
    the worker's image is not acknowledged when its handler later returns, nothing new starts."""
    queue = FakeQueue(["a", "b", "c", "d"])
    release, a_started, a_returned = threading.Event(), threading.Event(), threading.Event()
    handled: list[str] = []

    def handle(image: PollImage, data: bytes) -> None:
        handled.append(image.id)
        if image.id == "a":
            a_started.set()
        if image.id == "b":
            assert a_started.wait(10)  # Ctrl-C comes while a's handler runs
            _thread.interrupt_main()
        assert release.wait(10)
        if image.id == "a":
            a_returned.set()

    with pytest.raises(KeyboardInterrupt):  # raised while both handlers still run
        run_poll_and_process(
            queue.list_images, queue.download, queue.ack, handle, concurrency=2, prefetch=0,
        )  # fmt: skip
    release.set()
    assert a_returned.wait(10)
    assert queue.acked == []  # handlers that return after the interrupt are not acknowledged
    assert sorted(handled) == ["a", "b"]  # c and d never started


def test_interrupt_during_a_blocking_download_does_not_wait_for_it() -> None:
    """Ctrl-C while a download blocks in its worker thread: the run raises at once; the
    download is left to finish on its own (its image is neither handled nor acknowledged)."""
    queue = FakeQueue(["a"])
    started, release, returned = threading.Event(), threading.Event(), threading.Event()
    handler = Recorder(queue)

    def download(image: PollImage) -> bytes:
        started.set()
        release.wait(60)
        returned.set()
        return queue.download(image)

    def interrupt() -> None:
        assert started.wait(10)
        _thread.interrupt_main()

    threading.Thread(target=interrupt, daemon=True).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_poll_and_process(queue.list_images, download, queue.ack, handler, prefetch=0)
        assert not returned.is_set()  # the run did not wait for the download to return
    finally:
        release.set()
    assert returned.wait(10)
    assert handler.handled == []
    assert queue.acked == []


@pytest.mark.parametrize("concurrency", [1, 2])
def test_callbacks_run_in_the_calling_thread_unless_concurrent(concurrency: int) -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    seen: list[tuple[str, bool]] = []
    loop_threads: list[list[str]] = []

    def handler(image: PollImage, data: bytes) -> None:
        seen.append(("handler", threading.current_thread() is threading.main_thread()))
        loop_threads.append([t.name for t in threading.enumerate()])
        if image.id == "b":
            raise RuntimeError("b")

    def on_error(image: PollImage, exc: BaseException) -> None:
        seen.append(("on_error", threading.current_thread() is threading.main_thread()))

    summary = run(
        queue, handler, ft, error_policy="skip", on_error=on_error, concurrency=concurrency
    )
    in_caller = concurrency == 1  # one at a time: in the caller's thread, as a loop would
    assert sorted(seen) == sorted(
        [("handler", in_caller), ("handler", in_caller), ("on_error", in_caller)]
    )
    assert summary.processed == 1
    # the private event loop's thread has a name of its own (seen in thread dumps)
    assert all("apertur-poll" in names for names in loop_threads)


def test_on_error_failure_propagates() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()

    def on_error(image: PollImage, exc: BaseException) -> None:
        raise ValueError("on_error broke")

    with pytest.raises(ValueError, match="on_error broke"):
        run(queue, Recorder(queue, fail={"a"}), ft, error_policy="skip", on_error=on_error)


@pytest.mark.parametrize(
    "kw",
    [
        {"interval": -1},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"max_images": 0},
        {"error_policy": "ignore"},
        {"concurrency": 0},
    ],
)
def test_bad_arguments(kw: dict[str, Any]) -> None:
    queue = FakeQueue([])
    with pytest.raises(InvalidInputError):
        run_poll_and_process(queue.list_images, queue.download, queue.ack, print, **kw)


@pytest.mark.parametrize("concurrency", [1, 2])
def test_stop_during_download_backoff_leaves_image_unhandled(concurrency: int) -> None:
    queue = FakeQueue(["a"])
    stop = threading.Event()
    queue.faults["download"] = [ServerError("x", status_code=500)]
    handler = Recorder(queue)
    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handler, stop=stop,
        sleep=lambda s: stop.set(), concurrency=concurrency,
    )  # fmt: skip
    assert (handler.handled, queue.acked) == ([], [])
    assert queue.calls["download"] == 1  # the stop cut the backoff short: no retry
    assert summary.stopped_reason == "stop_event"


def test_default_ack_backoff_sleep_is_not_cut_short_by_stop() -> None:
    """Ack backoff uses a plain sleep: a stop request never abandons an ack half-way."""
    queue = FakeQueue(["a"])
    stop = threading.Event()
    queue.faults["ack"] = [ServerError("x", status_code=500)]

    def handle(image: PollImage, data: bytes) -> None:
        stop.set()

    zero = RetryPolicy(max_retries=2, initial_delay=0.0, jitter=0.0)
    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handle, stop=stop, retry=zero
    )
    assert queue.acked == ["a"]
    assert summary.acknowledged == 1


def test_api_error_in_a_worker_ends_the_run() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    queue.faults["download"] = [AuthenticationError("revoked", status_code=401)]
    with pytest.raises(AuthenticationError):
        run(queue, Recorder(queue), ft, concurrency=2)


# The pipeline: downloads run ahead of the handler, bounded; acknowledgements go in the background.


class Meter:
    """Counts, across threads, the images a run holds (downloads started, handlers not yet
    returned) and the requests in flight (downloads and acks), with their peaks."""

    def __init__(self, queue: FakeQueue) -> None:
        self.queue = queue
        self.lock = threading.Condition()
        self.held = self.requests = self.peak_held = self.peak_requests = self.downloaded = 0

    def _add(self, held: int, requests: int) -> None:
        with self.lock:
            self.held += held
            self.requests += requests
            self.peak_held = max(self.peak_held, self.held)
            self.peak_requests = max(self.peak_requests, self.requests)

    def download(self, image: PollImage) -> bytes:
        self._add(1, 1)
        try:
            return self.queue.download(image)
        finally:
            self._add(0, -1)
            with self.lock:
                self.downloaded += 1
                self.lock.notify_all()

    def ack(self, image: PollImage) -> None:
        self._add(0, 1)
        try:
            self.queue.ack(image)
        finally:
            self._add(0, -1)

    def handled(self) -> None:
        self._add(-1, 0)


def test_downloads_run_ahead_of_the_handler_within_the_bound() -> None:
    """concurrency=1, prefetch=3: while the first handler runs, the next three images are
    downloaded; at no time are more than 4 images held or 4 requests in flight."""
    ids = [f"i{n:02d}" for n in range(20)]
    queue, ft = FakeQueue(ids), FakeTime()
    meter, handler = Meter(queue), Recorder(queue)
    overlapped = threading.Event()

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "i00":  # returns only once i01-i03 arrived while it ran
            with meter.lock:
                if meter.lock.wait_for(lambda: meter.downloaded >= 4, 10):
                    overlapped.set()
        handler(image, data)
        meter.handled()

    summary = run_poll_and_process(
        queue.list_images, meter.download, meter.ack, handle, prefetch=3, max_images=20,
        clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert overlapped.is_set()
    assert handler.handled == ids  # one at a time, in queue order
    assert (summary.processed, summary.acknowledged) == (20, 20)
    assert sorted(queue.acked) == ids  # acknowledged in the background, in any order
    assert meter.peak_held == 4  # 1 + prefetch, reached and never exceeded
    assert meter.peak_requests <= 4


@pytest.mark.parametrize(("concurrency", "prefetch"), [(3, 2), (2, 0), (1, 0)])
def test_images_held_and_requests_never_exceed_concurrency_plus_prefetch(
    concurrency: int, prefetch: int
) -> None:
    ids = [f"i{n:02d}" for n in range(40)]
    queue, ft = FakeQueue(ids), FakeTime()
    meter, handler = Meter(queue), Recorder(queue)

    def handle(image: PollImage, data: bytes) -> None:
        handler(image, data)
        meter.handled()

    summary = run_poll_and_process(
        queue.list_images, meter.download, meter.ack, handle, concurrency=concurrency,
        prefetch=prefetch, max_images=40, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert Counter(handler.handled) == Counter(ids)
    assert summary.acknowledged == 40
    assert meter.peak_held <= concurrency + prefetch
    assert meter.peak_requests <= concurrency + prefetch


class SlowingAcks(Meter):
    """A :class:`Meter` whose acknowledgements take 1 ms of the fake clock, then 50 ms from
    the 17th on (as when requests start to queue at the server). Once ``late`` acknowledgements
    returned, each of the next three downloads waits (up to 0.25 s) for more than ``bound``
    images to be held, and notes the most there were meanwhile: a run still downloading ahead
    would take more."""

    def __init__(self, queue: FakeQueue, ft: FakeTime, bound: int, late: int) -> None:
        super().__init__(queue)
        self.ft, self.bound, self.late = ft, bound, late
        self.acks_returned, self.probes_left, self.seen = 0, 3, 0
        self.probes: list[int] = []

    def _add(self, held: int, requests: int) -> None:
        super()._add(held, requests)
        with self.lock:
            self.seen = max(self.seen, self.held)
            self.lock.notify_all()

    def download(self, image: PollImage) -> bytes:
        self._add(1, 1)
        try:
            with self.lock:
                if self.acks_returned >= self.late and self.probes_left > 0:
                    self.probes_left, self.seen = self.probes_left - 1, self.held
                    self.lock.wait_for(lambda: self.seen > self.bound, 0.25)
                    self.probes.append(self.seen)
            return self.queue.download(image)
        finally:
            self._add(0, -1)

    def ack(self, image: PollImage) -> None:
        with self.lock:
            self.ft.now += 0.001 if self.acks_returned < 16 else 0.05
        try:
            super().ack(image)
        finally:
            with self.lock:
                self.acks_returned += 1


@pytest.mark.parametrize(("concurrency", "conflict"), [(1, False), (3, False), (3, True)])
def test_downloading_ahead_pauses_once_acknowledgements_queue(
    concurrency: int, conflict: bool
) -> None:
    """Once the run has seen 16 acknowledgements (409s too: ``conflict``) take over twice as
    long as the fastest (judged at the 32nd), it holds at most ``concurrency`` images, two for
    a lone handler. The probes begin 24 acknowledgements later, by when every image taken
    before the pause (at most ``concurrency + prefetch``, twice over in the worst order) is
    done."""
    ids = [f"i{n:02d}" for n in range(80)]
    queue, ft = FakeQueue(ids), FakeTime()
    ft.now = 1000.0  # durations are differences: a clock far from zero tells them from sums
    if conflict:  # another consumer acknowledged every image first
        queue.faults["ack"] = [ConflictError("acknowledged", status_code=409) for _ in ids]
    meter, handler = SlowingAcks(queue, ft, max(concurrency, 2), late=56), Recorder(queue)

    def handle(image: PollImage, data: bytes) -> None:
        handler(image, data)
        meter.handled()

    summary = run_poll_and_process(
        queue.list_images, meter.download, meter.ack, handle, concurrency=concurrency,
        prefetch=4, max_images=80, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert summary.processed == 80
    assert (summary.already_acknowledged, summary.acknowledged) == (
        (80, 0) if conflict else (0, 80)
    )
    assert len(meter.probes) == 3
    assert max(meter.probes) <= max(concurrency, 2)  # the probing download and the others in flight
    assert meter.peak_requests <= concurrency + 4


def test_handler_sees_queue_order_when_downloads_finish_out_of_order() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    arrived = {i: threading.Event() for i in "bc"}

    def download(image: PollImage) -> bytes:
        data = queue.download(image)
        if image.id == "a":  # "a" arrives only after "b" and "c" did
            assert arrived["b"].wait(10)
            assert arrived["c"].wait(10)
        else:
            arrived[image.id].set()
        return data

    handler = Recorder(queue)
    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handler, prefetch=2, max_images=3,
        clock=ft.clock, sleep=ft.sleep,
    )  # fmt: skip
    assert handler.handled == ["a", "b", "c"]
    assert summary.acknowledged == 3


def test_stop_drops_images_downloaded_ahead_and_leaves_them_queued() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    stop, fetched_ahead = threading.Event(), threading.Event()
    handler = Recorder(queue)
    waited: list[bool] = []

    def download(image: PollImage) -> bytes:
        data = queue.download(image)
        if queue.calls["download"] == 3:
            fetched_ahead.set()
        return data

    def handle(image: PollImage, data: bytes) -> None:
        handler(image, data)
        waited.append(fetched_ahead.wait(10))  # b and c download while a is handled
        stop.set()

    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handle, clock=ft.clock, sleep=ft.sleep,
        timeout=10, retry=NO_JITTER, stop=stop, prefetch=2,
    )  # fmt: skip
    assert waited == [True]
    assert queue.calls["download"] == 3  # b and c were fetched ahead
    assert handler.handled == ["a"]
    assert queue.acked == ["a"]
    assert [i.id for i in queue.list_images().images] == ["b", "c"]
    assert (summary.processed, summary.acknowledged) == (1, 1)


def test_interrupt_waits_for_the_ack_in_flight_and_counts_it() -> None:
    """Ctrl-C in the calling thread while an acknowledgement is on the wire: the run raises
    only after it finished, and the summary counts it."""
    queue = FakeQueue(["a", "b"])

    def ack(image: PollImage) -> None:
        _thread.interrupt_main()
        time.sleep(0.2)  # still on the wire when the interrupt lands
        queue.ack(image)

    summary = PollSummary()
    with pytest.raises(KeyboardInterrupt):
        run_poll_and_process(
            queue.list_images, queue.download, ack, Recorder(queue), concurrency=2, prefetch=0,
            summary=summary,
        )  # fmt: skip
    assert len(queue.acked) >= 1
    assert summary.acknowledged == len(queue.acked)  # every ack that landed is counted


def test_retries_handler_failures_and_the_end_of_a_run_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The "apertur" logger tells what a run retried (which call, why, which retry out of how
    many, after how long), which handler failed, and how the run ended."""
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    list_error = ServerError("busy", status_code=503)
    queue.faults["list"] = [list_error]
    handler = Recorder(queue, fail={"b"})
    with caplog.at_level("INFO", logger="apertur"):
        summary = run(queue, handler, ft, error_policy="skip", max_images=2, timeout=0)
    (failure,) = summary.failed
    assert [r.getMessage() for r in caplog.records] == [
        f"poll_and_process: list failed ({list_error!r}); retry 1/3 in 1.00s",
        f"poll_and_process: handler failed for image b: {failure[1]}",
        f"{summary.describe()}; stopped by max_images",
    ]
    assert failure[1] == repr(RuntimeError("handler failed on b"))


def test_an_image_gone_before_its_download_is_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    queue.faults["download"] = [NotFoundError("gone", status_code=404)]
    with caplog.at_level("INFO", logger="apertur"):
        summary = run(queue, Recorder(queue), ft, max_images=2, timeout=0, prefetch=0)
    assert "poll_and_process: image a left the queue" in [r.getMessage() for r in caplog.records]
    assert (summary.skipped, summary.processed) == (1, 1)


def test_the_error_that_ends_a_run_says_what_the_run_did() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    summary = PollSummary()
    with pytest.raises(RuntimeError) as exc:
        run(queue, Recorder(queue, fail={"b"}), ft, summary=summary, prefetch=0)
    assert exc.value.__notes__ == [f"{summary.describe()}; unfinished images were not acknowledged"]
    assert summary.describe().startswith("poll_and_process: 1 polls, 1 processed, 1 acknowledged")


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_sync_run_works_on_threads_of_its_own_which_end_with_it(concurrency: int) -> None:
    """The client's calls (and, above concurrency=1, the handler) run on the run's own worker
    threads; at concurrency=1 the handler runs in the calling thread. Those workers end once
    the run has returned: a finished run leaves no thread behind."""
    queue = FakeQueue([f"i{n}" for n in range(6)])
    where: dict[str, set[threading.Thread]] = {"call": set(), "handle": set()}
    lock = threading.Lock()

    def noted(kind: str, fn: Any) -> Any:
        def call(*args: Any) -> Any:
            with lock:
                where[kind].add(threading.current_thread())
            return fn(*args)

        return call

    summary = run_poll_and_process(
        noted("call", queue.list_images), noted("call", queue.download),
        noted("call", queue.ack), noted("handle", Recorder(queue)),
        concurrency=concurrency, max_images=6,
    )  # fmt: skip
    assert (summary.processed, summary.acknowledged) == (6, 6)
    workers = (where["call"] | where["handle"]) - {threading.current_thread()}
    assert workers
    assert all(t.name.startswith("apertur-poll_") for t in workers)
    if concurrency == 1:
        assert where["handle"] == {threading.current_thread()}
    else:
        assert threading.current_thread() not in where["handle"]
    for thread in workers:
        thread.join(10)
        assert not thread.is_alive()


@pytest.mark.parametrize("concurrency", [1, 2])
def test_a_coroutine_handler_is_awaited_by_a_sync_run(concurrency: int) -> None:
    queue = FakeQueue(["a", "b", "c"])
    handled: list[str] = []

    async def handler(image: PollImage, data: bytes) -> None:
        await asyncio.sleep(0)
        handled.append(image.id)

    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handler,
        concurrency=concurrency, max_images=3,
    )  # fmt: skip
    assert sorted(handled) == ["a", "b", "c"]
    assert (summary.processed, summary.acknowledged) == (3, 3)


def test_handlers_and_the_downloads_ahead_of_them_all_run_at_once() -> None:
    """concurrency=4, prefetch=4: four handlers and four downloads ahead are in progress at the
    same time (each waits for all eight), so the run has a worker thread for each of them."""
    ids = [f"i{n}" for n in range(8)]
    queue = FakeQueue(ids)
    meeting = threading.Barrier(8, timeout=10)

    def download(image: PollImage) -> bytes:
        if image.id >= "i4":  # downloaded ahead while i0-i3 are being handled
            meeting.wait()
        return queue.download(image)

    def handler(image: PollImage, data: bytes) -> None:
        if image.id < "i4":
            meeting.wait()

    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handler,
        concurrency=4, prefetch=4, max_images=8,
    )  # fmt: skip
    assert (summary.processed, summary.acknowledged) == (8, 8)


# A fused run (the sync run): each image is one job in a worker thread, its download, then its
# handler when one of the `concurrency` turns is free (in the calling thread at concurrency=1),
# then its ack.


class Steps:
    """Wraps a queue's calls and a handler to note, per image, each step and its thread."""

    def __init__(self, queue: FakeQueue, handler: Any) -> None:
        self.queue, self.handler = queue, handler
        self.seen: dict[str, list[tuple[str, threading.Thread]]] = {}
        self.lock = threading.Lock()

    def note(self, step: str, image: PollImage) -> None:
        with self.lock:
            self.seen.setdefault(image.id, []).append((step, threading.current_thread()))

    def download(self, image: PollImage) -> bytes:
        self.note("download", image)
        return self.queue.download(image)

    def handle(self, image: PollImage, data: bytes) -> None:
        self.note("handle", image)
        self.handler(image, data)

    def ack(self, image: PollImage) -> None:
        self.note("ack", image)
        self.queue.ack(image)


def test_a_fused_job_downloads_handles_and_acks_its_image_in_one_worker_thread() -> None:
    ids = [f"i{n:02d}" for n in range(12)]
    queue, ft = FakeQueue(ids), FakeTime()
    steps = Steps(queue, Recorder(queue))
    summary = run_poll_and_process(
        queue.list_images, steps.download, steps.ack, steps.handle, concurrency=3,
        max_images=12, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert (summary.processed, summary.acknowledged) == (12, 12)
    assert sorted(steps.seen) == ids
    for noted in steps.seen.values():
        assert [step for step, _ in noted] == ["download", "handle", "ack"]
        (thread,) = {thread for _, thread in noted}  # one hand-off: the same worker throughout
        assert thread.name.startswith("apertur-poll_")


def test_a_lone_handler_runs_in_the_calling_thread_of_a_fused_run() -> None:
    """concurrency=1: each image is still one job in a worker thread (its download, then its
    acknowledgement), but its handler runs in the calling thread, one image at a time."""
    ids = [f"i{n:02d}" for n in range(12)]
    queue, ft = FakeQueue(ids), FakeTime()
    active, peak = [0], [0]
    handler = Recorder(queue)

    def handle(image: PollImage, data: bytes) -> None:
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        handler(image, data)
        active[0] -= 1

    steps = Steps(queue, handle)
    summary = run_poll_and_process(
        queue.list_images, steps.download, steps.ack, steps.handle, concurrency=1, prefetch=3,
        max_images=12, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert (summary.processed, summary.acknowledged) == (12, 12)
    assert handler.handled == ids
    assert peak[0] == 1
    for noted in steps.seen.values():
        assert [step for step, _ in noted] == ["download", "handle", "ack"]
        download, handle, ack = (thread for _, thread in noted)
        assert handle is threading.current_thread()
        assert download is ack
        assert download.name.startswith("apertur-poll_")


@pytest.mark.parametrize("a_vanishes", [False, True])
def test_a_lone_handler_takes_the_images_in_queue_order_whichever_downloads_first(
    a_vanishes: bool,
) -> None:
    """concurrency=1, prefetch=2: a's download ends only after b's and c's did; the handler
    still sees a, b, c. When a's download answers 404, b and c (waiting for a's turn) are
    handled in order then, and a is skipped."""
    queue = FakeQueue(["a", "b", "c"])
    handler, later_done, lock = Recorder(queue), threading.Semaphore(0), threading.Lock()

    def download(image: PollImage) -> bytes:
        if image.id == "a":
            for _ in "bc":
                assert later_done.acquire(timeout=10)
            if a_vanishes:
                raise NotFoundError("gone", status_code=404)
            return queue.download(image)
        with lock:
            data = queue.download(image)
        later_done.release()
        return data

    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handler, prefetch=2, max_images=3,
    )  # fmt: skip
    handled = ["b", "c"] if a_vanishes else ["a", "b", "c"]
    assert handler.handled == handled
    assert (summary.processed, summary.acknowledged) == (len(handled), len(handled))
    assert summary.skipped == int(a_vanishes)


def test_a_job_waits_out_a_lone_handler_and_on_error_slower_than_its_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """concurrency=1: the job that handed its image to the calling thread waits for the handler
    (and for ``on_error``) however long they take, looking at the run every tick meanwhile."""
    monkeypatch.setattr(engine, "_TICK", 0.001)
    queue = FakeQueue(["a", "b", "c"])
    errors: list[str] = []

    def handle(image: PollImage, data: bytes) -> None:
        time.sleep(0.05)  # many ticks
        if image.id == "b":
            raise RuntimeError("b failed")

    def on_error(image: PollImage, exc: BaseException) -> None:
        time.sleep(0.05)
        errors.append(f"{image.id}: {exc}")

    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handle, on_error=on_error,
        error_policy="skip", max_images=3,
    )  # fmt: skip
    assert errors == ["b: b failed"]
    assert (summary.processed, sorted(queue.acked)) == (2, ["a", "c"])


def test_above_concurrency_1_a_handler_does_not_wait_for_the_images_before_it() -> None:
    """concurrency=2, prefetch=0: b's handler runs while a is still downloading."""
    queue = FakeQueue(["a", "b"])
    b_handled = threading.Event()

    def download(image: PollImage) -> bytes:
        if image.id == "a":
            assert b_handled.wait(10)
        return queue.download(image)

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "b":
            b_handled.set()

    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handle, concurrency=2, prefetch=0, max_images=2,
    )  # fmt: skip
    assert (summary.processed, sorted(queue.acked)) == (2, ["a", "b"])


def test_ctrl_c_in_a_lone_handler_leaves_no_job_waiting_for_the_calling_thread() -> None:
    """concurrency=1: Ctrl-C raised by the handler in the calling thread ends the run; the job
    that handed it the image stops waiting for it (no thread is left behind), and nothing is
    acknowledged."""
    queue = FakeQueue(["a", "b"])

    def handle(image: PollImage, data: bytes) -> None:
        raise KeyboardInterrupt

    before = set(threading.enumerate())
    with pytest.raises(KeyboardInterrupt):
        run_poll_and_process(queue.list_images, queue.download, queue.ack, handle, prefetch=1)
    for thread in set(threading.enumerate()) - before:
        thread.join(10)
        assert not thread.is_alive()
    assert queue.acked == []


def test_a_fused_run_runs_at_most_concurrency_handlers_at_once() -> None:
    """concurrency=2, prefetch=3: five jobs at once, but only two handlers; the jobs that
    downloaded meanwhile wait for a turn."""
    ids = [f"i{n:02d}" for n in range(20)]
    queue, ft = FakeQueue(ids), FakeTime()
    handler, lock = Recorder(queue), threading.Lock()
    active, peak = [0], [0]
    meeting = threading.Barrier(2, timeout=10)  # the first two handlers overlap for sure

    def handle(image: PollImage, data: bytes) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        if image.id in ("i00", "i01"):
            meeting.wait()
        handler(image, data)
        with lock:
            active[0] -= 1

    steps = Steps(queue, handle)
    summary = run_poll_and_process(
        queue.list_images, steps.download, queue.ack, steps.handle, concurrency=2, prefetch=3,
        max_images=20, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert peak[0] == 2
    assert Counter(handler.handled) == Counter(ids)
    assert (summary.processed, summary.acknowledged) == (20, 20)


def test_a_fused_job_goes_on_with_the_next_image_while_the_handlers_run() -> None:
    """concurrency=2, prefetch=1 (three jobs): i0's handler returns once i1's runs, and its
    job then takes i3 and downloads it while i1 and i2 are handled (they wait for it)."""
    queue, ft = FakeQueue([f"i{n}" for n in range(5)]), FakeTime()
    handler, i3_arrived, i1_running = Recorder(queue), threading.Event(), threading.Event()

    def download(image: PollImage) -> bytes:
        data = queue.download(image)
        if image.id == "i3":
            i3_arrived.set()
        return data

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "i0":
            assert i1_running.wait(10)
        if image.id in ("i1", "i2"):
            i1_running.set()
            assert i3_arrived.wait(10)
        handler(image, data)

    summary = run_poll_and_process(
        queue.list_images, download, queue.ack, handle, concurrency=2, prefetch=1,
        max_images=5, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert (summary.processed, summary.acknowledged, summary.failed) == (5, 5, [])


def test_a_stop_in_a_fused_run_finishes_the_handlers_and_drops_the_jobs_waiting() -> None:
    """concurrency=2, prefetch=2: while a and b are handled, c and d download and wait for a
    turn. A stop then: a and b are acknowledged; c and d are dropped (they stay queued); e and f
    never start; no worker thread is left waiting."""
    queue, ft = FakeQueue(["a", "b", "c", "d", "e", "f"]), FakeTime()
    stop, ahead = threading.Event(), threading.Semaphore(0)
    handler = Recorder(queue)

    def download(image: PollImage) -> bytes:
        data = queue.download(image)
        if image.id in "cd":
            ahead.release()
        return data

    def handle(image: PollImage, data: bytes) -> None:
        handler(image, data)
        if image.id == "a":
            for _ in "xy":
                assert ahead.acquire(timeout=10)
            stop.set()
        assert stop.wait(10)

    steps = Steps(queue, handle)
    summary = run_poll_and_process(
        queue.list_images, download, steps.ack, steps.handle, concurrency=2, prefetch=2,
        stop=stop, clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
    )  # fmt: skip
    assert sorted(handler.handled) == ["a", "b"]
    assert sorted(queue.acked) == ["a", "b"]
    assert queue.calls["download"] == 4
    assert [i.id for i in queue.list_images().images] == ["c", "d", "e", "f"]
    assert (summary.processed, summary.acknowledged, summary.stopped_reason) == (
        2, 2, "stop_event",
    )  # fmt: skip
    for noted in steps.seen.values():
        (thread,) = {thread for _, thread in noted}
        thread.join(10)
        assert not thread.is_alive()


@pytest.mark.parametrize("policy", ["skip", "stop"])
def test_a_handler_failure_in_a_fused_job_is_not_acknowledged(policy: str) -> None:
    """The handler fails: on_error runs in the job's thread, right after it; the image is not
    acknowledged; under "stop" the run raises the handler's error once the rest finished."""
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    recorder, others = Recorder(queue, fail={"b"}), threading.Semaphore(0)

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "b":  # fails once a and c were handled (three handlers at once)
            for _ in "xy":
                assert others.acquire(timeout=10)
        recorder(image, data)
        others.release()

    steps = Steps(queue, handle)
    errors: list[tuple[str, threading.Thread, BaseException]] = []

    def on_error(image: PollImage, exc: BaseException) -> None:
        errors.append((image.id, threading.current_thread(), exc))

    summary, raised = PollSummary(), list[BaseException]()
    try:
        run_poll_and_process(
            queue.list_images, queue.download, steps.ack, steps.handle, concurrency=3,
            max_images=3, on_error=on_error, error_policy=policy, summary=summary,
            clock=ft.clock, sleep=ft.sleep, retry=NO_JITTER,
        )  # fmt: skip
    except RuntimeError as exc:
        raised.append(exc)
    ((image_id, thread, error),) = errors
    assert raised == ([error] if policy == "stop" else [])
    assert (image_id, thread) == ("b", steps.seen["b"][0][1])
    assert steps.seen["b"][-1][0] == "handle"  # no ack
    assert "b" not in queue.acked
    assert sorted(queue.acked) == ["a", "c"]
    assert summary.failed == [("b", repr(error))]
    assert (summary.processed, summary.acknowledged) == (2, 2)


def test_a_failure_under_stop_ends_a_fused_run_without_new_images() -> None:
    """Once a handler failed under the "stop" policy, the jobs finish what they hold and take
    no new image."""
    queue = FakeQueue(["a", "b", "c", "d", "e"])
    noted = threading.Event()
    recorder = Recorder(queue, fail={"b"})

    def handle(image: PollImage, data: bytes) -> None:
        if image.id == "a":
            assert noted.wait(10)  # returns after b's failure ended the run
        recorder(image, data)

    with pytest.raises(RuntimeError, match="handler failed on b"):
        run_poll_and_process(
            queue.list_images, queue.download, queue.ack, handle, concurrency=2, prefetch=0,
            on_error=lambda image, exc: noted.set(),
        )  # fmt: skip
    assert sorted(recorder.handled) == ["a", "b"]
    assert (queue.acked, queue.calls["download"]) == (["a"], 2)  # c, d, e: not even downloaded


@pytest.mark.parametrize("concurrency", [1, 2])
def test_ack_outcomes_and_retries_are_the_same_in_a_fused_run(concurrency: int) -> None:
    """A 409 on a first ack is another consumer's; after a failed attempt it is ours; a failed
    ack is retried with backoff and the handler is not called again."""
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ConflictError("dup", status_code=409)]
    summary = run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert (summary.acknowledged, summary.already_acknowledged) == (0, 1)
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("x", status_code=503), ConflictError("dup", status_code=409)]
    handler = Recorder(queue)
    summary = run(queue, handler, ft, concurrency=concurrency, max_images=1)
    assert (summary.acknowledged, summary.already_acknowledged) == (1, 0)
    assert (handler.handled, queue.calls["ack"], ft.sleeps) == (["a"], 2, [1.0])
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("x", status_code=503) for _ in range(3)]
    summary = run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert (summary.acknowledged, ft.sleeps) == (1, [1.0, 2.0, 4.0])  # exponential backoff
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("x", status_code=503) for _ in range(4)]
    summary = PollSummary()
    with pytest.raises(ServerError):  # 1 + 3 retries
        run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1, summary=summary)
    assert (queue.calls["ack"], summary.processed, summary.acknowledged) == (4, 1, 0)


@pytest.mark.parametrize("concurrency", [1, 2])
def test_a_download_retry_is_logged_as_one(
    concurrency: int, caplog: pytest.LogCaptureFixture
) -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    error = APIConnectionError("reset")
    queue.faults["download"] = [error]
    with caplog.at_level("WARNING", logger="apertur"):
        run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert [r.getMessage() for r in caplog.records] == [
        f"poll_and_process: download failed ({error!r}); retry 1/3 in 1.00s"
    ]


@pytest.mark.parametrize("concurrency", [1, 2])
def test_a_vanished_or_failing_download_in_a_fused_run(concurrency: int) -> None:
    """A download answered 404 is skipped; a transient error is retried after a backoff; a
    non-transient one ends the run."""
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["download"] = [NotFoundError("gone", status_code=404)]
    summary = run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert (summary.skipped, summary.processed, queue.acked) == (1, 0, [])
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["download"] = [ServerError("x", status_code=502)]
    summary = run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert (summary.processed, queue.acked, ft.sleeps) == (1, ["a"], [1.0])
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["download"] = [AuthenticationError("revoked", status_code=401)]
    with pytest.raises(AuthenticationError):
        run(queue, Recorder(queue), ft, concurrency=concurrency, max_images=1)
    assert queue.calls["download"] == 1


@pytest.mark.parametrize("concurrency", [1, 2])
def test_a_stop_cuts_a_download_backoff_short_but_not_an_acks(concurrency: int) -> None:
    """Real waits (no injected sleep): a stop during a download's backoff ends it at once with
    no retry; an ack's backoff is waited out and the ack retried."""
    queue, stop = FakeQueue(["a"]), threading.Event()
    queue.faults["download"] = [ServerError("x", status_code=500)]
    hour = RetryPolicy(max_retries=2, initial_delay=3600.0, jitter=0.0)
    download = queue.download

    def failing_download(image: PollImage) -> bytes:
        try:
            return download(image)
        finally:
            stop.set()  # while the hour-long backoff begins

    summary = run_poll_and_process(
        queue.list_images, failing_download, queue.ack, Recorder(queue), stop=stop, retry=hour,
        concurrency=concurrency,
    )  # fmt: skip
    assert (queue.calls["download"], summary.processed, summary.stopped_reason) == (
        1, 0, "stop_event",
    )  # fmt: skip
    queue, stop = FakeQueue(["a"]), threading.Event()
    queue.faults["ack"] = [ServerError("x", status_code=500)]
    short = RetryPolicy(max_retries=2, initial_delay=0.01, jitter=0.0)

    def handle(image: PollImage, data: bytes) -> None:
        stop.set()

    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handle, stop=stop, retry=short,
        concurrency=concurrency,
    )  # fmt: skip
    assert (queue.calls["ack"], queue.acked, summary.acknowledged) == (2, ["a"], 1)


def test_an_interrupted_fused_run_does_not_wait_out_an_ack_backoff() -> None:
    """Ctrl-C while a job's ack waits an hour before its retry: the run ends without retrying it
    (a stop would not cut it short; an abandoned run does)."""
    queue = FakeQueue(["a"])
    queue.faults["ack"] = [ServerError("x", status_code=500)]
    hour = RetryPolicy(max_retries=2, initial_delay=3600.0, jitter=0.0)
    ack = queue.ack

    def interrupting_ack(image: PollImage) -> None:
        try:
            ack(image)
        finally:
            _thread.interrupt_main()

    summary = PollSummary()
    with pytest.raises(KeyboardInterrupt):
        run_poll_and_process(
            queue.list_images, queue.download, interrupting_ack, Recorder(queue), retry=hour,
            concurrency=2, summary=summary,
        )  # fmt: skip
    assert (queue.calls["ack"], queue.acked) == (1, [])
    assert (summary.processed, summary.acknowledged) == (1, 0)


def test_interrupt_waits_for_an_ack_in_flight_of_a_jobs_later_image() -> None:
    """Ctrl-C while a job acknowledges the second image it took (its first one failed, under
    the "skip" policy): that ack finishes and is counted before the run raises."""
    queue = FakeQueue(["a", "b", "c", "d"])
    steps = Steps(queue, Recorder(queue, fail={"a", "b"}))
    ack = queue.ack

    def interrupting_ack(image: PollImage) -> None:
        if image.id == "c":  # a job's second image (two jobs: a and b were the first)
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)  # at once
            time.sleep(0.5)  # still on the wire when the run is cancelled
        ack(image)

    summary = PollSummary()
    with pytest.raises(KeyboardInterrupt):
        run_poll_and_process(
            queue.list_images, steps.download, interrupting_ack, steps.handle, concurrency=2,
            prefetch=0, summary=summary, error_policy="skip",
        )  # fmt: skip
    assert "c" in queue.acked
    (thread,) = {thread for _, thread in steps.seen["c"]}
    assert thread in {thread for i in "ab" for _, thread in steps.seen.get(i, [])}
    assert summary.acknowledged == len(queue.acked)


def test_keyboard_interrupt_in_a_fused_handler_acknowledges_nothing_more() -> None:
    """KeyboardInterrupt from one job's handler ends the run: that image is not acknowledged,
    nor is one whose handler returns afterwards; nothing else starts."""
    queue = FakeQueue(["a", "b", "c", "d"])
    b_started, release, handled = threading.Event(), threading.Event(), []
    b_thread: list[threading.Thread] = []
    errors: list[str] = []

    def handle(image: PollImage, data: bytes) -> None:
        handled.append(image.id)
        if image.id == "a":
            assert b_started.wait(10)
            raise KeyboardInterrupt
        b_thread.append(threading.current_thread())
        b_started.set()
        assert release.wait(10)  # fails once the run has raised: not noted, no on_error
        raise RuntimeError("b failed late")

    summary = PollSummary()
    with pytest.raises(KeyboardInterrupt):
        run_poll_and_process(
            queue.list_images, queue.download, queue.ack, handle, concurrency=2, prefetch=0,
            on_error=lambda image, exc: errors.append(image.id), error_policy="skip",
            summary=summary,
        )  # fmt: skip
    release.set()
    b_thread[0].join(10)
    assert not b_thread[0].is_alive()
    assert queue.acked == []
    assert sorted(handled) == ["a", "b"]  # c and d never started
    assert (errors, summary.failed, summary.processed) == ([], [], 0)


def test_a_plain_handler_returning_an_awaitable_in_a_fused_run() -> None:
    """An awaitable a plain handler returns is awaited (on the run's event loop) before the
    image is acknowledged."""
    queue = FakeQueue(["a", "b", "c"])
    handled: list[str] = []

    async def finish(image: PollImage) -> None:
        await asyncio.sleep(0)
        handled.append(image.id)

    summary = run_poll_and_process(
        queue.list_images, queue.download, queue.ack, lambda image, data: finish(image),
        concurrency=2, max_images=3,
    )  # fmt: skip
    assert sorted(handled) == ["a", "b", "c"]
    assert (summary.processed, summary.acknowledged) == (3, 3)
