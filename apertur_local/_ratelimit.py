"""Per-credential rate limiting of ``/api/v1/`` requests (429 with ``Retry-After``).

The limit is ``per_minute`` requests per credential with bursts up to the same number, enforced with
GCRA (the generic cell rate algorithm: a token bucket kept as one "theoretical arrival time" per
credential). A credential is the ``Authorization`` header value, stored only as its SHA-256 digest;
requests without one share a bucket per client address.

Every ``/api/v1/`` response carries:

* ``X-RateLimit-Limit`` — ``per_minute``;
* ``X-RateLimit-Remaining`` — requests that could be made right now;
* ``X-RateLimit-Reset`` — whole seconds until the bucket is full again;

and a refused request gets ``429 {"message", "code": "RATE_LIMITED"}`` with ``Retry-After`` (whole
seconds until one request is allowed, at least 1). A small request body of a refused request is
read and discarded so that the client can finish sending it and see the 429; a large or stalled
one is not read, and the 429 closes the connection (``_body_guard.answer_early``).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._body_guard import answer_early

__all__ = ["API_PREFIX", "RateLimitMiddleware"]

API_PREFIX = "/api/v1/"
"""Only paths under this prefix are limited."""

_WINDOW = 60.0
_EPSILON = 1e-9
_PRUNE_ABOVE = 10_000


def _limited_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


class RateLimitMiddleware:
    """Pure ASGI middleware limiting each credential to ``per_minute`` API requests.

    ``per_minute=None`` turns it off (requests pass through with no rate-limit headers). ``clock``
    returns seconds on any monotonic scale and is injectable for tests.
    """

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int | None,
        clock: Callable[[], float] = time.monotonic,
        *,
        body_timeout: float = 15.0,
    ) -> None:
        if per_minute is not None and per_minute < 1:
            raise ValueError("per_minute must be at least 1 (or None to turn limiting off)")
        self.app = app
        self.body_timeout = body_timeout
        self.per_minute = per_minute
        self._clock = clock
        self._tat: dict[bytes, float] = {}

    def _bucket_key(self, scope: Scope) -> bytes:
        credential = Headers(scope=scope).get("authorization")
        if credential is None:
            client = scope.get("client")
            credential = f"anonymous:{client[0] if client else ''}"
        return hashlib.sha256(credential.encode("utf-8", "surrogateescape")).digest()

    def _prune(self, now: float) -> None:
        """Forget credentials whose bucket has refilled completely (they hold no state)."""
        if len(self._tat) > _PRUNE_ABOVE:
            self._tat = {key: tat for key, tat in self._tat.items() if tat > now}

    def _decide(self, key: bytes, now: float, per_minute: int) -> tuple[bool, int, int, int]:
        """Account one request; return ``(allowed, remaining, reset, retry_after)``."""
        interval = _WINDOW / per_minute
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + interval
        allowed = new_tat - now <= _WINDOW + _EPSILON
        if allowed:
            self._tat[key] = tat = new_tat
        remaining = max(0, math.floor((_WINDOW - (tat - now)) / interval + _EPSILON))
        reset = max(0, math.ceil(tat - now - _EPSILON))
        retry_after = max(1, math.ceil(new_tat - _WINDOW - now - _EPSILON))
        return allowed, remaining, reset, retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.per_minute is None or scope["type"] != "http" or not _limited_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        now = self._clock()
        self._prune(now)
        allowed, remaining, reset, retry_after = self._decide(
            self._bucket_key(scope), now, self.per_minute
        )
        limit_headers = {
            "X-RateLimit-Limit": str(self.per_minute),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
        }
        if not allowed:
            body = {
                "message": f"Rate limit exceeded: {self.per_minute} requests per minute",
                "code": "RATE_LIMITED",
            }
            headers = {**limit_headers, "Retry-After": str(retry_after)}
            refusal = JSONResponse(body, status_code=429, headers=headers)
            await answer_early(refusal, scope, receive, send, self.body_timeout)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableHeaders(scope=message).update(limit_headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)
