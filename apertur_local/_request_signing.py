"""Verification of client request signatures (``X-Aptr-Signature``), off unless a secret is set.

With a signing secret, every ``/api/v1/`` request except ``multipart/form-data`` uploads must carry

* ``X-Aptr-Timestamp: <unix seconds>`` and
* ``X-Aptr-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<METHOD>.<target>.<sha256hex(body)>")>``

where ``target`` is the request-target exactly as sent: the raw (still percent-encoded) path, plus
``?`` and the raw query string when there is one. Multipart uploads are never signed by the SDKs,
so they pass through unread, exactly as in the real API. Neither are the upload page's own calls
(the ``/api/v1/upload/{uuid}/…`` family without an ``Authorization`` header): a browser holds no
secret, and those calls are authorised by the session id alone, as when signing is off.

**Tolerance: ±300 s.** The real API's window is not published. Five minutes either way is what
Standard Webhooks, Svix and Stripe use for their timestamps, so clients whose clocks drift a little
still work, while a captured request cannot be replayed later. The check uses whole seconds
(``floor(clock())``): a timestamp 300 s old or ahead passes, 301 s fails.

The body (at most ``max_body`` bytes, else 413) is buffered, verified, then replayed to the app.
Failures answer ``401 {"message", "code": "INVALID_SIGNATURE"}`` with a message saying which check
failed; the secret and the expected signature never appear in a response or a log.
"""

from __future__ import annotations

import hmac
import math
import re
import time
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apertur_local._signatures import request_signature

__all__ = ["DEFAULT_MAX_BODY", "DEFAULT_TOLERANCE", "RequestSigningMiddleware", "signed_target"]

DEFAULT_TOLERANCE = 300
"""Seconds a request timestamp may be behind or ahead of the server clock."""

DEFAULT_MAX_BODY = 10 * 1024 * 1024
"""Largest signed (non-multipart) body buffered for verification."""

_API_PREFIX = "/api/v1"
_PAGE_FAMILY = re.compile(r"^/api/v1/upload/[^/]+/(?:session|verify-password|images|events)$")


class _TooLarge(Exception):
    pass


def signed_target(scope: Scope) -> str:
    """The request-target as sent (raw path, ``?query`` when present), as request signing signs it."""
    raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    raw = raw.split(b"?", 1)[0]  # some ASGI servers leave the query in raw_path
    query: bytes = scope.get("query_string", b"")
    target = raw + b"?" + query if query else raw
    return target.decode("utf-8", errors="replace")


def _reject(message: str) -> JSONResponse:
    return JSONResponse({"message": message, "code": "INVALID_SIGNATURE"}, status_code=401)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"message": f"Request body larger than {limit} bytes", "code": "PAYLOAD_TOO_LARGE"},
        status_code=413,
    )


async def _read_body(receive: Receive, limit: int) -> bytes:
    """Buffer the request body, raising ``_TooLarge`` as soon as it exceeds ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class RequestSigningMiddleware:
    """Pure ASGI middleware rejecting unsigned or badly signed API requests (401).

    ``secret=None`` (or empty) turns verification off. ``clock`` returns Unix seconds and is
    injectable for tests.
    """

    def __init__(
        self,
        app: ASGIApp,
        secret: str | None,
        tolerance: int = DEFAULT_TOLERANCE,
        clock: Callable[[], float] = time.time,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.app = app
        self._secret = secret or None
        self.tolerance = tolerance
        self.max_body = max_body
        self._clock = clock

    def __repr__(self) -> str:
        state = "on" if self._secret else "off"
        return f"RequestSigningMiddleware(signing={state}, tolerance={self.tolerance})"

    def _applies(self, scope: Scope, headers: Headers) -> bool:
        path: str = scope["path"]
        if not (path == _API_PREFIX or path.startswith(_API_PREFIX + "/")):
            return False
        if "authorization" not in headers and _PAGE_FAMILY.match(path):
            return False
        content_type = headers.get("content-type", "").lower()
        return not content_type.startswith("multipart/form-data")

    def _check(self, secret: str, scope: Scope, headers: Headers, body: bytes) -> str | None:
        """Return why the request fails verification, or ``None`` when it is valid."""
        signature = headers.get("x-aptr-signature")
        timestamp = headers.get("x-aptr-timestamp")
        if not signature:
            return "Missing X-Aptr-Signature header"
        if not timestamp:
            return "Missing X-Aptr-Timestamp header"
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
            return "X-Aptr-Timestamp is not a Unix time in whole seconds"
        ts = int(timestamp)
        now = math.floor(self._clock())
        if ts < now - self.tolerance:
            return f"X-Aptr-Timestamp is too old (more than {self.tolerance} s behind the server)"
        if ts > now + self.tolerance:
            return f"X-Aptr-Timestamp is too new (more than {self.tolerance} s ahead of the server)"
        expected = request_signature(secret, scope["method"], signed_target(scope), body, ts)
        provided = signature.strip()
        if not provided.lower().startswith("sha256="):
            provided = "sha256=" + provided
        provided = "sha256=" + provided[len("sha256=") :].lower()
        if not hmac.compare_digest(expected.encode("ascii"), provided.encode("latin-1")):
            return "X-Aptr-Signature does not match the request"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secret = self._secret
        if secret is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not self._applies(scope, headers):
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await _too_large(self.max_body)(scope, receive, send)
            return
        try:
            body = await _read_body(receive, self.max_body)
        except _TooLarge:
            await _too_large(self.max_body)(scope, receive, send)
            return
        failure = self._check(secret, scope, headers, body)
        if failure is not None:
            await _reject(failure)(scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
