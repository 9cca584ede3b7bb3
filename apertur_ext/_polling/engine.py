"""Carrying out ``poll_and_process`` runs: one async engine (anyio) for both clients.

``AsyncApertur`` runs it in the caller's event loop: a coroutine handler is awaited there, a
plain one runs in a worker thread (a plain ``on_error`` inline). ``Apertur`` runs it on a private
event loop in a helper thread, each image one job in a thread pool of the run's own (download,
handler, acknowledgement: see ``state``), so that an image costs no hand-off to the loop; at
``concurrency=1`` the job hands the handler and ``on_error`` to the calling thread, which runs
them (one wake-up each way). Acknowledgements in flight are shielded: a cancelled or
interrupted run finishes and counts them before it propagates."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, cast

import anyio
import anyio.abc
import anyio.from_thread
import anyio.to_thread
import attrs

from apertur_api.models.poll_image import PollImage

from .._core.exceptions import ConflictError, GoneError, NotFoundError
from .state import (
    AckOutcome,
    AsyncStopEvent,
    Calls,
    Interrupted,
    Kind,
    Options,
    PollSummary,
    Run,
    Slot,
    after_conflict,
)

__all__ = ["run_async", "run_sync"]

_TICK = 0.5
"""How often the engine of a sync run looks at its ``threading.Event`` while waiting (s)."""


Job = Callable[[Run, Slot], Awaitable[object]]
"""Carries out a fused run's image (see ``state``)."""
Callbacks = queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]] | None]
"""User code for the calling thread to run (``None`` wakes it up)."""


async def _invoke(fn: Callable[..., object], *args: object, threaded: bool) -> None:
    """Call user code: a coroutine function is awaited; a plain one runs in a worker thread
    when ``threaded``, else inline; an awaitable it returns is awaited."""
    is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 (callable objects with an async __call__)
    )
    if threaded and not is_async:  # a cancelled run does not wait for it
        result = await anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True)
    else:
        result = fn(*args)
    while inspect.isawaitable(result):  # also through the sync run's wrappers of ``fn``
        result = await result


class _Engine(Run):
    def __init__(
        self,
        calls: Calls,
        opts: Options,
        stop: AsyncStopEvent,
        summary: PollSummary | None,
        sleep: Callable[[float], Awaitable[object]] | None,
        tasks: anyio.abc.TaskGroup,
        job: Job | None,
    ) -> None:
        super().__init__(calls, opts, stop, summary, fused=job is not None)
        self.sleep, self.tasks, self.wake, self.job = sleep, tasks, anyio.Event(), job

    async def pause(self, seconds: float, interruptible: bool) -> None:
        if self.aborted:
            raise Interrupted
        if self.sleep is not None:
            await self.sleep(seconds)
        elif interruptible:
            with anyio.move_on_after(seconds):  # ends at once when the stop event is set
                await self.stop.wait()
        else:
            await anyio.sleep(seconds)
        if (interruptible and self.stop.is_set()) or self.aborted:
            raise Interrupted

    async def call(self, fn: Callable[[int], Awaitable[Any]], what: Kind) -> Any:
        """``fn(attempt)``, retried on transient errors; a stop cuts the backoff short, except
        for an acknowledgement."""
        attempt = 0
        while True:
            try:
                return await fn(attempt)
            except Exception as exc:
                delay = self.backoff(attempt, exc, what)
            attempt += 1
            await self.pause(delay, interruptible=what != "ack")

    async def _handle(self, slot: Any) -> bool:
        image, data, slot.data = slot.image, slot.data, None
        try:
            await _invoke(self.calls.handler, image, data, threaded=True)
            return True
        except Exception as exc:
            with self.lock:
                self.failed(image, exc)
            if self.calls.on_error is not None:
                await _invoke(self.calls.on_error, image, exc, threaded=False)
            return False

    async def _ack(self, image: PollImage, attempt: int) -> tuple[AckOutcome, float]:
        """Acknowledge (the handler is never called again); a 409 is an outcome too. Returns
        it and the seconds this attempt took."""
        started = self.opts.clock()
        try:
            await self.calls.ack(image)
        except ConflictError:
            return after_conflict(attempt), self.opts.clock() - started
        return "acknowledged", self.opts.clock() - started

    async def operation(self, kind: Kind, item: Any) -> None:
        """One operation as a task; its result or error is recorded (cancellation propagates)."""
        if kind == "process":  # a fused run's job: it records its images itself
            await cast(Job, self.job)(self, item)
            self.wake.set()
            return
        try:
            with anyio.CancelScope(shield=kind == "ack"):
                if kind == "handle":
                    value = await self._handle(item)
                elif kind == "list":
                    value = await self.call(lambda _: self.calls.list_images(), kind)
                elif kind == "download":
                    value = await self.call(lambda _: self.calls.download(item.image), kind)
                else:
                    value = await self.call(lambda attempt: self._ack(item, attempt), kind)
        except anyio.get_cancelled_exc_class():
            raise
        except BaseException as exc:  # KeyboardInterrupt from user code too: it ends the run
            with self.lock:
                self.complete(kind, item, None, exc)
        else:
            with self.lock:
                self.complete(kind, item, value, None)
        self.wake.set()

    async def watch_stop(self) -> None:
        await self.stop.wait()
        self.wake.set()

    async def loop(self) -> None:
        """Start what may start, wait for an operation to end, sleep when idle; until done."""
        while True:
            with self.lock:
                self.wake = anyio.Event()
                start, finished, busy = self.plan(), self.done(), self.busy()
            for kind, item in start:
                self.tasks.start_soon(self.operation, kind, item)
            if finished:
                break
            if busy:
                await self.wake.wait()
            elif (idle := self.list_due - self.opts.clock()) > 0:
                with contextlib.suppress(Interrupted):
                    await self.pause(idle, interruptible=True)


