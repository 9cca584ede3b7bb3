"""``Apertur`` and ``AsyncApertur``: configuration, one HTTP client, lazy namespaces.

Each SDK client owns one httpx client, ``client.api`` (both built by ``_core.http``) and its
request path (``_core.request``). Its namespaces are the generated ones, one per tag of the API,
created on first use: a namespace with hand-written methods is its subclass in ``_resources``
(``_namespace_modules``); ``events`` is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

import httpx

from apertur_api.api import AsyncNamespaces, Namespaces

from ._core.config import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    Environment,
    resolve_config,
)
from ._core.http import build_async_http, build_sync_http
from ._core.log import configure_from_env
from ._core.request import AsyncCore, CoreBase, SyncCore

if TYPE_CHECKING:
    from apertur_api import AuthenticatedClient

    from ._resources.events import AsyncEvents, Events
    from ._resources.polling import AsyncPolling, Polling
    from ._resources.sessions import AsyncSessions, Sessions
    from ._resources.upload import AsyncUpload, Upload

__all__ = ["Apertur", "AsyncApertur"]

HttpClient = TypeVar("HttpClient", httpx.Client, httpx.AsyncClient)


class _ClientBase(Generic[HttpClient]):
    """What both clients share: the constructor, configuration, ``api`` and ``repr``."""

    _core: CoreBase
    _namespace_modules: ClassVar[Mapping[str, str]] = {
        name: f"apertur_ext._resources.{name}" for name in ("sessions", "upload", "polling")
    }
    _requester: Any
    _open: ClassVar[Callable[..., tuple[Any, AuthenticatedClient]]]  # build_(a)sync_http
    _core_class: ClassVar[type[CoreBase]]

    def __init__(
        self,
        api_key: str | None = None,
        *,
        oauth_token: str | None = None,
        base_url: str | None = None,
        signing_secret: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: HttpClient | None = None,
        retry_ambiguous_uploads: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
    ) -> None:
        self._config = resolve_config(
            api_key=api_key,
            oauth_token=oauth_token,
            base_url=base_url,
            signing_secret=signing_secret,
            timeout=timeout,
            max_retries=max_retries,
            retry_ambiguous_uploads=retry_ambiguous_uploads,
            max_response_bytes=max_response_bytes,
            max_download_bytes=max_download_bytes,
        )
        configure_from_env()
        self._http: HttpClient
        self._http, api = type(self)._open(self._config, http_client)
        self._core = self._requester = self._core_class(self._config, api, self._http)

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

    @property
    def api(self) -> AuthenticatedClient:
        """The generated ``apertur_api.AuthenticatedClient``, sending through this client.

        Pass it to any generated endpoint function (``create_session.sync_detailed(client=
        client.api, body=...)``): the call gets this client's auth, base URL, timeout, deadline,
        response size limit, retries, request signing and logging, and returns the generated
        ``Response`` (documented error statuses come back parsed into the ``Error`` model, not
        raised; a success body that cannot be parsed raises :class:`InvalidResponseError`).
        ``with_headers`` / ``with_timeout`` return a client with its own httpx client on the
        same transport; closing ``api`` itself closes this client's connections.
        """
        return self._core.api

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, environment={self.environment!r}, "
            f"max_retries={self._config.max_retries})"
        )


class Apertur(_ClientBase[httpx.Client], Namespaces):
    """The Apertur API client (synchronous).

    ``api_key`` (or ``oauth_token``; the key wins) falls back to ``APERTUR_API_KEY``;
    ``base_url`` to ``APERTUR_BASE_URL``, then to the sandbox for ``aptr_test_`` keys, else the
    live API. ``timeout`` (seconds or an ``httpx.Timeout``; default connect 10 s, read/write
    60 s) bounds each phase of an attempt, and its longest phase bounds the whole call (retries
    and reading the response included; uploads and downloads only when given per call);
    ``max_retries`` (default 2); both can be overridden per call. ``http_client``: an
    ``httpx.Client`` to send through (proxies, TLS...; not closed with this client; each read of
    a response's head through it waits at most the read timeout, not the call's time left).
    ``max_response_bytes`` (default 32 MiB, after decompression) bounds any response body held
    in memory, except downloads: a download returned as bytes is held to ``max_download_bytes``
    (default 256 MiB), or to its own ``max_bytes``; one written to ``to=`` only to ``max_bytes``,
    when given. ``signing_secret`` signs every JSON and body-less request.
    ``retry_ambiguous_uploads`` re-sends an upload even when the server may already have stored it.
    """

    _open = staticmethod(build_sync_http)
    _core_class = SyncCore
    _core: SyncCore
    if TYPE_CHECKING:  # the namespaces with hand-written methods
        sessions: Sessions
        upload: Upload
        polling: Polling

    def close(self) -> None:
        """Close the HTTP connections (a caller's ``http_client`` stays open)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @cached_property
    def events(self) -> Events:
        """Real-time events of a session (Server-Sent Events, or Socket.IO with the extra)."""
        from ._resources.events import Events

        return Events(self._core)


class AsyncApertur(_ClientBase[httpx.AsyncClient], AsyncNamespaces):
    """The Apertur API client (asynchronous); same arguments and namespaces as :class:`Apertur`,
    with ``http_client`` an ``httpx.AsyncClient``."""

    _open = staticmethod(build_async_http)
    _core_class = AsyncCore
    _core: AsyncCore
    if TYPE_CHECKING:  # the namespaces with hand-written methods
        sessions: AsyncSessions
        upload: AsyncUpload
        polling: AsyncPolling

    async def close(self) -> None:
        """Close the HTTP connections (a caller's ``http_client`` stays open)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @cached_property
    def events(self) -> AsyncEvents:
        """Real-time events of a session (Server-Sent Events, or Socket.IO with the extra)."""
        from ._resources.events import AsyncEvents

        return AsyncEvents(self._core)
