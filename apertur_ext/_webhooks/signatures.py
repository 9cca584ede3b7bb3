"""Webhook signatures: check those Apertur puts on what it sends you, and make them to test your
handlers. One HMAC-SHA-256 mechanism, three schemes:

* ``image``: image deliveries, ``X-Apertur-Signature: sha256=<hex>`` over the body, keyed by the
  secret's UTF-8 bytes.
* ``hmac_sha256``: event webhooks, the same header over ``<ts>.<body>``, + ``X-Apertur-Timestamp``.
* ``svix``: event webhooks, ``svix-signature: v1,<base64>`` over ``<id>.<ts>.<body>``, keyed by the
  secret hex-decoded (``whsec_<base64>`` accepted too), + ``svix-id`` and ``svix-timestamp``.

A header may carry several space-separated signatures (key rotation): any match passes. The
``verify_*`` functions answer a bool and raise only for what cannot be a request or a key (an
unusable secret, a body that is not the raw bytes, headers that are not a mapping);
:class:`Webhook` raises with a distinct ``code`` per failure. Messages never echo a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Literal

from .._core.config import is_number
from .._core.exceptions import InvalidInputError, WebhookVerificationError

__all__ = [
    "SignatureMethod",
    "Webhook",
    "WebhookFailure",
    "event_headers",
    "sign_event",
    "sign_svix",
    "sign_webhook",
    "svix_headers",
    "verify_event_request",
    "verify_event_signature",
    "verify_svix_signature",
    "verify_webhook_request",
    "verify_webhook_signature",
    "webhook_headers",
]

SignatureMethod = Literal["image", "hmac_sha256", "svix"]
Body = str | bytes
Secret = str | bytes

DEFAULT_TOLERANCE = 300
_HEX_DIGEST = re.compile(r"(?:sha256=)?([0-9a-f]{64})", re.ASCII | re.IGNORECASE)
_SVIX_DIGEST = re.compile(r"(?:v1,)?([A-Za-z0-9+/]{43})=?", re.ASCII)  # 32 bytes, base64
_HEX_KEY = re.compile(r"(?:[0-9a-f]{2})+", re.ASCII | re.IGNORECASE)
_TIMESTAMP = re.compile(r"[0-9]{1,15}", re.ASCII)
# Header names per scheme: (signature, timestamp, id); alternatives in order of preference.
_HEADERS: dict[SignatureMethod, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "image": (("x-apertur-signature", "x-aptr-signature"), (), ()),
    "hmac_sha256": (("x-apertur-signature",), ("x-apertur-timestamp",), ()),
    "svix": (
        ("svix-signature", "webhook-signature"),
        ("svix-timestamp", "webhook-timestamp"),
        ("svix-id", "webhook-id"),
    ),
}


class WebhookFailure(StrEnum):
    """Why verification failed; used as ``WebhookVerificationError.code``."""

    MISSING_HEADER = "missing_header"
    INVALID_TIMESTAMP = "invalid_timestamp"
    TIMESTAMP_TOO_OLD = "timestamp_too_old"
    TIMESTAMP_TOO_NEW = "timestamp_too_new"
    NO_MATCHING_SIGNATURE = "no_matching_signature"
    UNUSABLE_SECRET = "unusable_secret"  # noqa: S105 (a code, not a secret)
    UNUSABLE_BODY = "unusable_body"
    UNUSABLE_HEADERS = "unusable_headers"


def _error(failure: WebhookFailure, message: str = "") -> WebhookVerificationError:
    default = "Webhook verification failed: " + failure.value.replace("_", " ")
    return WebhookVerificationError(message or default, code=failure.value)


def _to_bytes(data: str | bytes, failure: WebhookFailure = WebhookFailure.UNUSABLE_BODY) -> bytes:
    """str (as UTF-8), bytes, or a bytearray / memoryview from a framework's request."""
    # surrogatepass: a str can never make encoding raise; it just will not verify.
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    what = "body must be the raw request body (bytes or str)"
    if failure is WebhookFailure.UNUSABLE_SECRET:
        what = "secret must be bytes or str"
    raise _error(failure, f"Webhook {what}, not {type(data).__name__}")


