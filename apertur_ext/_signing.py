"""Produce Apertur's HMAC-SHA-256 signatures.

* Outgoing request signing (API notes §5.4): ``X-Aptr-Signature: sha256=<hex>`` over
  ``<ts>.<METHOD>.<path incl. query>.<sha256 hex of body>`` plus ``X-Aptr-Timestamp``; the key is
  the signing secret as UTF-8. Multipart uploads are never signed.
* Webhook signatures as Apertur sends them (§5.1-5.3), so users can test their own handlers;
  the primitives are shared with the verifiers in ``_webhooks``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Generator

import httpx

from ._exceptions import InvalidInputError
from ._webhooks import Body, Secret, _digest, _svix_key, _text_key, _to_bytes

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "RequestSigner",
    "event_headers",
    "sign_event",
    "sign_httpx_request",
    "sign_request",
    "sign_svix",
    "sign_webhook",
    "svix_headers",
    "webhook_headers",
]

SIGNATURE_HEADER = "X-Aptr-Signature"
TIMESTAMP_HEADER = "X-Aptr-Timestamp"


def _signing_key(secret: str) -> bytes:
    if not secret:
        raise InvalidInputError("Request signing secret is empty")
    return secret.encode("utf-8")


def sign_request(secret: str, method: str, target: str, body: bytes, timestamp: int) -> str:
    """``sha256=<hex>`` for one API request.

    ``target`` is the request-target exactly as sent (path plus query string), ``body`` the exact
    body bytes (empty for none) and ``timestamp`` Unix seconds.
    """
    body_hash = hashlib.sha256(body).hexdigest()
    message = f"{timestamp}.{method.upper()}.{target}.{body_hash}".encode()
    return "sha256=" + hmac.new(_signing_key(secret), message, hashlib.sha256).hexdigest()


def _is_signable(request: httpx.Request) -> bool:
    """Only bodies already in memory; never multipart (its stream may be gigabytes)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        return False
    return isinstance(request.stream, httpx.ByteStream)


def sign_httpx_request(
    request: httpx.Request, secret: str, *, now: Callable[[], float] = time.time
) -> None:
    """Add ``X-Aptr-Signature``/``X-Aptr-Timestamp`` to a built request, in place.

    Existing signature headers are replaced, so a retry re-signs with a fresh timestamp.
    Multipart and streaming requests are left untouched (and their streams unread).
    """
    if not _is_signable(request):
        return
    timestamp = int(now())
    target = request.url.raw_path.decode("ascii")
    signature = sign_request(secret, request.method, target, request.read(), timestamp)
    request.headers[SIGNATURE_HEADER] = signature
    request.headers[TIMESTAMP_HEADER] = str(timestamp)


class RequestSigner(httpx.Auth):
    """Signs every in-memory request; usable as ``httpx.Client(auth=...)`` or called directly."""

    def __init__(self, secret: str, *, now: Callable[[], float] = time.time) -> None:
        _signing_key(secret)  # fail early on an empty secret
        self._secret = secret
        self._now = now

    def __repr__(self) -> str:
        return "RequestSigner(secret=<hidden>)"

    def sign(self, request: httpx.Request) -> None:
        """Sign ``request`` in place (no-op for multipart and streaming bodies)."""
        sign_httpx_request(request, self._secret, now=self._now)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


# --- webhook signatures, to test your own handlers -----------------------------------------------


def sign_webhook(body: Body, secret: Secret) -> str:
    """``sha256=<hex>`` for an image-delivery body (``X-Apertur-Signature``)."""
    return "sha256=" + _digest(_text_key(secret), "image", _to_bytes(body), "", "").hex()


def sign_event(body: Body, secret: Secret, timestamp: int | str) -> str:
    """``sha256=<hex>`` for an ``hmac_sha256`` event webhook sent at ``timestamp``."""
    raw = _to_bytes(body)
    return "sha256=" + _digest(_text_key(secret), "hmac_sha256", raw, str(timestamp), "").hex()


def sign_svix(body: Body, msg_id: str, timestamp: int | str, secret: Secret) -> str:
    """``v1,<base64>`` for a ``svix`` event webhook (secret as hex, or ``whsec_`` + base64)."""
    digest = _digest(_svix_key(secret), "svix", _to_bytes(body), str(timestamp), msg_id)
    return "v1," + base64.b64encode(digest).decode("ascii")


def webhook_headers(body: Body, secret: Secret) -> dict[str, str]:
    """Headers of a signed image-delivery request."""
    return {"X-Apertur-Signature": sign_webhook(body, secret)}


def event_headers(body: Body, secret: Secret, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers of a signed ``hmac_sha256`` event request (timestamp defaults to now)."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {"X-Apertur-Signature": sign_event(body, secret, ts), "X-Apertur-Timestamp": str(ts)}


def svix_headers(
    body: Body, secret: Secret, *, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """Headers of a signed ``svix`` event request (random id and current time by default)."""
    ts = int(time.time()) if timestamp is None else timestamp
    mid = msg_id or f"msg_{secrets.token_hex(12)}"
    signature = sign_svix(body, mid, ts, secret)
    return {"svix-id": mid, "svix-timestamp": str(ts), "svix-signature": signature}
