"""``Apertur`` and ``AsyncApertur``: configuration, one HTTP client, lazy namespaces.

Each SDK client owns one ``httpx`` client (built by ``_http``) and hands it to the generated
``apertur_api.Client`` through ``set_httpx_client``, so the token is never stored there.
Namespaces are cached properties that import their module on first use, which keeps
``import apertur_ext`` fast.
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from ._config import DEFAULT_MAX_RETRIES, ClientConfig, Environment, resolve_config
from ._http import build_async_http, build_sync_http, generated_client
from ._logging import configure_from_env
from ._request import AsyncCore, SyncCore

if TYPE_CHECKING:
    from ._resources.destinations import AsyncDestinations, Destinations
    from ._resources.encryption import AsyncEncryption, Encryption
    from ._resources.events import AsyncEvents, Events
    from ._resources.keys import AsyncKeys, Keys
    from ._resources.polling import AsyncPolling, Polling
    from ._resources.sessions import AsyncSessions, Sessions
    from ._resources.stats import AsyncStats, Stats
    from ._resources.upload import AsyncUpload, Upload
    from ._resources.uploads import AsyncUploads, Uploads
    from ._resources.webhooks import AsyncWebhooks, Webhooks

__all__ = ["Apertur", "AsyncApertur"]


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
        self._http = build_sync_http(self._config, http_client)
        api = generated_client(self._config).set_httpx_client(self._http)
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

    @cached_property
    def upload(self) -> Upload:
        """Image uploads, plain and encrypted."""
        from ._resources.upload import Upload

        return Upload(self._core)

    @cached_property
    def uploads(self) -> Uploads:
        """The project's upload history."""
        from ._resources.uploads import Uploads

        return Uploads(self._core)

    @cached_property
    def polling(self) -> Polling:
        """The pull-delivery queue of long-polling sessions."""
        from ._resources.polling import Polling

        return Polling(self._core)

    @cached_property
    def destinations(self) -> Destinations:
        """Delivery destinations."""
        from ._resources.destinations import Destinations

        return Destinations(self._core)

    @cached_property
    def keys(self) -> Keys:
        """API keys."""
        from ._resources.keys import Keys

        return Keys(self._core)

    @cached_property
    def webhooks(self) -> Webhooks:
        """Event webhooks."""
        from ._resources.webhooks import Webhooks

        return Webhooks(self._core)

    @cached_property
    def encryption(self) -> Encryption:
        """The server key for encrypted uploads."""
        from ._resources.encryption import Encryption

        return Encryption(self._core)

    @cached_property
    def stats(self) -> Stats:
        """Account statistics."""
        from ._resources.stats import Stats

        return Stats(self._core)

    @cached_property
    def events(self) -> Events:
        """Real-time upload events (Socket.IO; needs the ``events`` extra)."""
        from ._resources.events import Events

        return Events(self._core)


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
        self._http = build_async_http(self._config, http_client)
        api = generated_client(self._config).set_async_httpx_client(self._http)
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

    @cached_property
    def upload(self) -> AsyncUpload:
        """Image uploads, plain and encrypted."""
        from ._resources.upload import AsyncUpload

        return AsyncUpload(self._core)

    @cached_property
    def uploads(self) -> AsyncUploads:
        """The project's upload history."""
        from ._resources.uploads import AsyncUploads

        return AsyncUploads(self._core)

    @cached_property
    def polling(self) -> AsyncPolling:
        """The pull-delivery queue of long-polling sessions."""
        from ._resources.polling import AsyncPolling

        return AsyncPolling(self._core)

    @cached_property
    def destinations(self) -> AsyncDestinations:
        """Delivery destinations."""
        from ._resources.destinations import AsyncDestinations

        return AsyncDestinations(self._core)

    @cached_property
    def keys(self) -> AsyncKeys:
        """API keys."""
        from ._resources.keys import AsyncKeys

        return AsyncKeys(self._core)

    @cached_property
    def webhooks(self) -> AsyncWebhooks:
        """Event webhooks."""
        from ._resources.webhooks import AsyncWebhooks

        return AsyncWebhooks(self._core)

    @cached_property
    def encryption(self) -> AsyncEncryption:
        """The server key for encrypted uploads."""
        from ._resources.encryption import AsyncEncryption

        return AsyncEncryption(self._core)

    @cached_property
    def stats(self) -> AsyncStats:
        """Account statistics."""
        from ._resources.stats import AsyncStats

        return AsyncStats(self._core)

    @cached_property
    def events(self) -> AsyncEvents:
        """Real-time upload events (Socket.IO; needs the ``events`` extra)."""
        from ._resources.events import AsyncEvents

        return AsyncEvents(self._core)
