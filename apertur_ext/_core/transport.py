"""RetryTransport: the one httpx transport (sync and async) that retries, signs, bounds and logs.

It wraps httpx's default transports (or given ones) and is the only place that retries a request
(poll-and-process and the event stream retry whole operations on top). Every request sent through the SDK's httpx clients passes it, the generated functions
called with ``client.api`` too: each attempt is stamped with its number
(``x-apertur-retry-count``), logged and signed afresh; the call is logged once its body is read.

A call has one wall-clock deadline, by default its timeout's longest phase from when it is sent:
the attempts, the waits between them and the reading of the response (status line, headers and
body) end by it. Each attempt's timeouts are cut to the time left when it starts, and the
deadline is held in :data:`~.deadline.CALL_DEADLINE` while the call is sent (and, by
:mod:`.body`, while its body is read), so that on the default inner transports every socket
connect, read and write waits at most what is left of it (:mod:`.sockets`): a server dripping
its headers a byte at a time is cut off at the deadline. Through a caller's ``http_client`` each
read of the head waits at most the read timeout (cut when the attempt starts), the body is still
checked chunk by chunk. Per-request settings travel in ``request.extensions``:
``"apertur.deadline"`` (a ``time.monotonic()`` value; None: no deadline, as uploads and
downloads get unless given a timeout), ``"apertur.max_response_bytes"`` (None: no limit),
``"apertur.limit_name"`` (the setting named when it is passed), ``"apertur.max_retries"``,
``"apertur.upload"`` (the upload rule of :mod:`.retry`) and
``"apertur.retry_ambiguous"``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

from .body import DEFAULT_MAX_RESPONSE_BYTES, bound_body, timed_upload
from .deadline import CALL_DEADLINE
from .failures import map_error
from .log import log_attempt, log_call, log_retry, logger
from .retry import RetryPolicy

__all__ = [
    "EXT_DEADLINE",
    "EXT_LIMIT_NAME",
    "EXT_MAX_BYTES",
    "EXT_MAX_RETRIES",
    "EXT_RETRY_AMBIGUOUS",
    "EXT_UPLOAD",
    "RETRY_COUNT_HEADER",
    "RetryTransport",
    "is_replayable",
]

EXT_MAX_RETRIES = "apertur.max_retries"
EXT_DEADLINE = "apertur.deadline"
EXT_MAX_BYTES = "apertur.max_response_bytes"
EXT_LIMIT_NAME = "apertur.limit_name"
EXT_UPLOAD = "apertur.upload"
EXT_RETRY_AMBIGUOUS = "apertur.retry_ambiguous"
RETRY_COUNT_HEADER = "x-apertur-retry-count"

_PHASES = ("connect", "read", "write", "pool")


def is_replayable(stream: object) -> bool:
    """True if a request body can be sent again in full: a stream that says so
    (``replayable``, as the upload bodies do) or an in-memory ``httpx.ByteStream``."""
    flag = getattr(stream, "replayable", None)
    return flag if isinstance(flag, bool) else isinstance(stream, httpx.ByteStream)


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Retries requests per :class:`RetryPolicy`; serves ``httpx.Client`` and ``AsyncClient``.

    ``sign`` runs on every attempt. ``sleep``, ``async_sleep``, ``clock`` (monotonic) and
    ``wall_clock`` (Unix time, for an HTTP-date Retry-After) are injectable for tests. The
    default inner transports are created on first use: a sync client never builds the async one.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        sign: Callable[[httpx.Request], None] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.max_response_bytes = max_response_bytes
        # A transport serving both protocols (MockTransport, ASGITransport...) may be given once.
        if async_transport is None and isinstance(transport, httpx.AsyncBaseTransport):
            async_transport = transport
        if transport is None and isinstance(async_transport, httpx.BaseTransport):
            transport = async_transport
        self._transport, self._async_transport = transport, async_transport
        self._sign, self._sleep, self._async_sleep = sign, sleep, async_sleep
        self._clock, self._wall_clock = clock, wall_clock
        self._lock = threading.Lock()

    def _sync_inner(self) -> httpx.BaseTransport:
        with self._lock:
            if self._transport is None:
                from .sockets import bound_pool  # imports httpcore, as httpx's transports do

                self._transport = httpx.HTTPTransport()
                bound_pool(self._transport)
            return self._transport

    def _async_inner(self) -> httpx.AsyncBaseTransport:
        with self._lock:
            if self._async_transport is None:
                from .sockets import bound_pool

                self._async_transport = httpx.AsyncHTTPTransport()
                bound_pool(self._async_transport)
            return self._async_transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send with retries (sync)."""
        started, retries, held = self._clock(), 0, None
        inner = self._transport if self._transport is not None else self._sync_inner()
        try:
            replayable, deadline, timeouts = self._begin(request)
            if deadline is not None:
                held = CALL_DEADLINE.set((deadline, self._clock))
            while True:
                self._prepare(request, retries, deadline, timeouts)
                try:
                    response = inner.handle_request(request)
                except httpx.TransportError as exc:
                    if (delay := self._delay(request, exc, retries, replayable)) is None:
                        raise
                else:
                    if (delay := self._delay(request, response, retries, replayable)) is None:
                        return self._bounded(request, response, started, retries)
                    response.close()
                self._sleep(delay)
                retries += 1
        except Exception as exc:
            self._log_end(request, exc, started, retries)
            raise
        finally:
            if held is not None:
                CALL_DEADLINE.reset(held)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send with retries (async)."""
        started, retries, held = self._clock(), 0, None
        inner = self._async_transport if self._async_transport is not None else self._async_inner()
        try:
            replayable, deadline, timeouts = self._begin(request)
            if deadline is not None:
                held = CALL_DEADLINE.set((deadline, self._clock))
            while True:
                self._prepare(request, retries, deadline, timeouts)
                try:
                    response = await inner.handle_async_request(request)
                except httpx.TransportError as exc:
                    if (delay := self._delay(request, exc, retries, replayable)) is None:
                        raise
                else:
                    if (delay := self._delay(request, response, retries, replayable)) is None:
                        return self._bounded(request, response, started, retries)
                    await response.aclose()
                await self._async_sleep(delay)
                retries += 1
        except Exception as exc:
            self._log_end(request, exc, started, retries)
            raise
        finally:
            if held is not None:
                CALL_DEADLINE.reset(held)

    def _begin(self, request: httpx.Request) -> tuple[bool, float | None, Any]:
        """Whether the body can be sent again (decided before a transport reads it), the call's
        deadline and its timeouts. The deadline is as given, else the timeout's longest phase
        from now (none when a phase is unbounded); it is recorded on the request, and a streamed
        body is held to it."""
        replayable, ext = is_replayable(request.stream), request.extensions
        timeouts: Any = ext.get("timeout")
        if EXT_DEADLINE not in ext:
            try:
                ext[EXT_DEADLINE] = self._clock() + max(timeouts.values())
            except (AttributeError, TypeError, ValueError):  # none, or an unbounded phase
                ext[EXT_DEADLINE] = None
        deadline: float | None = ext[EXT_DEADLINE]
        if deadline is not None:
            timed_upload(request, deadline, self._clock)
        return replayable, deadline, timeouts

    def _prepare(
        self, request: httpx.Request, retries: int, deadline: float | None, timeouts: Any
    ) -> None:
        """Stamp the attempt, cut its timeouts to what is left of the deadline, log and sign it."""
        request.headers[RETRY_COUNT_HEADER] = str(retries)
        if deadline is not None:
            left = deadline - self._clock()
            if left <= 0:
                message = "deadline exceeded before the request was sent"
                raise httpx.ConnectTimeout(message, request=request)
            given = timeouts if isinstance(timeouts, dict) else {}
            request.extensions["timeout"] = {
                phase: left if given.get(phase) is None else min(given[phase], left)
                for phase in _PHASES
            }
        if logger.isEnabledFor(logging.DEBUG):
            log_attempt(request, retries + 1)
        if self._sign is not None:
            self._sign(request)

    def _delay(
        self,
        request: httpx.Request,
        outcome: httpx.Response | httpx.TransportError,
        retries: int,
        replayable: bool,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when ``outcome`` ends the call."""
        if isinstance(outcome, httpx.Response) and outcome.status_code < 400:
            return None  # never retried
        ext = request.extensions
        ctx = self.policy.context(
            max_retries=ext.get(EXT_MAX_RETRIES),
            upload=bool(ext.get(EXT_UPLOAD, False)),
            replayable=replayable,
            retry_ambiguous=ext.get(EXT_RETRY_AMBIGUOUS),
            deadline=ext.get(EXT_DEADLINE),
        )
        now, wall_now = self._clock(), self._wall_clock()
        delay = self.policy.delay(ctx, retries, outcome, monotonic_now=now, wall_now=wall_now)
        if delay is not None and logger.isEnabledFor(logging.DEBUG):
            if isinstance(outcome, httpx.Response):
                reason = f"HTTP {outcome.status_code}"
            else:
                reason = type(outcome).__name__
            log_retry(request, reason, delay, retries + 1, ctx.max_retries)
        return delay

    def _bounded(
        self, request: httpx.Request, response: httpx.Response, started: float, retries: int
    ) -> httpx.Response:
        """``response`` with its body bounded, the call logged when the body ends."""
        ended: Callable[[Exception | None], None] | None = None
        if logger.isEnabledFor(logging.INFO):
            ended = lambda error: self._log_end(  # noqa: E731
                request, error or response, started, retries
            )
        ext = request.extensions
        return bound_body(
            request,
            response,
            deadline=ext[EXT_DEADLINE],
            limit=ext.get(EXT_MAX_BYTES, self.max_response_bytes),
            limit_name=ext.get(EXT_LIMIT_NAME, "max_response_bytes"),
            clock=self._clock,
            ended=ended,
        )

    def _log_end(
        self,
        request: httpx.Request,
        outcome: httpx.Response | Exception,
        started: float,
        retries: int,
    ) -> None:
        """Log a finished call (info): its status, or the SDK error it ended in."""
        if not logger.isEnabledFor(logging.INFO):
            return
        if isinstance(outcome, httpx.Response):
            ended: int | Exception = outcome.status_code
        else:
            ended = map_error(outcome, upload=bool(request.extensions.get(EXT_UPLOAD))) or outcome
        log_call(request, ended, retries + 1, self._clock() - started)

    def close(self) -> None:
        """Close the sync inner transport (if one was created)."""
        if self._transport is not None:
            self._transport.close()

    async def aclose_own_async_pool(self) -> None:
        """Close the async connection pool this transport opened itself (for a sync client's
        ``client.api`` async functions): its connections belong to the event loop that used
        them. A later async call opens a new pool."""
        with self._lock:
            pool, self._async_transport = self._async_transport, None
        if isinstance(pool, httpx.AsyncHTTPTransport):
            await pool.aclose()
        elif pool is not None:  # given by the caller: theirs to close
            self._async_transport = pool

    async def aclose(self) -> None:
        """Close the async inner transport, and a sync one that ``client.api``'s synchronous
        functions may have created on an async client's transport."""
        async_inner: object = self._async_transport
        if self._async_transport is not None:
            await self._async_transport.aclose()
        if self._transport is not None and self._transport is not async_inner:
            self._transport.close()
