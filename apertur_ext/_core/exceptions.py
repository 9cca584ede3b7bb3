"""Every exception the SDK raises (all :class:`AperturError`), and the one mapper from an HTTP
error status to its class.

The server's error ``code`` is kept on every class (the official ``apertur-sdk`` drops it). Only
response headers are stored, never request headers, so no credential leaks through an error. A
message is one clean line whatever the server sent (:func:`clean_message`; ``body`` keeps the
raw bytes).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AperturError",
    "AuthenticationError",
    "ConflictError",
    "EncryptionKeyError",
    "GoneError",
    "InvalidInputError",
    "InvalidResponseError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "UploadMayHaveBeenStoredError",
    "ValidationError",
    "WebhookVerificationError",
    "error_from_response",
    "parse_retry_after",
]

HeadersLike = httpx.Headers | Mapping[str, str]

MAX_MESSAGE = 1000
"""Characters of a message kept (a server's message can be megabytes long)."""
# Terminal escape sequences: CSI (colours, cursor moves), OSC (titles, links), any other ESC pair.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?", re.DOTALL)


def clean_message(text: str) -> str:
    """``text`` as one printable line of at most :data:`MAX_MESSAGE` characters."""
    if len(text) <= MAX_MESSAGE and text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    text = " ".join("".join(c if c.isprintable() or c.isspace() else "" for c in text).split())
    if len(text) <= MAX_MESSAGE:
        return text
    keep = MAX_MESSAGE - 40  # room for the note
    return f"{text[:keep]}... ({len(text) - keep} more characters)"


class AperturError(Exception):
    """Base class of every error raised by the SDK."""

    message: str
    status_code: int | None
    code: str | None
    headers: httpx.Headers | None
    body: bytes | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        headers: HeadersLike | None = None,
        body: bytes | None = None,
    ) -> None:
        message = clean_message(message)
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.headers = None if headers is None else httpx.Headers(headers)
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors break default exception pickling (multiprocessing, xdist).
        return (_restore, (type(self), self.message, dict(self.__dict__)))

    def __repr__(self) -> str:
        parts = [f"message={self.message!r}"]
        if self.status_code is not None:
            parts.append(f"status_code={self.status_code}")
        if self.code is not None:
            parts.append(f"code={self.code!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _restore(cls: type[AperturError], message: str, state: dict[str, Any]) -> AperturError:
    """Unpickle an error without calling its constructor."""
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class APIStatusError(AperturError):
    """The API answered with an HTTP error status."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        headers: HeadersLike | None = None,
        body: bytes | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, code=code, headers=headers, body=body)


class ValidationError(APIStatusError):
    """400 or 422: the request was rejected as invalid."""


class AuthenticationError(APIStatusError):
    """401: missing, unknown or revoked credentials."""


class PermissionDeniedError(APIStatusError):
    """403: wrong project, suspended account, plan lacks the feature, IP not allowed."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist."""


class ConflictError(APIStatusError):
    """409: e.g. session already completed, image already acknowledged."""


class GoneError(APIStatusError):
    """410: e.g. session expired, long-poll queue finished."""


class PayloadTooLargeError(APIStatusError):
    """413: the upload exceeds the allowed size."""


class RateLimitError(APIStatusError):
    """429: rate limit or quota hit; ``retry_after`` is the server's hint in seconds, if any."""

    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        code: str | None = None,
        headers: HeadersLike | None = None,
        body: bytes | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, code=code, headers=headers, body=body)
        if retry_after is None and self.headers is not None:
            retry_after = parse_retry_after(self.headers)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx (or any other status >= 500): the server failed."""


class APIConnectionError(AperturError):
    """The request could not be completed: nothing usable came back."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class UploadMayHaveBeenStoredError(APIConnectionError):
    """An upload failed after its body was (partly) sent; the server may have stored it.

    Not retried automatically unless the caller opts in, since a retry could store a duplicate.
    """


class InvalidResponseError(AperturError):
    """A response body could not be parsed (bad JSON, wrong shape, missing field)."""


class ResponseTooLargeError(InvalidResponseError):
    """A response body passed the client's ``max_response_bytes`` (counted after
    decompression); reading stopped there."""


class InvalidInputError(AperturError):
    """A caller argument is unusable (missing/empty file, directory, ...); nothing was sent."""


class EncryptionKeyError(InvalidInputError):
    """The PEM is not a key, not RSA, or an RSA key shorter than 2048 bits."""


class WebhookVerificationError(AperturError):
    """A webhook failed verification, or the webhook secret is unusable."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    413: PayloadTooLargeError,
    422: ValidationError,
    429: RateLimitError,
}


def error_from_response(status_code: int, headers: HeadersLike, body: bytes) -> APIStatusError:
    """The typed error for an HTTP error response (never raises).

    The message is the JSON ``message`` field, else ``"HTTP <status>"``; the server's ``code`` is
    kept. Unknown 4xx give a plain :class:`APIStatusError`, anything >= 500 a :class:`ServerError`.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    fields = [data.get(key) if isinstance(data, dict) else None for key in ("message", "code")]
    message, code = (clean_message(text) if isinstance(text, str) else "" for text in fields)
    cls = _BY_STATUS.get(status_code) or (ServerError if status_code >= 500 else APIStatusError)
    message = message or f"HTTP {status_code}"
    return cls(message, status_code=status_code, code=code or None, headers=headers, body=body)


def _seconds(value: str | None) -> float | None:
    """A finite, non-negative number, else None."""
    try:
        number = float(value.strip()) if value is not None else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def parse_retry_after(headers: HeadersLike, now: float | None = None) -> float | None:
    """The server's retry hint in seconds, or None when absent, invalid or negative.

    Order: ``retry-after-ms`` (milliseconds), then ``Retry-After`` as seconds, then as an
    HTTP-date relative to ``now`` (a Unix time; defaults to the current time; a date already
    past gives 0).
    """
    hdrs = headers if isinstance(headers, httpx.Headers) else httpx.Headers(headers)
    ms = _seconds(hdrs.get("retry-after-ms"))
    if ms is not None:
        return ms / 1000.0
    raw = hdrs.get("retry-after")
    seconds = _seconds(raw)
    if seconds is not None or raw is None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" parses as naive; HTTP dates are always GMT
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
