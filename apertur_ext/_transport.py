"""RetryTransport: one httpx transport (sync and async) that applies :class:`RetryPolicy`.

It wraps the default ``httpx.HTTPTransport`` / ``httpx.AsyncHTTPTransport`` (or given ones) and
is the only place in the SDK that sleeps to retry. Per-request settings travel in
``request.extensions``:

* ``"apertur.max_retries"`` (int) overrides the policy's retry count;
* ``"apertur.deadline"`` (a ``time.monotonic()`` value) bounds all attempts together; each
  attempt's timeouts are shrunk to the time left and no wait ends past it;
* ``"apertur.upload"`` (bool) applies the upload rule, ``"apertur.retry_ambiguous"`` (bool)
  opts in to retrying ambiguous upload failures;
* ``"apertur.before_send"``: a callable run with the request before every attempt (the client
  re-signs with a fresh timestamp there); in the async path it may return an awaitable.

Every attempt carries ``x-apertur-retry-count``. A body that cannot be produced again (see
:func:`is_replayable`) is never re-sent.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

from ._retry import RetryContext, RetryPolicy

__all__ = [
    "EXT_BEFORE_SEND",
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
EXT_BEFORE_SEND = "apertur.before_send"
RETRY_COUNT_HEADER = "x-apertur-retry-count"

logger = logging.getLogger("apertur")

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


def _redacted_url(url: httpx.URL) -> str:
    # No query string or credentials in logs: only scheme, host, port and path.
    return str(url.copy_with(query=None, fragment=None, userinfo=b""))


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Retries requests per :class:`RetryPolicy`; serves ``httpx.Client`` and ``AsyncClient``.

    ``sleep``, ``async_sleep``, ``clock`` (monotonic) and ``wall_clock`` (Unix time, for
    HTTP-date Retry-After) are injectable for tests. Default inner transports are created on
    first use, so a sync-only client never builds the async one.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.policy = policy or RetryPolicy()
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
        """Stamp the attempt number and fit the timeouts into what is left of the deadline."""
        request.headers[RETRY_COUNT_HEADER] = str(retries)
        if deadline is None:
            return
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
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        deadline = ext.get(EXT_DEADLINE)
        timeouts = ext.get("timeout")
        before_send = ext.get(EXT_BEFORE_SEND)
        inner = self._transport if self._transport is not None else self._sync_inner()
        ctx: RetryContext | None = None  # built only when a retry is being decided
        retries = 0
        while True:
            self._prepare(request, retries, deadline, timeouts)
            if before_send is not None:
                before_send(request)
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
        ext = request.extensions
        replayable = is_replayable(request.stream)  # decided before a transport reads it
        deadline = ext.get(EXT_DEADLINE)
        timeouts = ext.get("timeout")
        before_send = ext.get(EXT_BEFORE_SEND)
        inner = self._async_transport if self._async_transport is not None else self._async_inner()
        ctx: RetryContext | None = None  # built only when a retry is being decided
        retries = 0
        while True:
            self._prepare(request, retries, deadline, timeouts)
            if before_send is not None:
                result = before_send(request)
                if inspect.isawaitable(result):
                    await result
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

    def close(self) -> None:
        """Close the sync inner transport (if one was created)."""
        if self._transport is not None:
            self._transport.close()

    async def aclose(self) -> None:
        """Close the async inner transport (if one was created)."""
        if self._async_transport is not None:
            await self._async_transport.aclose()