async def run_async(
    calls: Calls,
    opts: Options,
    stop: AsyncStopEvent | None = None,
    summary: PollSummary | None = None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    job: Job | None = None,
) -> PollSummary:
    """Run until stopped. The calls are coroutine functions; ``stop`` is an ``anyio.Event`` or
    ``asyncio.Event``; ``sleep`` (a coroutine function) replaces waiting on it in tests; a
    ``job`` carries out each image whole (a fused run)."""
    async with anyio.create_task_group() as tasks:
        event = anyio.Event() if stop is None else stop
        engine = _Engine(calls, opts, event, summary, sleep, tasks, job)
        tasks.start_soon(engine.watch_stop)
        try:
            await engine.loop()
        except BaseException:
            with engine.lock:
                engine.abandon()  # shielded acks finish; the task group waits for them
            raise
        finally:
            tasks.cancel_scope.cancel()  # abandoned downloads, the stop watcher
    return engine.finish()


class _ThreadEvent:
    """A ``threading.Event`` as the engine's stop event (looked at every ``_TICK`` seconds)."""

    def __init__(self, event: threading.Event) -> None:
        self.is_set = event.is_set

    async def wait(self) -> None:
        while not self.is_set():  # noqa: ASYNC110 (a thread's event cannot wake the loop)
            await anyio.sleep(_TICK)


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


async def _returned(run: Awaitable[PollSummary]) -> PollSummary | BaseException:
    """``run``'s summary, or the Ctrl-C (or ``SystemExit``) a handler raised in a worker thread,
    returned for the calling thread to raise: raised in the event loop, asyncio would also report
    it as unhandled when the loop shuts down."""
    try:
        return await run
    except (KeyboardInterrupt, SystemExit) as exc:
        return exc


