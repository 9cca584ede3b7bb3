"""Retry decisions, with no I/O: what to retry, how long to wait, and the upload rule.

As the Stainless SDKs: retry connection errors, timeouts, 408, 429 and 5xx, but not 409 (Apertur
answers it for states that do not change: a session completed, an image already acknowledged);
``x-should-retry: true/false`` from the server overrides. ``retry-after-ms`` / ``Retry-After``
(seconds or HTTP-date) is honoured when 0 < value <= ``max_retry_after``, else exponential backoff
``min(initial_delay * 2**n, max_delay)`` jittered down by up to ``jitter``. A retry whose wait
would end past the request's deadline is not made.

Upload rule: an upload is re-sent only if its body can be replayed in full and the failure proves
the server did not store it (no connection made, 429, 503, or ``x-should-retry: true``). Any
other failure after the body went out is ambiguous: not retried unless the caller opted in, since
a retry could store a duplicate.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs
import httpx

from .exceptions import parse_retry_after

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryContext",
    "RetryPolicy",
    "is_ambiguous_upload_failure",
    "is_retryable_error",
    "is_retryable_status",
]

RETRYABLE_STATUSES = frozenset({408, 429})
"""Retried besides every status >= 500."""

_UPLOAD_SAFE_STATUSES = frozenset({429, 503})
"""Statuses that say the upload was refused before being stored."""

# Raised before any byte of the request reached the server.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)
_RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
)


def _told(headers: httpx.Headers) -> str:
    """The server's ``x-should-retry`` (``true``, ``false``, or anything else: no say)."""
    told: str = headers.get("x-should-retry", "")
    return told.strip().lower()


def is_retryable_status(status_code: int, headers: httpx.Headers) -> bool:
    """General status rule: ``x-should-retry`` first, then 408/429/5xx."""
    told = _told(headers)
    if told in ("true", "false"):
        return told == "true"
    return status_code in RETRYABLE_STATUSES or status_code >= 500


def is_retryable_error(exc: BaseException) -> bool:
    """General error rule: connection failures, timeouts and broken responses."""
    return isinstance(exc, _RETRYABLE_ERRORS)


def is_ambiguous_upload_failure(exc: BaseException) -> bool:
    """True when a failed request may have reached the server (so an upload failing this way may
    have been stored); False when nothing was sent."""
    return isinstance(exc, httpx.RequestError) and not isinstance(exc, _NOT_SENT)


@attrs.frozen
class RetryContext:
    """What the policy needs to know about one request: ``deadline`` is a ``time.monotonic()``
    value, ``replayable`` whether the body can be produced again in full."""

    max_retries: int
    upload: bool = False
    replayable: bool = True
    retry_ambiguous: bool = False
    deadline: float | None = None


@attrs.frozen
class RetryPolicy:
    """Immutable retry settings and the decisions derived from them (no I/O, no clock reads).

    ``rng`` returns floats in [0, 1) and is injectable for deterministic tests.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(
        default=0.25, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    retry_ambiguous_uploads: bool = False
    rng: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)

    def context(
        self,
        *,
        max_retries: int | None = None,
        upload: bool = False,
        replayable: bool = True,
        retry_ambiguous: bool | None = None,
        deadline: float | None = None,
    ) -> RetryContext:
        """A per-request context; None values fall back to this policy's settings."""
        return RetryContext(
            max_retries=self.max_retries if max_retries is None else max(0, max_retries),
            upload=upload,
            replayable=replayable,
            retry_ambiguous=(
                self.retry_ambiguous_uploads if retry_ambiguous is None else retry_ambiguous
            ),
            deadline=deadline,
        )

    def backoff(self, retries_taken: int) -> float:
        """Computed wait before retry number ``retries_taken + 1``."""
        base = min(self.initial_delay * 2.0 ** min(retries_taken, 62), self.max_delay)
        return base * (1.0 - self.jitter * self.rng())

    def wait(self, retries_taken: int, headers: httpx.Headers | None, now: float) -> float:
        """The server's Retry-After if within (0, max_retry_after], else :meth:`backoff`.

        ``now`` is the Unix time, used for an HTTP-date Retry-After.
        """
        hinted = None if headers is None else parse_retry_after(headers, now=now)
        if hinted is not None and 0 < hinted <= self.max_retry_after:
            return hinted
        return self.backoff(retries_taken)

    def delay(
        self,
        ctx: RetryContext,
        retries_taken: int,
        outcome: httpx.Response | BaseException,
        *,
        monotonic_now: float,
        wall_now: float,
    ) -> float | None:
        """Seconds to wait before retrying after ``outcome`` (a response or a transport error),
        or None when it ends the call (a response is returned, an error re-raised)."""
        if isinstance(outcome, httpx.Response):
            status, headers = outcome.status_code, outcome.headers
            if status < 400 or not is_retryable_status(status, headers):
                return None
            refused = _told(headers) == "true" or status in _UPLOAD_SAFE_STATUSES
        elif is_retryable_error(outcome):
            headers, refused = None, not is_ambiguous_upload_failure(outcome)
        else:
            return None
        if ctx.upload and not ctx.retry_ambiguous and not refused:
            return None
        delay = self.wait(retries_taken, headers, wall_now)
        if retries_taken >= ctx.max_retries or not ctx.replayable:
            return None
        return delay if ctx.deadline is None or monotonic_now + delay < ctx.deadline else None
