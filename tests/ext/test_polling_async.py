"""Tests for apertur_ext._polling carried out by the async driver: parity with the sync one, async
and sync handlers, cancellation, concurrency. Fake clock and sleep: no test waits on real time."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import anyio
import pytest

from apertur_api.models.poll_image import PollImage
from apertur_api.models.poll_result import PollResult
from apertur_ext._core.exceptions import (
    APIConnectionError,
    AuthenticationError,
    ConflictError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._polling.engine import run_async
from apertur_ext._polling.state import Calls, Options, PollSummary

NO_JITTER = RetryPolicy(max_retries=3, initial_delay=1.0, max_delay=8.0, jitter=0.0)


async def async_run_poll_and_process(
    list_images: Any,
    download: Any,
    ack: Any,
    handler: Any,
    *,
    stop: Any = None,
    sleep: Any = None,
    summary: PollSummary | None = None,
    on_error: Any = None,
    **options: Any,
) -> PollSummary:
    calls = Calls(list_images, download, ack, handler, on_error)
    return await run_async(calls, Options(**options), stop, summary, sleep)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await anyio.lowlevel.checkpoint()


class FakeQueue:
    def __init__(self, ids: list[str]) -> None:
        self.data = {i: f"bytes of {i}".encode() for i in ids}
        self.acked: list[str] = []
        self.events: list[tuple[str, str]] = []
        self.faults: dict[str, list[BaseException]] = {"list": [], "download": [], "ack": []}
        self.calls: Counter[str] = Counter()

    def _fault(self, op: str) -> None:
        self.calls[op] += 1
        if self.faults[op]:
            raise self.faults[op].pop(0)

    async def list_images(self) -> PollResult:
        await anyio.lowlevel.checkpoint()
        self._fault("list")
        pending = [i for i in self.data if i not in self.acked]
        return PollResult(images=[PollImage(id=i) for i in pending])

    async def download(self, image: PollImage) -> bytes:
        await anyio.lowlevel.checkpoint()
        self._fault("download")
        self.events.append(("download", image.id))
        return self.data[image.id]

    async def ack(self, image: PollImage) -> None:
        await anyio.lowlevel.checkpoint()
        try:
            self._fault("ack")
        except ConflictError:
            self.acked.append(image.id)
            raise
        self.events.append(("ack", image.id))
        self.acked.append(image.id)


class AsyncRecorder:
    def __init__(self, queue: FakeQueue, fail: set[str] | None = None) -> None:
        self.queue, self.fail = queue, fail or set()
        self.handled: list[str] = []

    async def __call__(self, image: PollImage, data: bytes) -> None:
        await anyio.lowlevel.checkpoint()
        assert data == self.queue.data[image.id]
        self.handled.append(image.id)
        self.queue.events.append(("handle", image.id))
        if image.id in self.fail:
            raise RuntimeError(f"handler failed on {image.id}")


async def run(queue: FakeQueue, handler: Any, ft: FakeTime, **kw: Any) -> PollSummary:
    kw.setdefault("timeout", 10)
    kw.setdefault("retry", NO_JITTER)
    return await async_run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handler, clock=ft.clock, sleep=ft.sleep, **kw
    )


@pytest.mark.anyio
async def test_processes_and_acks_after_handler() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    handler = AsyncRecorder(queue)
    summary = await run(queue, handler, ft, interval=3.0)
    assert sorted(queue.acked) == ["a", "b", "c"]  # acks go in the background: any order
    for image_id in "abc":
        order = [e for e in queue.events if e[1] == image_id]
        assert order == [("download", image_id), ("handle", image_id), ("ack", image_id)]
    assert ft.sleeps == [3.0, 3.0, 3.0, 1.0]  # same schedule as the sync engine
    assert (summary.processed, summary.acknowledged, summary.polls) == (3, 3, 5)
    assert summary.stopped_reason == "timeout"


@pytest.mark.anyio
async def test_sync_handler_runs_in_a_worker_thread() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    threads: list[bool] = []

    def handler(image: PollImage, data: bytes) -> None:
        threads.append(threading.current_thread() is threading.main_thread())

    summary = await run(queue, handler, ft)
    assert threads == [False, False]
    assert summary.acknowledged == 2


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["coroutine function", "object with an async __call__"])
async def test_an_async_handler_is_never_sent_to_a_worker_thread(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    recorder = AsyncRecorder(queue)

    async def function(image: PollImage, data: bytes) -> None:
        await recorder(image, data)

    handler = function if kind == "coroutine function" else recorder
    sent: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def recording_run_sync(fn: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(fn)
        return await run_sync(fn, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recording_run_sync)
    summary = await run(queue, handler, ft)
    assert recorder.handled == ["a"]
    assert summary.acknowledged == 1
    assert handler not in sent


@pytest.mark.anyio
async def test_a_sync_on_error_runs_on_the_loop_s_thread() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    threads: list[bool] = []

    errors: list[str] = []

    def on_error(image: PollImage, exc: BaseException) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        errors.append(repr(exc))

    await run(queue, AsyncRecorder(queue, {"a"}), ft, error_policy="skip", on_error=on_error)
    assert threads == [True]
    assert errors == [repr(RuntimeError("handler failed on a"))]  # the handler's own error


@pytest.mark.anyio
@pytest.mark.parametrize("call", ["list", "download"])
async def test_a_stop_cuts_a_list_or_download_backoff_short(call: str) -> None:
    """A stop during the backoff after a failed list or download: no retry, nothing handled."""
    queue, stop = FakeQueue(["a"]), anyio.Event()
    queue.faults[call] = [ServerError("x", status_code=500)]
    handler = AsyncRecorder(queue)

    async def sleep(seconds: float) -> None:
        stop.set()

    summary = await async_run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handler, stop=stop, sleep=sleep
    )
    assert queue.calls[call] == 1
    assert (handler.handled, queue.acked, summary.stopped_reason) == ([], [], "stop_event")


@pytest.mark.anyio
async def test_sync_handler_returning_awaitable_is_awaited() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    handler = AsyncRecorder(queue)
    await run(queue, lambda image, data: handler(image, data), ft)
    assert handler.handled == ["a"]


@pytest.mark.anyio
async def test_stop_policy_raises_and_keeps_image() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    errors: list[str] = []

    async def on_error(image: PollImage, exc: BaseException) -> None:
        errors.append(image.id)

    summary = PollSummary()
    with pytest.raises(RuntimeError, match="on b"):
        await run(queue, AsyncRecorder(queue, {"b"}), ft, on_error=on_error, summary=summary)
    assert queue.acked == ["a"]
    assert errors == ["b"]
    assert [f[0] for f in summary.failed] == ["b"]


@pytest.mark.anyio
async def test_skip_policy_never_rehandles() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    handler = AsyncRecorder(queue, {"b"})
    errors: list[str] = []
    summary = await run(
        queue, handler, ft, error_policy="skip", on_error=lambda i, e: errors.append(i.id)
    )
    assert sorted(handler.handled) == ["a", "b", "c"]
    assert sorted(queue.acked) == ["a", "c"]
    assert errors == ["b"]
    assert summary.polls > 2


@pytest.mark.anyio
async def test_ack_conflict_and_retry_without_rehandling() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    queue.faults["ack"] = [
        ConflictError("dup", status_code=409),
        ServerError("x", status_code=503),
        APIConnectionError("reset"),
    ]
    handler = AsyncRecorder(queue)
    summary = await run(queue, handler, ft, timeout=0.5)
    assert handler.handled == ["a", "b"]
    assert queue.calls["ack"] == 4
    assert (summary.acknowledged, summary.already_acknowledged) == (1, 1)  # a: another consumer
    assert ft.sleeps[:2] == [1.0, 2.0]


@pytest.mark.anyio
async def test_ack_retries_exhausted_raises() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    queue.faults["ack"] = [ServerError("down", status_code=500) for _ in range(10)]
    handler = AsyncRecorder(queue)
    with pytest.raises(ServerError):
        await run(queue, handler, ft)
    assert handler.handled == ["a"]
    assert queue.calls["ack"] == 4


@pytest.mark.anyio
async def test_list_and_download_errors() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    queue.faults["list"] = [RateLimitError("slow", retry_after=7)]
    queue.faults["download"] = [
        NotFoundError("gone", status_code=404),
        ServerError("x", status_code=502),
    ]
    handler = AsyncRecorder(queue)
    summary = await run(queue, handler, ft, timeout=20)
    assert ft.sleeps[:2] == [7.0, 1.0]
    assert handler.handled == ["b"]
    assert summary.skipped == 1
    queue.faults["list"] = [AuthenticationError("bad key", status_code=401)]
    with pytest.raises(AuthenticationError):
        await run(queue, handler, FakeTime())


@pytest.mark.anyio
async def test_max_images_and_stop_event() -> None:
    queue, ft = FakeQueue([f"i{n}" for n in range(5)]), FakeTime()
    handler = AsyncRecorder(queue)
    summary = await run(queue, handler, ft, max_images=2, timeout=0)
    assert (handler.handled, summary.stopped_reason) == (["i0", "i1"], "max_images")

    stop = anyio.Event()

    async def handle(image: PollImage, data: bytes) -> None:
        await handler(image, data)
        stop.set()

    summary = await run(queue, handle, ft, stop=stop, timeout=0)
    assert handler.handled == ["i0", "i1", "i2"]
    assert summary.stopped_reason == "stop_event"
    assert "i2" in queue.acked


@pytest.mark.anyio
async def test_stop_event_wakes_the_idle_sleep() -> None:
    """Default sleep, one-hour interval: an asyncio.Event set by another task ends the run."""
    queue = FakeQueue([])
    stop = asyncio.Event()
    polled = anyio.Event()

    async def list_images() -> PollResult:
        polled.set()
        return await queue.list_images()

    result: list[PollSummary] = []

    async def runner() -> None:
        result.append(
            await async_run_poll_and_process(
                list_images, queue.download, queue.ack, print, interval=3600, stop=stop
            )
        )

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner)
            await polled.wait()
            await anyio.wait_all_tasks_blocked()  # the run waits out its idle interval
            stop.set()
    assert result[0].stopped_reason == "stop_event"


@pytest.mark.anyio
async def test_cancellation_propagates_and_nothing_half_done_is_acked() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    started = anyio.Event()

    async def handler(image: PollImage, data: bytes) -> None:
        started.set()
        await anyio.sleep_forever()

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, queue, handler, ft)
            await started.wait()
            tg.cancel_scope.cancel()
    assert queue.acked == []
    assert queue.calls["download"] == 2  # "b" downloaded ahead, never handled


@pytest.mark.anyio
async def test_concurrency_handles_each_once_bounded() -> None:
    ids = [f"i{n:02d}" for n in range(30)]
    queue, ft = FakeQueue(ids), FakeTime()
    handler = AsyncRecorder(queue, {"i03", "i17"})
    active, peak = [0], [0]

    async def handle(image: PollImage, data: bytes) -> None:
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        try:
            for _ in range(3):
                await anyio.lowlevel.checkpoint()
            await handler(image, data)
        finally:
            active[0] -= 1

    queue.faults["ack"] = [ServerError("x", status_code=500)]
    summary = await run(queue, handle, ft, concurrency=4, error_policy="skip")
    assert Counter(handler.handled) == Counter(ids)
    assert sorted(queue.acked) == sorted(set(ids) - {"i03", "i17"})
    assert 1 < peak[0] <= 4
    assert summary.acknowledged == 28


@pytest.mark.anyio
async def test_concurrency_stop_policy_raises_after_in_flight() -> None:
    queue, ft = FakeQueue([f"i{n}" for n in range(8)]), FakeTime()
    handler = AsyncRecorder(queue, {"i1"})
    with pytest.raises(RuntimeError, match="i1"):
        await run(queue, handler, ft, concurrency=3)
    assert "i1" not in queue.acked
    assert set(queue.acked) == set(handler.handled) - {"i1"}


@pytest.mark.anyio
async def test_bad_arguments() -> None:
    queue = FakeQueue([])
    with pytest.raises(InvalidInputError):
        await async_run_poll_and_process(
            queue.list_images, queue.download, queue.ack, print, concurrency=0
        )


@pytest.mark.anyio
async def test_stop_during_download_backoff_and_plain_ack_backoff() -> None:
    queue = FakeQueue(["a", "b"])
    stop = anyio.Event()
    queue.faults["ack"] = [ServerError("x", status_code=500)]

    async def handle(image: PollImage, data: bytes) -> None:
        queue.faults["download"] = [ServerError("x", status_code=500)]
        stop.set()  # "b" is not started; the ack of "a" still completes after its backoff

    zero = RetryPolicy(max_retries=2, initial_delay=0.0, jitter=0.0)
    summary = await async_run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handle, stop=stop, retry=zero
    )
    assert queue.acked == ["a"]
    assert summary.stopped_reason == "stop_event"
    stop2 = anyio.Event()
    queue.faults["download"] = [ServerError("x", status_code=500)]

    async def sleep(seconds: float) -> None:
        stop2.set()

    summary = await async_run_poll_and_process(
        queue.list_images, queue.download, queue.ack, handle, stop=stop2, sleep=sleep
    )
    assert summary.processed == 0


@pytest.mark.anyio
async def test_api_error_in_a_task_ends_the_run() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    queue.faults["download"] = [AuthenticationError("revoked", status_code=401)]
    with pytest.raises(AuthenticationError):
        await run(queue, AsyncRecorder(queue), ft, concurrency=2)


# The pipeline (async): downloads ahead of the handler, bounded; acknowledgements in the background.


class Meter:
    """Images held (downloads started, handlers not yet returned) and requests in flight."""

    def __init__(self, queue: FakeQueue) -> None:
        self.queue = queue
        self.held = self.requests = self.peak_held = self.peak_requests = 0

    def _add(self, held: int, requests: int) -> None:
        self.held += held
        self.requests += requests
        self.peak_held = max(self.peak_held, self.held)
        self.peak_requests = max(self.peak_requests, self.requests)

    async def download(self, image: PollImage) -> bytes:
        self._add(1, 1)
        try:
            for _ in range(5):  # a download takes a while: others start meanwhile
                await anyio.lowlevel.checkpoint()
            return await self.queue.download(image)
        finally:
            self._add(0, -1)

    async def ack(self, image: PollImage) -> None:
        self._add(0, 1)
        try:
            await self.queue.ack(image)
        finally:
            self._add(0, -1)


@pytest.mark.anyio
@pytest.mark.parametrize(("concurrency", "prefetch"), [(1, 3), (3, 2), (1, 0)])
async def test_pipeline_bounds_images_held_and_requests(concurrency: int, prefetch: int) -> None:
    ids = [f"i{n:02d}" for n in range(30)]
    queue, ft = FakeQueue(ids), FakeTime()
    meter, handler = Meter(queue), AsyncRecorder(queue)

    async def handle(image: PollImage, data: bytes) -> None:
        for _ in range(3):
            await anyio.lowlevel.checkpoint()
        await handler(image, data)
        meter._add(-1, 0)

    summary = await async_run_poll_and_process(
        queue.list_images, meter.download, meter.ack, handle, concurrency=concurrency,
        prefetch=prefetch, max_images=30, clock=ft.clock, sleep=ft.sleep,
    )  # fmt: skip
    assert Counter(handler.handled) == Counter(ids)
    if concurrency == 1:
        assert handler.handled == ids  # queue order
    assert summary.acknowledged == 30
    assert meter.peak_held == concurrency + prefetch  # reached, never exceeded
    assert meter.peak_requests <= concurrency + prefetch


class SlowingAcks(Meter):
    """A :class:`Meter` whose acknowledgements take 1 ms of the fake clock, then 50 ms from the
    17th on; once ``late`` returned, the next three downloads each note the most images held
    while they take a long while (a run still downloading ahead would take more)."""

    def __init__(self, queue: FakeQueue, ft: FakeTime, late: int) -> None:
        super().__init__(queue)
        self.ft, self.late, self.acks_returned, self.seen = ft, late, 0, 0
        self.probes: list[int] = []

    def _add(self, held: int, requests: int) -> None:
        super()._add(held, requests)
        self.seen = max(self.seen, self.held)

    async def download(self, image: PollImage) -> bytes:
        if self.acks_returned < self.late or len(self.probes) == 3:
            return await super().download(image)
        self.probes.append(0)
        self.seen, probe = self.held, len(self.probes) - 1
        self._add(1, 1)
        try:
            for _ in range(50):
                await anyio.lowlevel.checkpoint()
            self.probes[probe] = self.seen
            return await self.queue.download(image)
        finally:
            self._add(0, -1)

    async def ack(self, image: PollImage) -> None:
        self.ft.now += 0.001 if self.acks_returned < 16 else 0.05
        try:
            await super().ack(image)
        finally:
            self.acks_returned += 1


@pytest.mark.anyio
@pytest.mark.parametrize(("concurrency", "conflict"), [(1, False), (3, False), (1, True)])
async def test_downloading_ahead_pauses_once_acknowledgements_queue(
    concurrency: int, conflict: bool
) -> None:
    """Once 16 acknowledgements (409s too: ``conflict``) took over twice as long as the
    fastest, at most ``concurrency`` images are held, two for a lone handler."""
    ids = [f"i{n:02d}" for n in range(80)]
    queue, ft = FakeQueue(ids), FakeTime()
    ft.now = 1000.0  # durations are differences: a clock far from zero tells them from sums
    if conflict:  # another consumer acknowledged every image first
        queue.faults["ack"] = [ConflictError("acknowledged", status_code=409) for _ in ids]
    meter, handler = SlowingAcks(queue, ft, late=56), AsyncRecorder(queue)

    async def handle(image: PollImage, data: bytes) -> None:
        await handler(image, data)
        meter._add(-1, 0)

    summary = await async_run_poll_and_process(
        queue.list_images, meter.download, meter.ack, handle, concurrency=concurrency,
        prefetch=4, max_images=80, clock=ft.clock, sleep=ft.sleep,
    )  # fmt: skip
    assert summary.processed == 80
    assert (summary.already_acknowledged, summary.acknowledged) == (
        (80, 0) if conflict else (0, 80)
    )
    assert len(meter.probes) == 3
    assert max(meter.probes) <= max(concurrency, 2)
    assert meter.peak_requests <= concurrency + 4


@pytest.mark.anyio
async def test_a_run_returns_only_after_its_acks_finished() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    ack_started, release = anyio.Event(), anyio.Event()
    returned: list[PollSummary] = []

    async def ack(image: PollImage) -> None:
        if image.id == "b":
            ack_started.set()
            await release.wait()
        await queue.ack(image)

    async def runner() -> None:
        returned.append(
            await async_run_poll_and_process(
                queue.list_images,
                queue.download,
                ack,
                AsyncRecorder(queue),
                max_images=2,
                clock=ft.clock,
                sleep=ft.sleep,
            )  # fmt: skip
        )

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner)
            await ack_started.wait()
            for _ in range(50):
                await anyio.lowlevel.checkpoint()
            assert returned == []  # still waiting for b's acknowledgement
            release.set()
    assert returned[0].acknowledged == 2


@pytest.mark.anyio
async def test_cancelled_run_finishes_and_counts_the_ack_in_flight() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    ack_started, release = anyio.Event(), anyio.Event()
    summary = PollSummary()

    async def ack(image: PollImage) -> None:
        ack_started.set()
        await release.wait()
        await queue.ack(image)

    async def handler(image: PollImage, data: bytes) -> None:
        if image.id == "b":
            await anyio.sleep_forever()  # cancelled mid-way: never acknowledged

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(
                lambda: async_run_poll_and_process(
                    queue.list_images,
                    queue.download,
                    ack,
                    handler,
                    clock=ft.clock,
                    sleep=ft.sleep,
                    summary=summary,
                )  # fmt: skip
            )
            await ack_started.wait()
            tg.cancel_scope.cancel()
            release.set()  # the shielded ack of "a" completes after the cancellation
    assert queue.acked == ["a"]
    assert (summary.processed, summary.acknowledged) == (1, 1)


@pytest.mark.anyio
async def test_keyboard_interrupt_from_a_handler_acknowledges_nothing_more() -> None:
    """KeyboardInterrupt raised by one handler (concurrency 2) abandons the run: an image whose
    handler had just returned is not acknowledged after it, and the interrupt propagates."""
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    a_returned, b_waiting = anyio.Event(), anyio.Event()

    async def handler(image: PollImage, data: bytes) -> None:
        if image.id == "a":
            await b_waiting.wait()
            a_returned.set()  # wakes "b", which raises before the run sees "a" returned
        elif image.id == "b":
            b_waiting.set()
            await a_returned.wait()
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await run(queue, handler, ft, concurrency=2, prefetch=0)
    assert queue.acked == []
    assert queue.calls["ack"] == 0
    assert queue.calls["download"] == 2  # "c" was never taken


@pytest.mark.anyio
async def test_the_idle_wait_is_cut_to_what_is_left_of_the_timeout() -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    summary = await run(queue, AsyncRecorder(queue), ft, interval=3.0, timeout=3.5)
    assert ft.sleeps == [3.0, 0.5]  # not a whole interval past the deadline
    assert (summary.processed, summary.stopped_reason) == (1, "timeout")


@pytest.mark.anyio
async def test_every_image_gone_before_its_download_is_counted_as_skipped() -> None:
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    queue.faults["download"] = [
        NotFoundError("gone", status_code=404),
        GoneError("gone", status_code=410),
    ]
    handler = AsyncRecorder(queue)
    summary = await run(queue, handler, ft, timeout=1)
    assert handler.handled == ["c"]
    assert (summary.skipped, summary.processed, summary.acknowledged) == (2, 1, 1)


@pytest.mark.anyio
async def test_acknowledgements_count_against_the_requests_in_flight() -> None:
    """At most ``concurrency + prefetch`` requests are in flight, acknowledgements included:
    acknowledgements that wait keep new ones (and new downloads) from starting."""
    queue, ft = FakeQueue([f"i{n}" for n in range(6)]), FakeTime()
    in_flight, peak = 0, 0

    def counted(call: Any) -> Any:
        async def request(*args: Any) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await call(*args)
            finally:
                in_flight -= 1

        return request

    async def slow_ack(image: PollImage) -> None:
        await anyio.wait_all_tasks_blocked()  # until the run can start nothing more
        await queue.ack(image)

    summary = await async_run_poll_and_process(
        counted(queue.list_images), counted(queue.download), counted(slow_ack),
        AsyncRecorder(queue), clock=ft.clock, sleep=ft.sleep, timeout=1, retry=NO_JITTER,
        concurrency=1, prefetch=1,
    )  # fmt: skip
    assert sorted(queue.acked) == sorted(queue.data)
    assert summary.acknowledged == 6
    assert peak == 2


@pytest.mark.anyio
async def test_a_download_retry_is_logged_as_a_download(caplog: pytest.LogCaptureFixture) -> None:
    queue, ft = FakeQueue(["a"]), FakeTime()
    error = ServerError("busy", status_code=503)
    queue.faults["download"] = [error]
    with caplog.at_level("WARNING", logger="apertur"):
        await run(queue, AsyncRecorder(queue), ft, max_images=1, timeout=0)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [f"poll_and_process: download failed ({error!r}); retry 1/3 in 1.00s"]


@pytest.mark.anyio
async def test_a_cancelled_run_does_not_retry_an_acknowledgement_waiting_to() -> None:
    """An acknowledgement in flight finishes after a cancellation, but one that failed and
    waits to be retried is abandoned: the cancelled run sends no new request."""
    queue = FakeQueue(["a"])
    queue.faults["ack"] = [ServerError("busy", status_code=503)]
    in_backoff, release = anyio.Event(), anyio.Event()

    async def sleep(_seconds: float) -> None:  # the ack's backoff (nothing else waits here)
        in_backoff.set()
        await release.wait()

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(
                lambda: async_run_poll_and_process(
                    queue.list_images,
                    queue.download,
                    queue.ack,
                    AsyncRecorder(queue),
                    sleep=sleep,
                    retry=NO_JITTER,
                )  # fmt: skip
            )
            await in_backoff.wait()
            tg.cancel_scope.cancel()
            release.set()
    assert queue.calls["ack"] == 1


@pytest.mark.anyio
async def test_a_plain_on_error_runs_inline_in_the_event_loop_thread() -> None:
    queue, ft = FakeQueue(["a", "b"]), FakeTime()
    where: list[threading.Thread] = []

    def on_error(image: PollImage, exc: BaseException) -> None:
        where.append(threading.current_thread())

    summary = await run(
        queue, AsyncRecorder(queue, fail={"a"}), ft, on_error=on_error, error_policy="skip"
    )
    assert where == [threading.current_thread()]
    assert summary.acknowledged == 1


@pytest.mark.anyio
async def test_a_cancelled_run_does_not_wait_for_a_plain_handler_in_its_thread() -> None:
    """The worker thread of a plain handler is abandoned: cancellation ends the run at once,
    and the handler's image is not acknowledged when it returns later."""
    queue, ft = FakeQueue(["a"]), FakeTime()
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    def handler(image: PollImage, data: bytes) -> None:
        started.set()
        release.wait(10)
        returned.set()

    try:
        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                tg.start_soon(run, queue, handler, ft)
                assert await anyio.to_thread.run_sync(started.wait, 5)
                tg.cancel_scope.cancel()
        assert not returned.is_set()  # the run ended while the handler still ran
    finally:
        release.set()
    assert await anyio.to_thread.run_sync(returned.wait, 10)
    assert queue.acked == []


