"""Request signing: the optional ``X-Aptr-Signature`` on every JSON or body-less request.

``X-Aptr-Signature: sha256=<hex>`` is the HMAC-SHA-256, keyed with the signing secret as UTF-8,
of ``<timestamp>.<METHOD>.<path with query>.<sha256 hex of the body>``; ``X-Aptr-Timestamp``
carries the timestamp (Unix seconds). Multipart uploads are never signed. The client's transport
signs every attempt (so a retry carries a fresh timestamp), including requests made through
``client.api``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

import httpx

from .exceptions import InvalidInputError

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "sign_httpx_request", "sign_request"]

SIGNATURE_HEADER = "X-Aptr-Signature"
TIMESTAMP_HEADER = "X-Aptr-Timestamp"


def sign_request(secret: str, method: str, target: str, body: bytes, timestamp: int) -> str:
    """``sha256=<hex>`` for one API request.

    ``target`` is the request-target exactly as sent (path plus query string), ``body`` the exact
    body bytes (empty for none) and ``timestamp`` Unix seconds.
    """
    if not secret:
        raise InvalidInputError("Request signing secret is empty")
    body_hash = hashlib.sha256(body).hexdigest()
    message = f"{timestamp}.{method.upper()}.{target}.{body_hash}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_httpx_request(
    request: httpx.Request, secret: str, *, now: Callable[[], float] = time.time
) -> None:
    """Add ``X-Aptr-Signature``/``X-Aptr-Timestamp`` to a built request, in place.

    Existing signature headers are replaced, so a retry re-signs with a fresh timestamp.
    Multipart and streaming requests are left untouched (and their streams unread).
    """
    content_type = request.headers.get("content-type", "")
    multipart = content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"
    if multipart or not isinstance(request.stream, httpx.ByteStream):
        return  # only bodies already in memory, never multipart (it may be gigabytes)
    timestamp = int(now())
    target = request.url.raw_path.decode("ascii")
    signature = sign_request(secret, request.method, target, request.read(), timestamp)
    request.headers[SIGNATURE_HEADER] = signature
    request.headers[TIMESTAMP_HEADER] = str(timestamp)