def _key(method: SignatureMethod, secret: Secret) -> bytes:
    """The HMAC key: the secret's UTF-8 bytes; for svix, the secret as hex or ``whsec_`` +
    base64 (bytes are the key itself)."""
    unusable = WebhookFailure.UNUSABLE_SECRET
    if not secret:
        raise _error(unusable, "Webhook secret is empty")
    if method != "svix" or not isinstance(secret, str):
        return _to_bytes(secret, unusable)
    if secret.startswith("whsec_"):
        encoded = secret.removeprefix("whsec_")
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise _error(unusable, "Svix secret after 'whsec_' is not valid base64") from None
    elif _HEX_KEY.fullmatch(secret):
        key = bytes.fromhex(secret)
    else:
        raise _error(unusable, "Svix secret must be the key as hex (or 'whsec_' + base64)")
    if not key:
        raise _error(unusable, "Webhook secret decodes to an empty key")
    return key


def _digest(key: bytes, method: SignatureMethod, body: bytes, ts: str, msg_id: str) -> bytes:
    """HMAC-SHA-256 over the scheme's signed content: [id.][ts.]body."""
    prefix = "" if method == "image" else f"{ts}." if method == "hmac_sha256" else f"{msg_id}.{ts}."
    mac = hmac.new(key, _to_bytes(prefix), hashlib.sha256)
    mac.update(body)
    return mac.digest()


def _sign(
    method: SignatureMethod, secret: Secret, body: Body, ts: object = "", msg_id: str = ""
) -> str:
    digest = _digest(_key(method, secret), method, _to_bytes(body), str(ts), msg_id)
    return (
        "v1," + base64.b64encode(digest).decode() if method == "svix" else "sha256=" + digest.hex()
    )


def _presented(method: SignatureMethod, header: str | bytes) -> list[bytes]:
    """Digests from a signature header; malformed entries and unknown versions are skipped."""
    if not isinstance(header, str):  # bytes from a raw header list; anything else: none
        header = header.decode("latin-1") if isinstance(header, bytes | bytearray) else ""
    svix = method == "svix"
    found = ((_SVIX_DIGEST if svix else _HEX_DIGEST).fullmatch(e) for e in header.split())
    return [base64.b64decode(m[1] + "=") if svix else bytes.fromhex(m[1]) for m in found if m]


def _check(
    method: SignatureMethod,
    key: bytes,
    body: bytes,
    signature: str | None,
    timestamp: str | int | None = None,
    msg_id: str | None = None,
    tolerance: float | None = None,
    now: float | None = None,
) -> WebhookFailure | None:
    """The one check: None when a presented signature matches, else why none does."""
    ts = "" if timestamp is None else str(timestamp)
    if not signature or (method != "image" and not ts) or (method == "svix" and not msg_id):
        return WebhookFailure.MISSING_HEADER
    if method != "image":
        if not _TIMESTAMP.fullmatch(ts):
            return WebhookFailure.INVALID_TIMESTAMP
        if (limit := _checked_tolerance(tolerance)) is not None:
            try:
                age = (time.time() if now is None else now) - int(ts)
                too_old, too_new = not age <= limit, not -age <= limit  # NaN fails
            except TypeError:
                raise InvalidInputError("tolerance and now must be numbers of seconds") from None
            if too_old:
                return WebhookFailure.TIMESTAMP_TOO_OLD
            if too_new:
                return WebhookFailure.TIMESTAMP_TOO_NEW
    expected = _digest(key, method, body, ts, msg_id or "")
    if any(hmac.compare_digest(expected, c) for c in _presented(method, signature)):
        return None
    return WebhookFailure.NO_MATCHING_SIGNATURE


def _checked_tolerance(tolerance: float | None) -> float | None:
    """``tolerance``, if it is None or a number of seconds >= 0 (a configuration error otherwise:
    raised, not a verification that silently always fails)."""
    if tolerance is not None and not (is_number(tolerance) and tolerance >= 0):  # NaN fails
        raise InvalidInputError("tolerance must be a number of seconds >= 0, or None")
    return tolerance