class _AsyncCallable:
    def __init__(self, handled: list[str]) -> None:
        self.handled = handled

    async def __call__(self, image: PollImage, data: bytes) -> None:
        self.handled.append(image.id)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["function", "object"])
async def test_a_coroutine_handler_runs_on_the_event_loop_without_a_worker_thread(
    kind: str,
) -> None:
    """A coroutine function, or an object with an async ``__call__``, is awaited where it is:
    the run starts no worker thread for it (as it does for a plain handler)."""
    queue, ft, handled = FakeQueue(["a", "b"]), FakeTime(), list[str]()

    async def function(image: PollImage, data: bytes) -> None:
        handled.append(image.id)

    before = set(threading.enumerate())
    handler = function if kind == "function" else _AsyncCallable(handled)
    summary = await run(queue, handler, ft, concurrency=2)
    assert sorted(handled) == ["a", "b"]
    assert summary.acknowledged == 2
    started = set(threading.enumerate()) - before
    assert [t for t in started if t.name.startswith("AnyIO worker")] == []


@pytest.mark.anyio
async def test_the_queue_is_listed_again_only_once_everything_taken_is_finished() -> None:
    """Images downloaded ahead and not handled yet keep the run from listing the queue again,
    even when no request or handler is in flight (here: just after a handler failed)."""
    queue, ft = FakeQueue(["a", "b", "c"]), FakeTime()
    lists: list[int] = []

    async def list_images() -> PollResult:
        lists.append(len(queue.events))  # what had happened before each list
        return await queue.list_images()

    await async_run_poll_and_process(
        list_images, queue.download, queue.ack, AsyncRecorder(queue, fail={"a"}),
        clock=ft.clock, sleep=ft.sleep, timeout=1, retry=NO_JITTER, error_policy="skip",
    )  # fmt: skip
    assert sorted(queue.acked) == ["b", "c"]
    assert lists == [0, len(queue.events)]  # 3 downloads, 3 handlers, 2 acks, then the list
