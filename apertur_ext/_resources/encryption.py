"""``client.encryption``: the server's public key for encrypted uploads."""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

from apertur_api.api.encryption import get_server_key as _get_server_key
from apertur_api.models import ServerKey

from .._config import TimeoutArg
from .._request import Call
from .._response import Operation
from ._base import AsyncResource, SyncResource

__all__ = ["AsyncEncryption", "Encryption", "get_server_key"]

SERVER_KEY = Operation[ServerKey](_get_server_key, 200)


def get_server_key(timeout: TimeoutArg, max_retries: int | None) -> Call[ServerKey]:
    """``GET /api/v1/encryption/server-key``."""
    return Call(SERVER_KEY, SERVER_KEY.kwargs(), timeout, max_retries)


class Encryption(SyncResource):
    """Encryption (``client.encryption``)."""

    def get_server_key(
        self, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> ServerKey:
        """The server's RSA public key (``.public_key``, a PEM)."""
        return self._core.run(get_server_key(timeout, max_retries))


class AsyncEncryption(AsyncResource):
    """Encryption (``client.encryption``), async."""

    async def get_server_key(
        self, *, timeout: TimeoutArg = None, max_retries: int | None = None
    ) -> ServerKey:
        """The server's RSA public key (``.public_key``, a PEM)."""
        return await self._core.run(get_server_key(timeout, max_retries))
