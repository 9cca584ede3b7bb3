"""Produce the signatures Apertur puts on what it sends you, to test your own handlers.

The same schemes the verifiers in ``verify`` check: ``sign_webhook`` for image deliveries,
``sign_event`` for ``hmac_sha256`` event webhooks and ``sign_svix`` for ``svix`` ones, plus the
complete header sets.
"""

from __future__ import annotations

import base64
import secrets
import time

from .verify import Body, Secret, _digest, _svix_key, _text_key, _to_bytes

__all__ = [
    "event_headers",
    "sign_event",
    "sign_svix",
    "sign_webhook",
    "svix_headers",
    "webhook_headers",
]


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
