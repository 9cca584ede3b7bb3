"""``client.api``: the generated ``AuthenticatedClient``, sending through the SDK's own httpx client.

A generated endpoint function called with it (``create_session.sync_detailed(client=client.api,
body=...)``) goes through the SDK's transport: bearer auth, retries, request signing, logging,
the deadline and response size limit, the base URL and timeout of the SDK client. It returns the
generated ``Response`` (documented error statuses parsed into the ``Error`` model, not raised).

``with_headers`` / ``with_cookies`` / ``with_timeout`` return a client that builds its own httpx
client on the same transport (so still retried, signed and logged) and that closing leaves the
SDK's connections open; closing ``client.api`` itself closes the SDK client's connections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from .body import ACCEPT_ENCODING
from .config import ClientConfig, user_agent
from .http import BearerAuth
from .transport import RetryTransport

if TYPE_CHECKING:
    from apertur_api import AuthenticatedClient

__all__ = ["api_client"]


class _Lent(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The SDK's transport, lent to the httpx clients that derived ``client.api`` copies build:
    they send through it and leave it open when they close."""

    def __init__(self, transport: RetryTransport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return "<the SDK client's transport>"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport.handle_async_request(request)

    def close(self) -> None:
        """The SDK client owns the transport: leave it open."""

    async def aclose(self) -> None:
        """The SDK client owns the transport: leave it open."""


def api_client(
    config: ClientConfig,
    transport: RetryTransport,
    http: httpx.Client | httpx.AsyncClient,
) -> AuthenticatedClient:
    """The ``AuthenticatedClient`` of one SDK client, using its httpx client ``http``."""
    from apertur_api import AuthenticatedClient  # the client module only: no models

    api = AuthenticatedClient(
        base_url=config.base_url,
        token=config.token,
        timeout=config.timeout,
        headers={"User-Agent": user_agent(), "Accept-Encoding": ACCEPT_ENCODING},
        follow_redirects=False,
        httpx_args={"transport": _Lent(transport), "auth": BearerAuth(config.token)},
    )
    if isinstance(http, httpx.Client):
        return api.set_httpx_client(http)
    return api.set_async_httpx_client(http)