class _ImageJob:
    """A fused run's image as one job in a worker thread of the run's pool: its download, its
    handler, then its acknowledgement, each step asked of the run (see ``state``). Retries as
    :meth:`_Engine.call` does: a stop cuts a download's backoff short, never an ack's; an
    abandoned run cuts both (and retries nothing). With ``callbacks``, the handler and
    ``on_error`` run in the calling thread instead (see :meth:`user`)."""

    def __init__(
        self,
        calls: Calls,
        stop: threading.Event,
        sleep: Callable[[float], object] | None,
        pool: ThreadPoolExecutor,
        portal: anyio.from_thread.BlockingPortal,
        callbacks: Callbacks | None,
    ) -> None:
        self.calls, self.stop, self.sleep, self.pool, self.portal = calls, stop, sleep, pool, portal
        self.callbacks = callbacks

    async def __call__(self, run: Run, slot: Slot) -> None:
        """Carry out ``slot``, then the images the run gives next, in a worker thread; cancelled,
        the run does not wait for it unless it is acknowledging (that finishes and is counted
        first)."""
        current = [slot]
        future = self.pool.submit(self.work, run, current)
        try:
            await asyncio.wrap_future(future)
        except anyio.get_cancelled_exc_class():
            with run.lock:
                run.abandon()  # an acknowledgement not started by now never starts
                acking = current[0].acking
            if acking:
                with anyio.CancelScope(shield=True):
                    await asyncio.wrap_future(future)
            raise

    def work(self, run: Run, current: list[Slot]) -> None:
        """Image after image, ``current[0]`` first, while the run gives one; what an image raised
        is recorded (it may end the run), not raised."""
        slot: Slot | None = current[0]
        while slot is not None:
            error = None
            try:
                self.carry_out(run, slot)
            except BaseException as exc:  # KeyboardInterrupt from user code too
                error = exc
            with run.lock:
                if (slot := run.finished(slot, error)) is not None:
                    current[0] = slot  # what a cancelled run looks at

    def carry_out(self, run: Run, slot: Slot) -> None:
        if self.download_and_handle(run, slot):
            outcome = None
            try:
                outcome = self.call(run, lambda attempt: self.ack(run, slot.image, attempt), "ack")
            finally:
                with run.lock:
                    run.acked(outcome)

    def download_and_handle(self, run: Run, slot: Slot) -> bool:
        """Returns whether to acknowledge the image (its handler succeeded)."""
        image = slot.image
        try:
            data = self.call(run, lambda _: self.calls.download(image), "download")
        except (NotFoundError, GoneError):
            with run.lock:
                run.vanished(image)
            return False
        except Interrupted:  # a stop during its backoff: the image stays queued
            return False
        with run.lock:
            if not run.take(slot):
                return False
        ok = False
        try:
            self.settle(self.user(run, self.calls.handler, image, data))
            ok = True
        except Exception as exc:
            with run.lock:
                report = run.job_failed(image, exc)
            if report and self.calls.on_error is not None:
                self.settle(self.user(run, self.calls.on_error, image, exc))
        finally:
            with run.lock:
                ack = run.handled(slot, ok)
        return ack

    def ack(self, run: Run, image: PollImage, attempt: int) -> tuple[AckOutcome, float]:
        """:meth:`_Engine._ack` in a worker thread."""
        started = run.opts.clock()
        try:
            self.calls.ack(image)
        except ConflictError:
            return after_conflict(attempt), run.opts.clock() - started
        return "acknowledged", run.opts.clock() - started

    def call(self, run: Run, fn: Callable[[int], Any], what: Kind) -> Any:
        """:meth:`_Engine.call` in a worker thread."""
        attempt = 0
        while True:
            try:
                return fn(attempt)
            except Exception as exc:
                delay = run.backoff(attempt, exc, what)
            attempt += 1
            self.pause(run, delay, interruptible=what != "ack")

    def pause(self, run: Run, seconds: float, interruptible: bool) -> None:
        """:meth:`_Engine.pause` in a worker thread (it looks at an abandoned run every
        ``_TICK`` seconds). A stop ends a download's backoff by ending the run, which does not
        wait for downloads: either way, no retry."""
        if run.aborted:
            raise Interrupted
        if self.sleep is not None:
            self.sleep(seconds)
        else:  # an abandoned run ends it early; a stop ends the run (which abandons it)
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0 and not run.aborted:
                time.sleep(min(left, _TICK))
        if (interruptible and self.stop.is_set()) or run.aborted:
            raise Interrupted

    def user(self, run: Run, fn: Callable[..., object], *args: Any) -> object:
        """``fn(*args)``: here, or in the calling thread when it takes ``callbacks``. Waiting
        for it there ends in :class:`Interrupted` once the run is abandoned (the calling thread
        has left)."""
        if self.callbacks is None:
            return fn(*args)
        self.callbacks.put((fn, args, done := Future[object]()))
        while True:
            try:
                return done.result(timeout=_TICK)
            except TimeoutError:
                if run.aborted:
                    raise Interrupted from None

    def settle(self, result: object) -> None:
        """An awaitable that a plain handler returned is awaited on the run's event loop."""
        while inspect.isawaitable(result):
            result = self.portal.call(_awaited, result)


def run_sync(
    calls: Calls,
    opts: Options,
    stop: threading.Event | None = None,
    summary: PollSummary | None = None,
    sleep: Callable[[float], object] | None = None,
) -> PollSummary:
    """:func:`run_async` for plain calls, on a private event loop (see the module docstring)."""
    callbacks: Callbacks = queue.SimpleQueue()

    # The jobs and the listing run in a pool of their own, as many threads as requests and
    # handlers may be in flight: cheaper hand-offs than anyio's shared worker threads. A
    # cancelled run does not wait for them.
    pool = ThreadPoolExecutor(2 * opts.concurrency + opts.prefetch, "apertur-poll")

    def threaded(fn: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
        async def call(*args: Any) -> Any:
            return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

        return call

    # Listing is the only call the engine makes itself; the jobs make the others.
    api = attrs.evolve(calls, list_images=threaded(calls.list_images))
    stop = threading.Event() if stop is None else stop
    nap = None if sleep is None else threaded(sleep)
    with (
        contextlib.ExitStack() as cleanup,
        anyio.from_thread.start_blocking_portal(name="apertur-poll") as portal,
    ):
        cleanup.callback(pool.shutdown, wait=False)  # nothing is queued: the pool fits the run
        lone = callbacks if opts.concurrency == 1 else None  # its handler runs here, below
        image_job = _ImageJob(calls, stop, sleep, pool, portal, lone)
        event = _ThreadEvent(stop)
        future = portal.start_task_soon(
            _returned, run_async(api, opts, event, summary, nap, image_job)
        )
        future.add_done_callback(lambda _: callbacks.put(None))  # wakes the loop below
        # Ctrl-C here leaves the portal, which cancels the run (its acks in flight finish first)
        while not future.done():
            with contextlib.suppress(queue.Empty):  # awake to Ctrl-C every _TICK seconds
                if (callback := callbacks.get(timeout=_TICK)) is not None:
                    fn, args, done = callback
                    try:
                        done.set_result(fn(*args))
                    except Exception as exc:
                        done.set_exception(exc)
        if isinstance(result := future.result(), BaseException):
            raise result
        return result
