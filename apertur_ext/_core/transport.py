"""RetryTransport: one httpx transport (sync and async) that retries, signs and logs attempts.

It wraps the default ``httpx.HTTPTransport`` / ``httpx.AsyncHTTPTransport`` (or given ones) and
is the only place in the SDK that sleeps to retry. Before every attempt it stamps the attempt
number, logs it (debug) and runs ``sign`` (request signing, with a fresh timestamp per attempt),
so every request sent through it is covered, whether the SDK's namespaces built it or a
generated endpoint function called with ``client.api``. Requests the SDK's request path did not
build (no ``"apertur.call"`` extension) also get their outcome logged here (info); the request
path logs its own calls. Per-request settings travel in ``request.extensions``:

* ``"apertur.max_retries"`` (int) overrides the policy's retry count;
* ``"apertur.deadline"`` (a ``time.monotonic()`` value) bounds all attempts together; each
  attempt's timeouts are shrunk to the time left and no wait ends past it;
* ``"apertur.upload"`` (bool) applies the upload rule, ``"apertur.retry_ambiguous"`` (bool)
  opts in to retrying ambiguous upload failures;
* ``"apertur.call"`` (any value) marks a request of the SDK's request path.

Every attempt carries ``x-apertur-retry-count``. A body that cannot be produced again (see
:func:`is_replayable`) is never re-sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

from .failures import map_error
from .log import log_attempt, log_failure, log_response, logger
from .retry import RetryContext, RetryPolicy

__all__ = [
    "EXT_CALL",
    "EXT_DEADLINE",
    "EXT_MAX_RETRIES",
    "EXT_RETRY_AMBIGUOUS",
    "EXT_UPLOAD",
    "RETRY_COUNT_HEADER",
    "RetryTransport",
    "is_replayable",
]

EXT_MAX_RETRIES = "apertur.max_retries"
EXT_DEADLINE = "apertur.deadline"
EXT_UPLOAD = "apertur.upload"
EXT_RETRY_AMBIGUOUS = "apertur.retry_ambiguous"
EXT_CALL = "apertur.call"
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
    tests. Default inner transports are created on first use, so a sync-only client never builds
    the async one.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        sign: Callable[[httpx.Request], None] | None = None,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._sign = sign
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
        if EXT_CALL in request.extensions:
            return self._send(request)
        started = self._clock()
        try:
            response = self._send(request)
        except httpx.TransportError as exc:
            self._log_failure(request, exc, started)
            raise
        self._log_response(request, response, started)
        return response

    def _send(self, request: httpx.Request) -> httpx.Response:
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        deadline = ext.get(EXT_DEADLINE)
        timeouts = ext.get("timeout")
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
        if EXT_CALL in request.extensions:
            return await self._async_send(request)
        started = self._clock()
        try:
            response = await self._async_send(request)
        except httpx.TransportError as exc:
            self._log_failure(request, exc, started)
            raise
        self._log_response(request, response, started)
        return response

    async def _async_send(self, request: httpx.Request) -> httpx.Response:
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        deadline = ext.get(EXT_DEADLINE)
        timeouts = ext.get("timeout")
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

    def _log_response(
        self, request: httpx.Request, response: httpx.Response, started: float
    ) -> None:
        if logger.isEnabledFor(logging.INFO):
            attempts = _attempts(request)
            log_response(request, response.status_code, attempts, self._clock() - started)

    def _log_failure(self, request: httpx.Request, exc: Exception, started: float) -> None:
        if logger.isEnabledFor(logging.INFO):
            error = map_error(exc) or exc
            log_failure(request, error, _attempts(request), self._clock() - started)

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
