"""RetryTransport: one httpx transport (sync and async) that retries, signs, bounds and logs calls.

It wraps the default ``httpx.HTTPTransport`` / ``httpx.AsyncHTTPTransport`` (or given ones) and
is the only place in the SDK that sleeps to retry. Every request sent through it is covered,
whether the SDK's namespaces built it or a generated function called with ``client.api``: each
attempt is stamped with its number (``x-apertur-retry-count``), logged (debug) and signed by
``sign`` (with a fresh timestamp); the call's outcome is logged (info) once its body is read.

A call has one wall-clock deadline, by default its timeout's longest phase from when it is sent:
the attempts, the waits between them and the reading of the body (``body``) end by it, each
attempt's timeouts cut to the time left. The body is held to ``max_response_bytes``.
Per-request settings travel in ``request.extensions``:

* ``"apertur.deadline"`` (a ``time.monotonic()`` value; None: no deadline, for uploads and
  downloads, which take as long as their size needs) replaces the default;
* ``"apertur.max_response_bytes"`` (int; None: no limit, for downloads) replaces the client's;
* ``"apertur.max_retries"`` (int) overrides the policy's retry count;
* ``"apertur.upload"`` (bool) applies the upload rule, ``"apertur.retry_ambiguous"`` (bool)
  opts in to retrying ambiguous upload failures.

A body that cannot be produced again (see :func:`is_replayable`) is never re-sent.
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
from .failures import map_error
from .log import log_attempt, log_failure, log_response, logger
from .retry import RetryContext, RetryPolicy

__all__ = [
    "EXT_DEADLINE",
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
EXT_UPLOAD = "apertur.upload"
EXT_RETRY_AMBIGUOUS = "apertur.retry_ambiguous"
RETRY_COUNT_HEADER = "x-apertur-retry-count"

_TIMEOUT_KEYS = ("connect", "read", "write", "pool")
_FIRST_ERROR_STATUS = 400
"""Responses below this are returned as they are: :class:`RetryPolicy` never retries them."""


def is_replayable(stream: object) -> bool:
    """True if a request body can be sent again in full.

    Streams that say so (``replayable``, e.g. our ``MultipartStream``) are trusted; an
    ``httpx.ByteStream`` (bytes, JSON, no body) always is; any other stream is assumed one-shot.
    """
    flag = getattr(stream, "replayable", None)
    if isinstance(flag, bool):
        return flag
    return isinstance(stream, httpx.ByteStream)


def _attempts(request: httpx.Request) -> int:
    """How many attempts a request took (from the stamp of its last one)."""
    try:
        return int(request.headers.get(RETRY_COUNT_HEADER, "0")) + 1
    except ValueError:
        return 1


def _redacted_url(url: httpx.URL) -> str:
    # No query string or credentials in logs: only scheme, host, port and path.
    return str(url.copy_with(query=None, fragment=None, userinfo=b""))


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Retries requests per :class:`RetryPolicy`; serves ``httpx.Client`` and ``AsyncClient``.

    ``sign`` is run on every attempt (request signing). ``sleep``, ``async_sleep``, ``clock``
    (monotonic) and ``wall_clock`` (Unix time, for HTTP-date Retry-After) are injectable for
    tests. ``max_response_bytes`` bounds every response body not marked otherwise. Default inner
    transports are created on first use, so a sync-only client never builds the async one.
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
        self._sign = sign
        self.max_response_bytes = max_response_bytes
        # A transport serving both protocols (MockTransport, ASGITransport...) may be given once.
        if async_transport is None and isinstance(transport, httpx.AsyncBaseTransport):
            async_transport = transport
        if transport is None and isinstance(async_transport, httpx.BaseTransport):
            transport = async_transport
        self._transport = transport
        self._async_transport = async_transport
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()

    def _sync_inner(self) -> httpx.BaseTransport:
        with self._lock:
            if self._transport is None:
                self._transport = httpx.HTTPTransport()
            return self._transport

    def _async_inner(self) -> httpx.AsyncBaseTransport:
        with self._lock:
            if self._async_transport is None:
                self._async_transport = httpx.AsyncHTTPTransport()
            return self._async_transport

    def _context(self, request: httpx.Request, replayable: bool) -> RetryContext:
        ext = request.extensions
        return self.policy.context(
            max_retries=ext.get(EXT_MAX_RETRIES),
            upload=bool(ext.get(EXT_UPLOAD, False)),
            replayable=replayable,
            retry_ambiguous=ext.get(EXT_RETRY_AMBIGUOUS),
            deadline=ext.get(EXT_DEADLINE),
        )

    def _deadline(self, request: httpx.Request, timeouts: Any) -> float | None:
        """The call's deadline: as given, else its timeout's longest phase from now (none when a
        phase is unbounded); recorded on the request."""
        ext = request.extensions
        if EXT_DEADLINE not in ext:
            try:
                ext[EXT_DEADLINE] = self._clock() + max(timeouts.values())
            except (AttributeError, TypeError, ValueError):  # no timeouts, or an unbounded one
                ext[EXT_DEADLINE] = None
        deadline: float | None = ext[EXT_DEADLINE]
        return deadline

    def _bounded(
        self, request: httpx.Request, response: httpx.Response, started: float
    ) -> httpx.Response:
        """``response`` with its body bounded, the call logged when the body ends."""
        ended: Callable[[Exception | None], None] | None = None
        if logger.isEnabledFor(logging.INFO):
            ended = lambda error: self._log_end(request, response, error, started)  # noqa: E731
        return bound_body(
            request,
            response,
            deadline=request.extensions.get(EXT_DEADLINE),
            limit=request.extensions.get(EXT_MAX_BYTES, self.max_response_bytes),
            clock=self._clock,
            ended=ended,
        )

    def _prepare(
        self, request: httpx.Request, retries: int, deadline: float | None, timeouts: Any
    ) -> None:
        """Stamp the attempt number, fit the timeouts into what is left of the deadline, log and
        sign the attempt."""
        request.headers[RETRY_COUNT_HEADER] = str(retries)
        if deadline is not None:
            self._fit_timeouts(request, deadline, timeouts)
        if logger.isEnabledFor(logging.DEBUG):
            log_attempt(request, retries + 1)
        if self._sign is not None:
            self._sign(request)

    def _fit_timeouts(self, request: httpx.Request, deadline: float, timeouts: Any) -> None:
        left = deadline - self._clock()
        if left <= 0:
            raise httpx.ConnectTimeout(
                "deadline exceeded before the request was sent", request=request
            )
        base = timeouts if isinstance(timeouts, dict) else {}
        request.extensions["timeout"] = {
            key: left if (value := base.get(key)) is None else min(value, left)
            for key in _TIMEOUT_KEYS
        }

    def _after_response(
        self, request: httpx.Request, response: httpx.Response, retries: int, ctx: RetryContext
    ) -> float | None:
        delay = self.policy.delay_after_response(
            ctx,
            retries,
            response.status_code,
            response.headers,
            monotonic_now=self._clock(),
            wall_now=self._wall_clock(),
        )
        if delay is not None:
            self._log(request, retries, ctx, delay, f"HTTP {response.status_code}")
        return delay

    def _after_error(
        self, request: httpx.Request, exc: httpx.TransportError, retries: int, ctx: RetryContext
    ) -> float | None:
        delay = self.policy.delay_after_error(ctx, retries, exc, monotonic_now=self._clock())
        if delay is not None:
            self._log(request, retries, ctx, delay, type(exc).__name__)
        return delay

    @staticmethod
    def _log(
        request: httpx.Request, retries: int, ctx: RetryContext, delay: float, reason: str
    ) -> None:
        # Never the headers: they carry the API key and signatures.
        logger.debug(
            "retrying %s %s after %s in %.3fs (retry %d of %d)",
            request.method,
            _redacted_url(request.url),
            reason,
            delay,
            retries + 1,
            ctx.max_retries,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send with retries (sync)."""
        started = self._clock()
        try:
            return self._bounded(request, self._send(request), started)
        except Exception as exc:
            self._log_end(request, None, exc, started)
            raise

    def _send(self, request: httpx.Request) -> httpx.Response:
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        timeouts = ext.get("timeout")
        deadline = self._deadline(request, timeouts)
        if deadline is not None:
            timed_upload(request, deadline, self._clock)
        inner = self._transport if self._transport is not None else self._sync_inner()
        ctx: RetryContext | None = None  # built only when a retry is being decided
        retries = 0
        while True:
            self._prepare(request, retries, deadline, timeouts)
            try:
                response = inner.handle_request(request)
            except httpx.TransportError as exc:
                ctx = ctx or self._context(request, replayable)
                delay = self._after_error(request, exc, retries, ctx)
                if delay is None:
                    raise
            else:
                if response.status_code < _FIRST_ERROR_STATUS:
                    return response
                ctx = ctx or self._context(request, replayable)
                delay = self._after_response(request, response, retries, ctx)
                if delay is None:
                    return response
                response.close()
            self._sleep(delay)
            retries += 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send with retries (async)."""
        started = self._clock()
        try:
            return self._bounded(request, await self._async_send(request), started)
        except Exception as exc:
            self._log_end(request, None, exc, started)
            raise

    async def _async_send(self, request: httpx.Request) -> httpx.Response:
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        timeouts = ext.get("timeout")
        deadline = self._deadline(request, timeouts)
        if deadline is not None:
            timed_upload(request, deadline, self._clock)
        inner = self._async_transport if self._async_transport is not None else self._async_inner()
        ctx: RetryContext | None = None  # built only when a retry is being decided
        retries = 0
        while True:
            self._prepare(request, retries, deadline, timeouts)
            try:
                response = await inner.handle_async_request(request)
            except httpx.TransportError as exc:
                ctx = ctx or self._context(request, replayable)
                delay = self._after_error(request, exc, retries, ctx)
                if delay is None:
                    raise
            else:
                if response.status_code < _FIRST_ERROR_STATUS:
                    return response
                ctx = ctx or self._context(request, replayable)
                delay = self._after_response(request, response, retries, ctx)
                if delay is None:
                    return response
                await response.aclose()
            await self._async_sleep(delay)
            retries += 1

    def _log_end(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        error: Exception | None,
        started: float,
    ) -> None:
        """Log a finished call (info): its status, or the SDK error it ended in."""
        if not logger.isEnabledFor(logging.INFO):
            return
        elapsed, attempts = self._clock() - started, _attempts(request)
        if error is None and response is not None:
            log_response(request, response.status_code, attempts, elapsed)
        elif error is not None:
            upload = bool(request.extensions.get(EXT_UPLOAD))
            log_failure(request, map_error(error, upload=upload) or error, attempts, elapsed)

    def close(self) -> None:
        """Close the sync inner transport (if one was created)."""
        if self._transport is not None:
            self._transport.close()

    async def aclose(self) -> None:
        """Close the async inner transport, and a sync one that ``client.api``'s synchronous
        functions may have created on an async client's transport."""
        async_inner: object = self._async_transport
        if self._async_transport is not None:
            await self._async_transport.aclose()
        if self._transport is not None and self._transport is not async_inner:
            self._transport.close()
