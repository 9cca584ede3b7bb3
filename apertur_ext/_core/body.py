"""Bounds the bodies of a call as they flow: the call's deadline, a size limit, bounded inflating.

The transport passes every response through :func:`bound_body` and every streamed request body
through :func:`timed_upload`. Each chunk is checked against the deadline as it comes, and each
socket read of the body waits at most what is left of it (:mod:`.deadline`). Response bytes
are counted after decompression: past the limit a 2xx body raises :class:`ResponseTooLargeError`,
any other is cut at :data:`MAX_ERROR_BODY` (kept for the error). gzip and deflate, the encodings
the client asks for, are inflated here :data:`PIECE` bytes at a time (httpx would inflate a
64 KiB read of a gzip bomb into 64 MiB at once); any other encoding is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from .deadline import CALL_DEADLINE, Held
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

Ended = Callable[[Exception | None], None]
Clock = Callable[[], float]


def bound_body(
    request: httpx.Request,
    response: httpx.Response,
    *,
    deadline: float | None,
    limit: int | None,
    clock: Clock,
    ended: Ended | None = None,
    limit_name: str = "max_response_bytes",
) -> httpx.Response:
    """``response``, its body now read within ``deadline`` and ``limit`` (None: unbounded; named
    ``limit_name`` in the error); ``ended`` hears once how the body ended (its error, or None)."""
    if response.is_stream_consumed:  # built with its content (a mock transport)
        if ended is not None:
            ended(None)
        return response
    cut = not 200 <= response.status_code < 300
    if cut:  # a download's own bound (say, a small image's size) is not the error's
        if limit is None or limit_name != "max_response_bytes":
            limit = MAX_ERROR_BODY
        limit = min(limit, MAX_ERROR_BODY)
    headers = response.headers
    encoding = headers.get("content-encoding", "").strip().lower()
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
            headers=headers,
        )
    elif deadline is None and limit is None and ended is None:
        return response
    response.stream = _BoundedStream(
        response, request, deadline, clock, (limit, limit_name, cut), inflater, ended
    )
    return response


class _BoundedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The body of a response (sync or async), inflated and checked chunk by chunk."""

    def __init__(
        self,
        response: httpx.Response,
        request: httpx.Request,
        deadline: float | None,
        clock: Clock,
        limit: tuple[int | None, str, bool],
        inflater: zlib._Decompress | None,
        ended: Ended | None,
    ) -> None:
        self._stream: Any = response.stream  # sync or async, as the client reading it
        self._request, self._status, self._headers = request, response.status_code, response.headers
        self._deadline, self._clock, self._inflater, self._ended = deadline, clock, inflater, ended
        self._held: Held | None = None if deadline is None else (deadline, clock)
        # (bytes, the setting's name, cut): past it, stop there (an error body) or raise
        self._limit, self._limit_name, self._cut = limit
        self._left, self._full = self._limit, False

    def __iter__(self) -> Iterator[bytes]:
        chunks: Iterator[bytes] = iter(self._stream)
        try:
            while True:
                held = CALL_DEADLINE.set(self._held)  # for the socket reads of this chunk
                try:
                    chunk = next(chunks, None)
                finally:
                    CALL_DEADLINE.reset(held)
                if chunk is None:
                    if self._inflater is not None:
                        yield self._counted(self._inflater.flush())
                    break
                yield from self._pieces(chunk)
                if self._full:
                    break
        except Exception as exc:
            self._end(exc)
            raise
        self._end(None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks: AsyncIterator[bytes] = aiter(self._stream)
        try:
            while True:
                held = CALL_DEADLINE.set(self._held)
                try:
                    chunk = await anext(chunks, None)
                finally:
                    CALL_DEADLINE.reset(held)
                if chunk is None:
                    if self._inflater is not None:
                        yield self._counted(self._inflater.flush())
                    break
                for piece in self._pieces(chunk):
                    yield piece
                if self._full:
                    break
        except Exception as exc:
            self._end(exc)
            raise
        self._end(None)

    def _pieces(self, chunk: bytes) -> Iterator[bytes]:
        """What one chunk of the wire gives, checked against the deadline and counted: itself,
        or what it inflates to, at most :data:`PIECE` bytes at a time."""
        if self._deadline is not None and self._clock() > self._deadline:
            message = "the call's deadline passed while the response body was read"
            raise httpx.ReadTimeout(message, request=self._request)
        inflater = self._inflater
        if inflater is None:
            yield self._counted(chunk)
            return
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
                f"the response body is larger than {self._limit} bytes ({self._limit_name}); "
                "reading stopped there",
                status_code=self._status,
                headers=self._headers,
            )
        piece = piece[:left]  # the same object when it fits
        self._left = left - len(piece)
        self._full = self._cut and not self._left
        return piece

    def _end(self, error: Exception | None) -> None:
        ended, self._ended = self._ended, None
        if ended is not None:
            ended(error)

    def close(self) -> None:
        self._end(None)
        self._stream.close()

    async def aclose(self) -> None:
        self._end(None)
        await self._stream.aclose()


def timed_upload(request: httpx.Request, deadline: float, clock: Clock) -> None:
    """Make ``request``'s streamed body stop with ``httpx.WriteTimeout`` once ``deadline`` passes
    (an in-memory body is written at once, within the write timeout)."""
    if not isinstance(request.stream, httpx.ByteStream):
        request.stream = _TimedUpload(request.stream, request, deadline, clock)


class _TimedUpload(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body whose every chunk is sent before the call's deadline."""

    def __init__(self, stream: Any, request: httpx.Request, deadline: float, clock: Clock) -> None:
        self._stream, self._request, self._deadline, self._clock = stream, request, deadline, clock

    def _check(self, chunk: bytes) -> bytes:
        if self._clock() > self._deadline:
            message = "the call's deadline passed while the request body was sent"
            raise httpx.WriteTimeout(message, request=self._request)
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        return map(self._check, self._stream)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield self._check(chunk)
