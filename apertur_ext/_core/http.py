"""The ``httpx`` clients of the SDK: auth, retry transport, timeout, User-Agent, no redirects.

Each SDK client owns one ``httpx.Client`` (``httpx.AsyncClient``) with the base URL, a bearer
:class:`httpx.Auth` (its ``repr`` hides the token), the :class:`RetryTransport` (which also signs
every attempt when a signing secret is set, and bounds every body), the timeout, a
``User-Agent``, the encodings the transport decodes and ``follow_redirects=False`` (so the token
never follows a redirect to another host).

``http_client=`` lets callers bring their own ``httpx`` client (proxies, TLS, limits, event
hooks): requests are sent through it, still under the SDK's auth, retries and timeouts, and it
is not closed with the SDK client.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx

from .body import ACCEPT_ENCODING
from .config import ClientConfig, user_agent
from .retry import RetryPolicy
from .signing import RequestSigner
from .transport import RetryTransport

__all__ = ["BearerAuth", "build_async_http", "build_sync_http"]


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer <token>``; the token never shows in a ``repr``."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __repr__(self) -> str:
        return "BearerAuth(token=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class _Cookies(httpx.Cookies):
    """httpx's cookie store, minus the urllib round trip for responses that set no cookie.

    ``httpx.Cookies.extract_cookies`` wraps every response and request in urllib objects
    before the jar looks for ``Set-Cookie``; without one there is nothing to store.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


def _light_cookies(client: httpx.Client | httpx.AsyncClient) -> None:
    """Give ``client`` a :class:`_Cookies` holding the same jar (httpx keeps it in ``_cookies``;
    left as it is on an httpx without that attribute)."""
    cookies = getattr(client, "_cookies", None)
    if type(cookies) is httpx.Cookies:
        light = _Cookies()
        light.jar = cookies.jar
        client._cookies = light


class _ViaClient(httpx.BaseTransport):
    """Sends through a caller's ``httpx.Client``, without its auth, base URL or redirects."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True, auth=None, follow_redirects=False)

    def close(self) -> None:
        """The caller owns the client: leave it open."""


class _AsyncViaClient(httpx.AsyncBaseTransport):
    """Async twin of :class:`_ViaClient`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True, auth=None, follow_redirects=False)

    async def aclose(self) -> None:
        """The caller owns the client: leave it open."""


def _transport(
    config: ClientConfig,
    inner: httpx.BaseTransport | None = None,
    async_inner: httpx.AsyncBaseTransport | None = None,
) -> RetryTransport:
    policy = RetryPolicy(
        max_retries=config.max_retries, retry_ambiguous_uploads=config.retry_ambiguous_uploads
    )
    secret = config.signing_secret
    sign = RequestSigner(secret).sign if secret else None
    return RetryTransport(
        inner, async_inner, policy=policy, sign=sign, max_response_bytes=config.max_response_bytes
    )


def _client_kwargs(config: ClientConfig, transport: RetryTransport) -> dict[str, Any]:
    return {
        "base_url": config.base_url,
        "auth": BearerAuth(config.token),
        "transport": transport,
        "timeout": config.timeout,
        "headers": {"User-Agent": user_agent(), "Accept-Encoding": ACCEPT_ENCODING},
        "follow_redirects": False,
    }


def build_sync_http(
    config: ClientConfig, http_client: httpx.Client | None
) -> tuple[httpx.Client, RetryTransport]:
    """The SDK client's ``httpx.Client`` (sending through ``http_client`` when given) and its
    transport."""
    inner = None if http_client is None else _ViaClient(http_client)
    transport = _transport(config, inner)
    client = httpx.Client(**_client_kwargs(config, transport))
    _light_cookies(client)
    return client, transport


def build_async_http(
    config: ClientConfig, http_client: httpx.AsyncClient | None
) -> tuple[httpx.AsyncClient, RetryTransport]:
    """The SDK client's ``httpx.AsyncClient`` (sending through ``http_client`` when given) and
    its transport."""
    async_inner = None if http_client is None else _AsyncViaClient(http_client)
    transport = _transport(config, None, async_inner)
    client = httpx.AsyncClient(**_client_kwargs(config, transport))
    _light_cookies(client)
    return client, transport
