"""The one translation of httpx failures into the SDK's errors.

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

__all__ = ["map_error", "mapped_errors"]


def map_error(exc: Exception, *, upload: bool = False) -> Exception | None:
    """The SDK error for an httpx failure (None: not one to translate)."""
    if isinstance(exc, AperturError):
        return None
    if isinstance(exc, httpx.DecodingError):
        return InvalidResponseError(f"the response body could not be decoded: {exc}")
    if isinstance(exc, httpx.RequestError):
        name = type(exc).__name__
        detail = f"{name}: {exc}" if str(exc) else name
        if upload and is_ambiguous_upload_failure(exc):
            return UploadMayHaveBeenStoredError(
                f"the upload failed after its body was sent ({name}); the server may have stored "
                "it. It was not retried automatically to avoid a duplicate (see "
                "retry_ambiguous_uploads)."
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"the request timed out ({detail})")
        return APIConnectionError(f"the request failed: {detail}")
    if isinstance(exc, httpx.StreamError):  # e.g. a one-shot body consumed twice
        return InvalidInputError(f"the request body could not be sent again: {exc}")
    return None


@contextlib.contextmanager
def mapped_errors() -> Iterator[None]:
    """Translate httpx failures into the SDK's errors (the only place that does so)."""
    try:
        yield
    except (httpx.RequestError, httpx.StreamError) as exc:
        raise map_error(exc) or exc from exc
