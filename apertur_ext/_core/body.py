"""Bounds the bodies of a call as they flow: the call's deadline, a size limit, bounded inflating.

The transport passes every response through :func:`bound_body` (the request path and the
generated functions called with ``client.api`` alike) and every streamed request body through
:func:`timed_upload`. Each chunk is checked against the call's deadline as it comes (a stalled
read or write waits no longer than its own timeout, already cut to the time left). Response
bytes are counted after decompression: past the limit a 2xx body raises
:class:`ResponseTooLargeError`, any other is cut at :data:`MAX_ERROR_BODY` (kept for the error
only). gzip and deflate, the encodings the client asks for, are inflated here :data:`PIECE` bytes
at a time (httpx would inflate a 64 KiB read of a gzip bomb into 64 MiB at once) and their
headers removed; any other encoding is refused. ``ended`` hears how the response body ended.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from .exceptions import InvalidResponseError, ResponseTooLargeError

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_ERROR_BODY",
    "PIECE",
    "bound_body",
    "timed_upload",
]

ACCEPT_ENCODING = "gzip, deflate"
"""What the client asks for (httpx would add ``br``/``zstd`` when their packages are installed)."""
DEFAULT_MAX_RESPONSE_BYTES = 32 << 20
"""32 MiB after decompression: far above any API response, far below harm."""
MAX_ERROR_BODY = 1 << 20
"""Bytes of an error body kept (a proxy may send megabytes of HTML)."""
PIECE = 1 << 16
"""Most bytes one inflating step produces."""


def bound_body(
    request: httpx.Request,
    response: httpx.Response,
    *,
    deadline: float | None,
    limit: int | None,
    clock: Callable[[], float],
    ended: Ended | None = None,
) -> httpx.Response:
    """``response``, its body now read within ``deadline`` and ``limit`` (None: unbounded);
    ``ended`` is called once, with the error the body ended in or None."""
    if response.is_stream_consumed:  # built with its content (a mock transport)
        if ended is not None:
            ended(None)
        return response
    cut = not 200 <= response.status_code < 300
    if cut:
        limit = MAX_ERROR_BODY if limit is None else min(limit, MAX_ERROR_BODY)
    headers = response.headers
    encoding = headers["content-encoding"].strip().lower() if "content-encoding" in headers else ""
    inflater = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header
        del headers["content-encoding"]
        headers.pop("content-length", None)
    elif encoding not in ("", "identity"):
        response.close()
        raise InvalidResponseError(
            f"the response is encoded as {encoding!r}; the client accepts {ACCEPT_ENCODING}",
            status_code=response.status_code,
            headers=response.headers,
        )
    elif deadline is None and limit is None and ended is None:
        return response
    response.stream = _BoundedStream(
        response, request, deadline, limit, clock, inflater, cut, ended
    )
    return response


Ended = Callable[[Exception | None], None]


class _BoundedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The body of a response (sync or async), inflated and checked chunk by chunk."""

    def __init__(
        self,
        response: httpx.Response,
        request: httpx.Request,
        deadline: float | None,
        limit: int | None,
        clock: Callable[[], float],
        inflater: zlib._Decompress | None,
        cut: bool,
        ended: Ended | None,
    ) -> None:
        self._stream: Any = response.stream  # sync or async, as the client reading it
        self._request = request
        self._status, self._headers = response.status_code, response.headers
        self._deadline, self._clock = deadline, clock
        self._limit = self._left = limit
        self._inflater = inflater
        self._cut = cut  # stop at the limit instead of raising
        self._full = False
        self._ended = ended

    def __iter__(self) -> Iterator[bytes]:
        inflater, deadline, clock = self._inflater, self._deadline, self._clock
        try:
            for chunk in self._stream:
                if deadline is not None and clock() > deadline:
                    raise self._late()
                if inflater is None:
                    yield self._counted(chunk)
                else:
                    yield from self._inflated(inflater, chunk)
                if self._full:
                    break
            else:
                if inflater is not None:
                    yield self._counted(inflater.flush())
        except Exception as exc:
            self._end(exc)
            raise
        self._end(None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        inflater, deadline, clock = self._inflater, self._deadline, self._clock
        try:
            async for chunk in self._stream:
                if deadline is not None and clock() > deadline:
                    raise self._late()
                if inflater is None:
                    yield self._counted(chunk)
                else:
                    for piece in self._inflated(inflater, chunk):
                        yield piece
                if self._full:
                    break
            else:
                if inflater is not None:
                    yield self._counted(inflater.flush())
        except Exception as exc:
            self._end(exc)
            raise
        self._end(None)

    def _late(self) -> httpx.ReadTimeout:
        message = "the call's deadline passed while the response body was read"
        return httpx.ReadTimeout(message, request=self._request)

    def _end(self, error: Exception | None) -> None:
        ended, self._ended = self._ended, None
        if ended is not None:
            ended(error)

    def _inflated(self, inflater: zlib._Decompress, chunk: bytes) -> Iterator[bytes]:
        """What ``chunk`` inflates to, at most :data:`PIECE` bytes at a time, each counted."""
        while not self._full:
            try:
                piece = inflater.decompress(chunk, PIECE)
            except zlib.error as exc:
                raise httpx.DecodingError(str(exc), request=self._request) from None
            yield self._counted(piece)
            chunk = inflater.unconsumed_tail
            if not chunk and len(piece) < PIECE:
                return

    def _counted(self, piece: bytes) -> bytes:
        """``piece`` counted against the limit: past it, raised or cut."""
        left = self._left
        if left is None:
            return piece
        if len(piece) > left and not self._cut:
            raise ResponseTooLargeError(
                f"the response body is larger than {self._limit} bytes (max_response_bytes); "
                "reading stopped there",
                status_code=self._status,
                headers=self._headers,
            )
        piece = piece[:left]  # the same object when it fits
        self._left = left - len(piece)
        self._full = self._cut and not self._left
        return piece

    def close(self) -> None:
        if self._ended is not None:
            self._end(None)
        self._stream.close()

    async def aclose(self) -> None:
        if self._ended is not None:
            self._end(None)
        await self._stream.aclose()


def timed_upload(request: httpx.Request, deadline: float, clock: Callable[[], float]) -> None:
    """Make ``request``'s streamed body stop with ``httpx.WriteTimeout`` once ``deadline`` passes
    (an in-memory body is left alone: it is written at once, within the write timeout)."""
    if not isinstance(request.stream, httpx.ByteStream):
        request.stream = _TimedUpload(request.stream, request, deadline, clock)


class _TimedUpload(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body whose every chunk is sent before the call's deadline."""

    def __init__(
        self, stream: Any, request: httpx.Request, deadline: float, clock: Callable[[], float]
    ) -> None:
        self._stream, self._request, self._deadline, self._clock = stream, request, deadline, clock

    def _check(self) -> None:
        if self._clock() > self._deadline:
            message = "the call's deadline passed while the request body was sent"
            raise httpx.WriteTimeout(message, request=self._request)

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._check()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._check()
            yield chunk
