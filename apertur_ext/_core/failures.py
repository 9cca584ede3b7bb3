"""The one translation of httpx failures into the SDK's errors, and capped error bodies.

``httpx.RequestError`` (connection, timeout, protocol, decoding) and ``httpx.StreamError``
become :class:`APIConnectionError`, :class:`APITimeoutError`,
:class:`UploadMayHaveBeenStoredError`, :class:`InvalidResponseError` or
:class:`InvalidInputError`; the request path (``request``) raises them ``from`` the original.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx

from .exceptions import (
    AperturError,
    APIConnectionError,
    APITimeoutError,
    InvalidInputError,
    InvalidResponseError,
    UploadMayHaveBeenStoredError,
)
from .retry import is_ambiguous_upload_failure

__all__ = ["MAX_ERROR_BODY", "aread_capped", "map_error", "mapped_errors", "read_capped"]

MAX_ERROR_BODY = 1 << 20
"""Bytes of an error body kept when the response was streamed (a proxy may send megabytes)."""


def map_error(exc: Exception, *, upload: bool = False) -> Exception | None:
    """The SDK error for an httpx failure (None: not one to translate)."""
    if isinstance(exc, AperturError):
        return None
    if isinstance(exc, httpx.DecodingError):
        return InvalidResponseError(f"the response body could not be decoded: {exc}")
    if isinstance(exc, httpx.RequestError):
        name = type(exc).__name__
        if upload and is_ambiguous_upload_failure(exc):
            return UploadMayHaveBeenStoredError(
                f"the upload failed after its body was sent ({name}); the server may have stored "
                "it. It was not retried automatically to avoid a duplicate (see "
                "retry_ambiguous_uploads)."
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"the request timed out ({name})")
        return APIConnectionError(f"the request failed: {name}: {exc}")
    if isinstance(exc, httpx.StreamError):  # e.g. a one-shot body consumed twice
        return InvalidInputError(f"the request body could not be sent again: {exc}")
    return None


@contextlib.contextmanager
def mapped_errors(*, upload: bool = False) -> Iterator[None]:
    """Translate httpx failures into the SDK's errors (the only place that does so)."""
    try:
        yield
    except (httpx.RequestError, httpx.StreamError) as exc:
        mapped = map_error(exc, upload=upload)
        if mapped is None:
            raise
        raise mapped from exc


def read_capped(response: httpx.Response) -> bytes:
    """At most :data:`MAX_ERROR_BODY` bytes of a streamed error body."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) >= MAX_ERROR_BODY:
            break
    return bytes(body[:MAX_ERROR_BODY])


async def aread_capped(response: httpx.Response) -> bytes:
    """Async twin of :func:`read_capped`."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= MAX_ERROR_BODY:
            break
    return bytes(body[:MAX_ERROR_BODY])