def _header(headers: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    """First present header among ``names``, matched case-insensitively even in a plain dict."""
    if headers is None:
        return None
    if not callable(getattr(headers, "get", None)) or not callable(getattr(headers, "items", None)):
        raise _error(
            WebhookFailure.UNUSABLE_HEADERS,
            f"Webhook headers must be a mapping of names to values, not {type(headers).__name__}",
        )
    for name in names:
        value = headers.get(name)
        if value is None:
            value = next((v for k, v in headers.items() if k.lower() == name), None)
        if value is not None:
            return value
    return None


def _check_request(
    method: SignatureMethod,
    key: bytes,
    headers: Mapping[str, str],
    body: Body,
    tolerance: float | None = None,
    now: float | None = None,
) -> WebhookFailure | None:
    signature, timestamp, msg_id = (_header(headers, names) for names in _HEADERS[method])
    return _check(method, key, _to_bytes(body), signature, timestamp, msg_id, tolerance, now)


# --- verifying (the official SDK's names and argument order) -----------------------------------


def verify_webhook_signature(body: Body, signature: str | None, secret: Secret) -> bool:
    """Check an image-delivery ``X-Apertur-Signature`` (``sha256=`` prefix optional)."""
    return _check("image", _key("image", secret), _to_bytes(body), signature) is None


def verify_event_signature(
    body: Body,
    timestamp: str | int | None,
    signature: str | None,
    secret: Secret,
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Check an ``hmac_sha256`` event webhook sent within ``tolerance`` seconds of ``now``.

    ``tolerance=None`` disables the time check (the timestamp must still be well formed).
    """
    key, raw = _key("hmac_sha256", secret), _to_bytes(body)
    return _check("hmac_sha256", key, raw, signature, timestamp, None, tolerance, now) is None


def verify_svix_signature(
    body: Body,
    svix_id: str | None,
    timestamp: str | int | None,
    signature: str | None,
    secret: Secret,
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Check a ``svix`` event webhook; ``secret`` is the key as hex (or ``whsec_`` + base64)."""
    key, raw = _key("svix", secret), _to_bytes(body)
    return _check("svix", key, raw, signature, timestamp, svix_id, tolerance, now) is None


def verify_webhook_request(headers: Mapping[str, str], body: Body, secret: Secret) -> bool:
    """Check an image-delivery request (``X-Apertur-Signature``, else ``X-Aptr-Signature``)."""
    return _check_request("image", _key("image", secret), headers, body) is None


def verify_event_request(
    headers: Mapping[str, str],
    body: Body,
    secret: Secret,
    *,
    method: Literal["hmac_sha256", "svix"] = "hmac_sha256",
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Check an event-webhook request's headers for its ``method`` (the webhook's setting)."""
    return _check_request(method, _key(method, secret), headers, body, tolerance, now) is None


class Webhook:
    """A verifier built once per secret; :meth:`verify` raises with a distinct ``code``.

    ``clock`` returns the current Unix time and can be replaced in tests.
    """

    def __init__(
        self,
        secret: Secret,
        *,
        method: SignatureMethod = "hmac_sha256",
        tolerance: float | None = DEFAULT_TOLERANCE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if method not in _HEADERS:
            raise InvalidInputError(f"unknown signature method {method!r}")
        self._key = _key(method, secret)
        self.method: SignatureMethod = method
        self.tolerance = _checked_tolerance(tolerance)
        self._clock = clock

    def __repr__(self) -> str:
        return f"Webhook(method={self.method!r}, tolerance={self.tolerance!r})"

    def _failure(self, body: Body, headers: Mapping[str, str]) -> WebhookFailure | None:
        return _check_request(self.method, self._key, headers, body, self.tolerance, self._clock())

    def verify(self, body: Body, headers: Mapping[str, str]) -> bytes:
        """Return the raw body if authentic; else raise :class:`WebhookVerificationError`
        whose ``code`` is a :class:`WebhookFailure` value."""
        if (failure := self._failure(body, headers)) is not None:
            raise _error(failure)
        return _to_bytes(body)

    def is_valid(self, body: Body, headers: Mapping[str, str]) -> bool:
        """Like :meth:`verify`, as a bool."""
        return self._failure(body, headers) is None


# --- signing, to test your own handlers --------------------------------------------------------


def sign_webhook(body: Body, secret: Secret) -> str:
    """``sha256=<hex>`` for an image-delivery body (``X-Apertur-Signature``)."""
    return _sign("image", secret, body)


def sign_event(body: Body, secret: Secret, timestamp: int | str) -> str:
    """``sha256=<hex>`` for an ``hmac_sha256`` event webhook sent at ``timestamp``."""
    return _sign("hmac_sha256", secret, body, timestamp)


def sign_svix(body: Body, msg_id: str, timestamp: int | str, secret: Secret) -> str:
    """``v1,<base64>`` for a ``svix`` event webhook (secret as hex, or ``whsec_`` + base64)."""
    return _sign("svix", secret, body, timestamp, msg_id)


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
