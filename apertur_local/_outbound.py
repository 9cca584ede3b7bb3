"""What the local Apertur POSTs out: image deliveries and event webhooks, and the sender.

* :func:`image_delivery_request` builds a webhook-destination delivery in one of the three
  ``config.format`` values: ``json_base64``, ``multipart`` or ``binary``;
* :func:`event_request` builds an event-webhook POST (``hmac_sha256`` or ``svix``) whose compact JSON body is
  serialised once, so the signature covers exactly the bytes sent;
* :class:`OutboundSender` sends an :class:`OutboundRequest` and reports an :class:`AttemptResult`
  (never raises on network failure), optionally retrying on a schedule with an injected sleep.

Neither the body nor any header value appears in a ``repr``: headers may carry signatures and
user-configured custom headers (which may well hold credentials).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import attrs
import httpx

from apertur_local._multipart_form import multipart_body
from apertur_local._outbound_addresses import (
    LOCALHOST_ADDRESSES,
    Resolver,
    address_refusal,
    is_ip_literal,
    resolve_host,
)
from apertur_local._signatures import EventSignatureMethod, event_signature_headers, image_signature

__all__ = [
    "RESPONSE_BODY_LIMIT",
    "AttemptResult",
    "DeliveryFormat",
    "ImageDeliveryMeta",
    "OnAttempt",
    "OutboundRequest",
    "OutboundSender",
    "Resolver",
    "address_refusal",
    "event_request",
    "image_delivery_request",
    "resolve_host",
]

DeliveryFormat = Literal["json_base64", "multipart", "binary"]
"""The ``config.format`` values of a webhook destination."""

RESPONSE_BODY_LIMIT = 1024
"""At most this many bytes of a receiver's response body are kept (and read)."""

