"""The httpx clients of one SDK client, and ``client.api``, the generated client sending through
them.

The SDK client's ``httpx.Client`` (``httpx.AsyncClient``) has the base URL, a bearer auth whose
``repr`` hides the token, the :class:`RetryTransport` (which also signs every attempt when a
signing secret is set, and bounds every body), the timeout, a ``User-Agent``, the encodings the
transport decodes and ``follow_redirects=False`` (the token never follows a redirect to another
host). ``http_client=`` lets callers bring their own httpx client (proxies, TLS, limits, event
hooks): requests go through it, still under the SDK's auth, retries and timeouts, and it is not
closed with the SDK client; its sockets are its own, so each read of a response's status line
and headers waits at most the read timeout rather than what is left of the call's deadline.

``client.api`` (the generated ``AuthenticatedClient``) sends through that same httpx client, so
a generated function called with it gets all of the above; its ``with_headers`` /
``with_cookies`` / ``with_timeout`` copies build their own httpx client on the same transport,
lent to them (closing them leaves it open).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import httpx

from .body import ACCEPT_ENCODING
from .config import ClientConfig, user_agent
from .exceptions import InvalidInputError
from .response import invalid_response
from .retry import RetryPolicy
from .signing import sign_httpx_request
from .transport import RetryTransport

if TYPE_CHECKING:
    from apertur_api import AuthenticatedClient

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
    """httpx's cookie store, minus the urllib round trip for responses that set no cookie
    (``extract_cookies`` wraps every response in urllib objects before looking for one)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


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


class _Lent(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The SDK's transport, lent to the httpx clients that ``client.api`` copies build: they
    send through it and leave it open when they close, except a sync SDK client's async
    connections, which only ``client.api`` uses and which belong to one event loop."""

    def __init__(self, transport: RetryTransport, *, sync_owner: bool) -> None:
        self._transport, self._sync_owner = transport, sync_owner

    def __repr__(self) -> str:
        return "<the SDK client's transport>"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport.handle_async_request(request)

    def close(self) -> None:
        """The SDK client owns the transport: leave it open."""

    async def aclose(self) -> None:
        """Close a sync SDK client's async connections; leave the rest to the SDK client."""
        if self._sync_owner:
            await self._transport.aclose_own_async_pool()


def _built(
    config: ClientConfig,
    client_class: type[httpx.Client] | type[httpx.AsyncClient],
    inner: httpx.BaseTransport | None = None,
    async_inner: httpx.AsyncBaseTransport | None = None,
) -> tuple[Any, AuthenticatedClient]:
    """An httpx client of ``client_class`` on a new transport, and ``client.api`` (not yet
    given that client)."""
    from apertur_api import AuthenticatedClient  # the client module only: no models

    policy = RetryPolicy(config.max_retries, retry_ambiguous_uploads=config.retry_ambiguous_uploads)
    sign = None
    if (secret := config.signing_secret) is not None:
        sign = lambda request: sign_httpx_request(request, secret)  # noqa: E731
    transport = RetryTransport(
        inner, async_inner, policy=policy, sign=sign, max_response_bytes=config.max_response_bytes
    )
    auth = BearerAuth(config.token)
    headers = {"User-Agent": user_agent(), "Accept-Encoding": ACCEPT_ENCODING}
    http = client_class(
        base_url=config.base_url,
        auth=auth,
        transport=transport,
        timeout=config.timeout,
        headers=headers,
        follow_redirects=False,
    )
    cookies = getattr(http, "_cookies", None)  # httpx's jar (left alone if it moves)
    if type(cookies) is httpx.Cookies:
        http._cookies = _Cookies()
        http._cookies.jar = cookies.jar
    api = AuthenticatedClient(
        base_url=config.base_url,
        token=config.token,
        timeout=config.timeout,
        headers=headers,
        follow_redirects=False,
        httpx_args={
            "transport": _Lent(transport, sync_owner=client_class is httpx.Client),
            "auth": auth,
        },
        invalid_response=invalid_response,
    )
    return http, api


def _check_client(given: object, expected: type[httpx.Client] | type[httpx.AsyncClient]) -> None:
    if given is not None and not isinstance(given, expected):
        name = f"{expected.__module__}.{expected.__name__}"
        raise InvalidInputError(f"http_client must be an {name}, not {type(given).__name__}")


def build_sync_http(
    config: ClientConfig, http_client: httpx.Client | None
) -> tuple[httpx.Client, AuthenticatedClient]:
    """The SDK client's ``httpx.Client`` (sending through ``http_client`` when given) and its
    ``client.api``."""
    _check_client(http_client, httpx.Client)
    inner = None if http_client is None else _ViaClient(http_client)
    http, api = _built(config, httpx.Client, inner)
    return http, api.set_httpx_client(http)


def build_async_http(
    config: ClientConfig, http_client: httpx.AsyncClient | None
) -> tuple[httpx.AsyncClient, AuthenticatedClient]:
    """The SDK client's ``httpx.AsyncClient`` (sending through ``http_client`` when given) and
    its ``client.api``."""
    _check_client(http_client, httpx.AsyncClient)
    async_inner = None if http_client is None else _AsyncViaClient(http_client)
    http, api = _built(config, httpx.AsyncClient, None, async_inner)
    return http, api.set_async_httpx_client(http)
