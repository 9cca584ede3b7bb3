"""Helpers of the end-to-end tests: run one test body against Apertur and AsyncApertur.

:class:`Blocking` wraps an ``AsyncApertur`` (or one of its namespaces) so that each coroutine
method runs to completion on an anyio blocking portal, and async iterators come back as
iterators; the tests then read the same for both clients.
"""

from __future__ import annotations

import functools
import inspect
import os
import struct
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal

from apertur_api.types import AsyncResource
from apertur_ext import Apertur, AsyncApertur
from apertur_local import LocalApertur


class Blocking:
    """A blocking view of an async client or namespace."""

    def __init__(self, target: Any, portal: BlockingPortal) -> None:
        self._target = target
        self._portal = portal
        self.is_async = True

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, AsyncResource):
            return Blocking(value, self._portal)
        if inspect.iscoroutinefunction(value):
            return self._blocking(value)
        if callable(value) and name.endswith("list_all"):
            return self._collecting(value)
        return value

    def _blocking(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            return self._portal.call(functools.partial(fn, *args, **kwargs))

        return call

    def _collecting(self, fn: Callable[..., AsyncIterator[Any]]) -> Callable[..., Iterator[Any]]:
        async def collect(*args: Any, **kwargs: Any) -> list[Any]:
            return [item async for item in fn(*args, **kwargs)]

        def call(*args: Any, **kwargs: Any) -> Iterator[Any]:
            return iter(self._portal.call(functools.partial(collect, *args, **kwargs)))

        return call


def jpeg_bytes(size: int = 20_000) -> bytes:
    """JPEG magic and a JFIF header followed by random bytes (the server sniffs the start)."""
    head = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")
    return head + os.urandom(max(0, size - len(head)))


def png_bytes(extra: int = 5_000) -> bytes:
    """A real 1x1 PNG, then random bytes after IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return png + os.urandom(extra)


def chunks_of(data: bytes, size: int = 4096) -> Iterator[bytes]:
    """A one-shot iterator over ``data``."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def make_client(kind: str, server: LocalApertur, **options: Any) -> Iterator[Any]:
    """Yield a sync client, or a blocking view of an async one, for ``server``."""
    options.setdefault("base_url", server.url)
    api_key = options.pop("api_key", server.api_key)
    if kind == "sync":
        with Apertur(api_key, **options) as client:
            yield client
        return
    with start_blocking_portal() as portal:
        client = portal.call(lambda: _async_client(api_key, options))
        try:
            yield Blocking(client, portal)
        finally:
            portal.call(client.close)


async def _async_client(api_key: str, options: dict[str, Any]) -> AsyncApertur:
    return AsyncApertur(api_key, **options)
