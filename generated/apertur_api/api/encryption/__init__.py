"""The ``encryption`` namespace: ``Encryption`` and ``AsyncEncryption``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

from ... import types as _arg
from ...models import ServerKey
from ...types import AsyncResource, Body, Headers, Query, SyncResource, Timeout
from . import get_server_key as _get_server_key


class Encryption(SyncResource):
    """The ``encryption`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def get_server_key(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ServerKey:
        """The server's RSA public key for encrypted uploads

        The key that encrypted uploads are encrypted for (RSA, at least 2048 bits).
        """
        return self._requester.run(
            _get_server_key.OPERATION,
            lambda: _get_server_key._get_kwargs(),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncEncryption(AsyncResource):
    """The ``encryption`` operations (asynchronous; see :class:`Encryption`)."""

    async def get_server_key(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ServerKey:
        """The server's RSA public key for encrypted uploads

        The key that encrypted uploads are encrypted for (RSA, at least 2048 bits).
        """
        return await self._requester.run(
            _get_server_key.OPERATION,
            lambda: _get_server_key._get_kwargs(),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncEncryption", "Encryption"]
