"""Network backends that hold every socket operation of a call to the call's deadline.

httpcore reads a response's status line and headers one socket read after another, each
waiting up to the read timeout: a server sending a byte before each wait ends would hold a call
for ever. These backends wrap httpcore's default ones (sync and async): each connect, TLS
handshake, read and write waits at most what is left of the deadline in
:data:`~.deadline.CALL_DEADLINE` (``ConnectTimeout``, ``ReadTimeout`` or ``WriteTimeout`` when
nothing is left, which httpx turns into its own); with no deadline set they change nothing.

httpx's transports take no backend, so :func:`bound_pool` gives one to the connection pool a
default transport has just built (httpx's ``_pool``, httpcore's ``_network_backend``): if either
moves, the pool is left as it is, the SDK still works and each read is bounded only by its own
timeout (``tests/ext/test_transport_deadline.py`` fails then).

A sync write is cut once per call of ``write`` (httpcore's loop of ``send`` waits up to that
much for each part a slow peer accepts); an async write is bounded as a whole.
"""

# ruff: noqa: ASYNC109 - ``timeout`` is a parameter of httpcore's backend interface.
from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from .deadline import time_left

__all__ = ["bound_pool"]

_ConnectTimeout, _ReadTimeout, _WriteTimeout = (
    httpcore.ConnectTimeout,
    httpcore.ReadTimeout,
    httpcore.WriteTimeout,
)
_CONNECTING = "the call's deadline passed while connecting"
_READING = "the call's deadline passed while the response was read"
_SENDING = "the call's deadline passed while the request was sent"


class _Stream(httpcore.NetworkStream):
    """A sync stream whose every wait ends by the call's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = time_left(timeout, _ReadTimeout, _READING)
        try:
            return self._stream.read(max_bytes, left)
        except _ReadTimeout as exc:
            if left is timeout:  # its own timeout ended it, not the deadline
                raise
            raise _ReadTimeout(_READING) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = time_left(timeout, _WriteTimeout, _SENDING)
        try:
            self._stream.write(buffer, left)
        except _WriteTimeout as exc:
            if left is timeout:
                raise
            raise _WriteTimeout(_SENDING) from exc

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """A sync backend whose streams are :class:`_Stream`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        return _Stream(
            self._backend.connect_tcp(
                host, port, timeout, local_address=local_address, socket_options=socket_options
            )
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        return _Stream(
            self._backend.connect_unix_socket(path, timeout, socket_options=socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    """An async stream whose every wait ends by the call's deadline."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = time_left(timeout, _ReadTimeout, _READING)
        try:
            return await self._stream.read(max_bytes, left)
        except _ReadTimeout as exc:
            if left is timeout:
                raise
            raise _ReadTimeout(_READING) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = time_left(timeout, _WriteTimeout, _SENDING)
        try:
            await self._stream.write(buffer, left)
        except _WriteTimeout as exc:
            if left is timeout:
                raise
            raise _WriteTimeout(_SENDING) from exc

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        return _AsyncStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    """An async backend whose streams are :class:`_AsyncStream`."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        stream = await self._backend.connect_tcp(
            host, port, timeout, local_address=local_address, socket_options=socket_options
        )
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = time_left(timeout, _ConnectTimeout, _CONNECTING)
        stream = await self._backend.connect_unix_socket(
            path, timeout, socket_options=socket_options
        )
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def bound_pool(transport: object) -> bool:
    """Give the connection pool of a default httpx transport (sync or async), before its first
    request, a backend holding its sockets to each call's deadline. False (the transport left
    as it is) when the pool or its backend is not where this httpx and httpcore keep them."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(pool, httpcore.ConnectionPool) and isinstance(backend, httpcore.NetworkBackend):
        if not isinstance(backend, _Backend):
            pool._network_backend = _Backend(backend)
        return True
    if isinstance(pool, httpcore.AsyncConnectionPool) and isinstance(
        backend, httpcore.AsyncNetworkBackend
    ):
        if not isinstance(backend, _AsyncBackend):
            pool._network_backend = _AsyncBackend(backend)
        return True
    return False
