"""Server-side signing of everything the local Apertur signs.

Three schemes, each a pure function over bytes:

* image delivery: ``X-Apertur-Signature: sha256=<hex HMAC(body)>``, key = secret as UTF-8;
* event webhooks (``hmac_sha256``): HMAC over ``<ts>.<body>`` plus ``X-Apertur-Timestamp``;
  (``svix``): base64 HMAC over ``<id>.<ts>.<body>`` with the secret **hex-decoded**;
* request signing (client → API): HMAC over ``<ts>.<METHOD>.<target>.<sha256hex(body)>``,
  which the server recomputes to check ``X-Aptr-Signature``.

This is an independent implementation of the wire format: it never imports ``apertur_ext``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Literal

__all__ = [
    "EventSignatureMethod",
    "body_sha256_hex",
    "event_signature_headers",
    "image_signature",
    "request_signature",
]

EventSignatureMethod = Literal["hmac_sha256", "svix"]
"""The two ``signatureMethod`` values of an event webhook."""


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def image_signature(secret: str, body: bytes) -> str:
    """Return the ``X-Apertur-Signature`` value for an image delivery body.

    >>> image_signature("test_secret", b'{"event":"test"}')[:15]
    'sha256=14c2b69d'
    """
    return "sha256=" + _hmac_sha256(secret.encode("utf-8"), body).hex()


def event_signature_headers(
    method: EventSignatureMethod,
    secret: str,
    body: bytes,
    *,
    timestamp: int,
    message_id: str,
) -> dict[str, str]:
    """Return the signature headers of an event webhook POST (``hmac_sha256`` or ``svix``).

    ``hmac_sha256`` gives ``X-Apertur-Signature`` and ``X-Apertur-Timestamp`` (``message_id`` is
    not signed). ``svix`` gives ``svix-id``, ``svix-timestamp`` and ``svix-signature``; its secret
    must be hex (the EventWebhook secret is always generated as hex), otherwise ``ValueError``.
    """
    ts = str(int(timestamp))
    if method == "hmac_sha256":
        digest = _hmac_sha256(secret.encode("utf-8"), ts.encode("ascii") + b"." + body)
        return {"X-Apertur-Signature": "sha256=" + digest.hex(), "X-Apertur-Timestamp": ts}
    if method == "svix":
        key = bytes.fromhex(secret)
        signed = message_id.encode("utf-8") + b"." + ts.encode("ascii") + b"." + body
        signature = base64.b64encode(_hmac_sha256(key, signed)).decode("ascii")
        return {"svix-id": message_id, "svix-timestamp": ts, "svix-signature": "v1," + signature}
    raise ValueError(f"unknown signature method {method!r}")


def body_sha256_hex(body: bytes) -> str:
    """Lower-case hex SHA-256 of ``body`` (the body hash inside a request-signing string)."""
    return hashlib.sha256(body).hexdigest()


def request_signature(secret: str, method: str, target: str, body: bytes, timestamp: int) -> str:
    """Return the ``X-Aptr-Signature`` value of a client request.

    ``target`` is the request-target exactly as sent: the path including ``?query`` when present.
    """
    signed = f"{int(timestamp)}.{method.upper()}.{target}.{body_sha256_hex(body)}"
    return "sha256=" + _hmac_sha256(secret.encode("utf-8"), signed.encode("utf-8")).hex()