_RESERVED_HEADERS = frozenset(
    {
        "x-apertur-signature",
        "x-apertur-timestamp",
        "svix-id",
        "svix-timestamp",
        "svix-signature",
        "content-type",
        "content-length",
        "transfer-encoding",
        "host",
    }
)
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def _redact_url(url: str) -> str:
    """Drop any ``user:password@`` part of a URL for display."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    if "@" not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@attrs.frozen(repr=False)
class OutboundRequest:
    """One POST the server makes: its URL, headers and exact body bytes."""

    url: str
    headers: dict[str, str]
    body: bytes

    def __repr__(self) -> str:
        names = ", ".join(sorted(self.headers))
        return (
            f"OutboundRequest(url={_redact_url(self.url)!r}, headers=[{names}], "
            f"body=<{len(self.body)} bytes>)"
        )


@attrs.frozen
class AttemptResult:
    """The outcome of one delivery attempt.

    ``ok`` is true for a 2xx answer. ``status_code``/``response_body`` are set whenever a
    response arrived (the body decoded as UTF-8 and cut to :data:`RESPONSE_BODY_LIMIT` bytes);
    ``error`` describes a transport failure or a non-2xx status.
    """

    ok: bool
    status_code: int | None
    response_body: str | None
    error: str | None
    duration_ms: int


def _str_list(values: Iterable[str]) -> list[str]:
    return list(values)


@attrs.frozen
class ImageDeliveryMeta:
    """Metadata of the image being delivered to a webhook destination."""

    session_id: str
    image_id: str
    image_index: int
    mime_type: str
    filename: str
    size_bytes: int
    tags: list[str] = attrs.field(factory=list, converter=_str_list)


OnAttempt = Callable[[int, AttemptResult, float | None], Awaitable[None]]
"""Callback after each attempt: attempt number (1-based), its result, next delay or ``None``."""


def _delivery_headers(meta: ImageDeliveryMeta) -> dict[str, str]:
    return {
        "X-Aptr-Session-Id": meta.session_id,
        "X-Aptr-Image-Id": meta.image_id,
        "X-Aptr-Image-Index": str(meta.image_index),
    }


def image_delivery_request(
    fmt: DeliveryFormat,
    url: str,
    secret: str | None,
    meta: ImageDeliveryMeta,
    data: bytes,
) -> OutboundRequest:
    """Build the POST delivering one image to a webhook destination (in its format).

    When ``secret`` is set, ``X-Apertur-Signature`` is the HMAC of the exact body bytes.
    """
    headers = _delivery_headers(meta)
    if fmt == "json_base64":
        document = {
            "session_id": meta.session_id,
            "image_id": meta.image_id,
            "image_index": meta.image_index,
            "mime_type": meta.mime_type,
            "filename": meta.filename,
            "size_bytes": meta.size_bytes,
            "data": base64.b64encode(data).decode("ascii"),
            "tags": list(meta.tags),
        }
        body = json.dumps(document, separators=(",", ":"), allow_nan=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    elif fmt == "multipart":
        fields = [
            ("session_id", meta.session_id),
            ("image_id", meta.image_id),
            ("filename", meta.filename),
            ("mime_type", meta.mime_type),
            *(("tags", tag) for tag in meta.tags),
        ]
        body, headers["Content-Type"] = multipart_body(
            fields, "image", meta.filename, meta.mime_type, data
        )
    elif fmt == "binary":
        body = data
        headers["Content-Type"] = "application/octet-stream"
    else:
        raise ValueError(f"unknown delivery format {fmt!r}")
    if secret:
        headers["X-Apertur-Signature"] = image_signature(secret, body)
    return OutboundRequest(url=url, headers=headers, body=body)


def _usable_custom_headers(custom_headers: Mapping[str, str]) -> dict[str, str]:
    """Custom headers minus reserved names and anything that is not a legal header."""
    usable: dict[str, str] = {}
    for name, value in custom_headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            continue
        if not _TOKEN.match(name) or name.lower() in _RESERVED_HEADERS:
            continue
        if any(ch in value for ch in "\r\n\0"):
            continue
        usable[name] = value
    return usable


def event_request(
    url: str,
    method: EventSignatureMethod,
    secret: str,
    envelope: Mapping[str, Any],
    custom_headers: Mapping[str, str],
    *,
    message_id: str,
    timestamp: int,
) -> OutboundRequest:
    """Build a signed event-webhook POST.

    The envelope is serialised once as compact JSON and signed over those exact bytes. Custom
    headers come first and can never replace ``Content-Type`` or a signature header.
    """
    body = json.dumps(envelope, separators=(",", ":"), allow_nan=False).encode("utf-8")
    headers = _usable_custom_headers(custom_headers)
    headers["Content-Type"] = "application/json"
    headers.update(
        event_signature_headers(method, secret, body, timestamp=timestamp, message_id=message_id)
    )
    return OutboundRequest(url=url, headers=headers, body=body)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class OutboundSender:
    """Sends :class:`OutboundRequest` objects; failures become results, never exceptions.

    Where a request may go is decided on addresses, not names: the host is resolved once
    (``resolver``, the system's by default; ``localhost`` and ``*.localhost`` are loopback
    without asking anyone, an IP address is itself), every address must be allowed (see
    :func:`address_refusal`; loopback only unless ``allow_external``), and the connection goes to
    an address that was checked, with the original ``Host`` header and TLS server name, so no
    second resolution can lead elsewhere. The environment's proxy settings are ignored
    (``trust_env=False``: a proxy would decide where the request goes), and redirects are not
    followed (a 3xx is a failed attempt). A refused or unresolvable host is a failed attempt that
    says why (the delivery log shows it). ``sleep`` and ``clock`` are injectable so that retry
    schedules can be tested without waiting.
    """

    def __init__(
        self,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        *,
        allow_external: bool = False,
        resolver: Resolver = resolve_host,
    ) -> None:
        self._allow_external = allow_external
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
        )
        self._timeout = timeout
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock

    async def _addresses(self, url: httpx.URL) -> tuple[list[str], str | None]:
        """The checked addresses to connect to for ``url``, or a reason not to connect."""
        if url.scheme not in ("http", "https"):
            return [], f"unsupported URL scheme {url.scheme!r}"
        host = url.raw_host.decode("ascii").strip("[]")
        if not host:
            return [], "the URL has no host"
        if is_ip_literal(host):
            addresses = [host]
        elif host == "localhost" or host.endswith(".localhost"):
            addresses = list(
                LOCALHOST_ADDRESSES
            )  # RFC 6761: these names are loopback, asked of nobody
        else:
            port = url.port or (443 if url.scheme == "https" else 80)
            try:
                async with asyncio.timeout(self._timeout):
                    addresses = list(await self._resolver(host, port))
            except Exception as exc:
                return [], f"cannot resolve {host}: {_error_text(exc)}"
            if not addresses:
                return [], f"cannot resolve {host}: no address"
        for address in addresses:
            refusal = address_refusal(address, allow_external=self._allow_external)
            if refusal is not None:
                named = "" if is_ip_literal(host) else f"{host} resolves to "
                return [], f"{named}{refusal}"
        return addresses, None

    async def send(self, request: OutboundRequest) -> AttemptResult:
        """POST ``request`` once; a 2xx answer is ``ok``."""
        started = self._clock()
        status: int | None = None
        text: str | None = None
        error: str | None = None
        try:
            url = httpx.URL(request.url)
            addresses, refusal = await self._addresses(url)
        except Exception as exc:  # an unusable URL is a failed attempt, never a crash
            addresses, refusal = [], _error_text(exc)
        if refusal is not None:
            return AttemptResult(False, None, None, refusal, 0)
        headers = {**request.headers, "Host": url.netloc.decode("ascii")}
        host = url.raw_host.decode("ascii")
        extensions = (
            {"sni_hostname": host} if url.scheme == "https" and not is_ip_literal(host) else {}
        )
        for number, address in enumerate(addresses, 1):
            try:
                async with self._client.stream(
                    "POST",
                    url.copy_with(host=address),
                    headers=headers,
                    content=request.body,
                    extensions=extensions,
                    follow_redirects=False,
                ) as response:
                    status = response.status_code
                    text = await _read_limited(response)
                error = None
                break
            except httpx.ConnectError as exc:  # try the next checked address
                error = _error_text(exc)
                if number == len(addresses):
                    break
            except Exception as exc:
                error = _error_text(exc)
                break
        duration_ms = max(0, round((self._clock() - started) * 1000))
        ok = status is not None and 200 <= status < 300
        if ok:
            error = None
        elif status is not None:
            error = f"HTTP {status}"
        return AttemptResult(ok, status, text, error, duration_ms)

    async def send_with_retries(
        self, request: OutboundRequest, intervals: Sequence[float], on_attempt: OnAttempt
    ) -> AttemptResult:
        """Send, then retry after ``intervals[i]`` seconds while attempts fail.

        At most ``1 + len(intervals)`` attempts; ``on_attempt`` runs after each one and before
        the sleep. Returns the last result.
        """
        attempt = 0
        while True:
            attempt += 1
            result = await self.send(request)
            delay = None if result.ok or attempt > len(intervals) else float(intervals[attempt - 1])
            await on_attempt(attempt, result, delay)
            if delay is None:
                return result
            await self._sleep(delay)

    async def aclose(self) -> None:
        """Close the HTTP client if this sender created it."""
        if self._owns_client:
            await self._client.aclose()


async def _read_limited(response: httpx.Response) -> str:
    """Read at most :data:`RESPONSE_BODY_LIMIT` bytes of a streamed response body."""
    buffer = bytearray()
    async for chunk in response.aiter_bytes():
        buffer.extend(chunk)
        if len(buffer) >= RESPONSE_BODY_LIMIT:
            break
    return bytes(buffer[:RESPONSE_BODY_LIMIT]).decode("utf-8", errors="replace")
