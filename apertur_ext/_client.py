"""``Apertur`` and ``AsyncApertur``: configuration, one HTTP client, lazy namespaces.

Each SDK client owns one ``httpx.Client`` (``httpx.AsyncClient``) with the base URL, a bearer
:class:`httpx.Auth` (its ``repr`` hides the token), the :class:`RetryTransport`, the timeout, a
``User-Agent`` and ``follow_redirects=False`` (so the token never follows a redirect to another
host). The generated ``apertur_api.Client`` gets that same client through
``set_httpx_client``, so the token is never stored in it. Namespaces are cached properties
that import their module on first use, which keeps ``import apertur_ext`` fast.

``http_client=`` lets callers bring their own ``httpx`` client (proxies, TLS, limits, event
hooks): requests are sent through it, still under the SDK's auth, retries and timeouts, and it
is not closed by :meth:`Apertur.close`.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._config import DEFAULT_MAX_RETRIES, ClientConfig, Environment, resolve_config, user_agent
from ._logging import configure_from_env
from ._request import AsyncCore, SyncCore
from ._retry import RetryPolicy
from ._transport import RetryTransport

if TYPE_CHECKING:
    from ._resources.sessions import AsyncSessions, Sessions

__all__ = ["Apertur", "AsyncApertur", "BearerAuth"]


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer <token>``; the token never shows in a ``repr``."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __repr__(self) -> str:
        return "BearerAuth(token=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


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


def _policy(config: ClientConfig) -> RetryPolicy:
    return RetryPolicy(
        max_retries=config.max_retries, retry_ambiguous_uploads=config.retry_ambiguous_uploads
    )


def _client_kwargs(config: ClientConfig, transport: RetryTransport) -> dict[str, Any]:
    return {
        "base_url": config.base_url,
        "auth": BearerAuth(config.token),
        "transport": transport,
        "timeout": config.timeout,
        "headers": {"User-Agent": user_agent()},
        "follow_redirects": False,
    }


def _generated_client(config: ClientConfig) -> Any:
    from apertur_api import Client  # client module only: no models are imported

    return Client(base_url=config.base_url, timeout=config.timeout)


class _ClientBase:
    """Configuration and ``repr`` shared by both clients."""

    _config: ClientConfig

    @property
    def base_url(self) -> str:
        """The API base URL in use."""
        return self._config.base_url

    @property
    def environment(self) -> Environment:
        """``"test"`` for ``aptr_test_`` credentials, else ``"live"``."""
        return self._config.environment

    @property
    def env(self) -> Environment:
        """Alias of :attr:`environment` (the official SDK's name)."""
        return self._config.environment

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, environment={self.environment!r}, "
            f"max_retries={self._config.max_retries})"
        )


class Apertur(_ClientBase):
    """The Apertur API client (synchronous).

    ``api_key`` (or ``oauth_token``; the key wins) falls back to ``APERTUR_API_KEY``;
    ``base_url`` to ``APERTUR_BASE_URL``, then to the sandbox for ``aptr_test_`` keys, else the
    live API. ``timeout`` (seconds or an ``httpx.Timeout``; default connect 10 s, read/write
    60 s) and ``max_retries`` (default 2) apply per attempt and can be overridden per call.
    ``signing_secret`` signs every JSON and body-less request. ``retry_ambiguous_uploads``
    re-sends an upload even when the server may already have stored it.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        oauth_token: str | None = None,
        base_url: str | None = None,
        signing_secret: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        retry_ambiguous_uploads: bool = False,
    ) -> None:
        self._config = resolve_config(
            api_key=api_key,
            oauth_token=oauth_token,
            base_url=base_url,
            signing_secret=signing_secret,
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous_uploads=retry_ambiguous_uploads,
        )
        configure_from_env()
        inner = None if http_client is None else _ViaClient(http_client)
        transport = RetryTransport(inner, policy=_policy(self._config))
        self._http = httpx.Client(**_client_kwargs(self._config, transport))
        api = _generated_client(self._config).set_httpx_client(self._http)
        self._core = SyncCore(self._config, api, self._http)

    def close(self) -> None:
        """Close the HTTP connections (a caller's ``http_client`` stays open)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @cached_property
    def sessions(self) -> Sessions:
        """Upload sessions."""
        from ._resources.sessions import Sessions

        return Sessions(self._core)


class AsyncApertur(_ClientBase):
    """The Apertur API client (asynchronous); same arguments and namespaces as :class:`Apertur`,
    with ``http_client`` an ``httpx.AsyncClient``."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        oauth_token: str | None = None,
        base_url: str | None = None,
        signing_secret: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        retry_ambiguous_uploads: bool = False,
    ) -> None:
        self._config = resolve_config(
            api_key=api_key,
            oauth_token=oauth_token,
            base_url=base_url,
            signing_secret=signing_secret,
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous_uploads=retry_ambiguous_uploads,
        )
        configure_from_env()
        inner = None if http_client is None else _AsyncViaClient(http_client)
        transport = RetryTransport(None, inner, policy=_policy(self._config))
        self._http = httpx.AsyncClient(**_client_kwargs(self._config, transport))
        api = _generated_client(self._config).set_async_httpx_client(self._http)
        self._core = AsyncCore(self._config, api, self._http)

    async def close(self) -> None:
        """Close the HTTP connections (a caller's ``http_client`` stays open)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @cached_property
    def sessions(self) -> AsyncSessions:
        """Upload sessions."""
        from ._resources.sessions import AsyncSessions

        return AsyncSessions(self._core)
