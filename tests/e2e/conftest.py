"""Fixtures of the end-to-end tests: the shared local server and both clients.

``client`` is parametrised: each test runs once with :class:`Apertur` and once with
:class:`AsyncApertur` (seen through :class:`e2ehelpers.Blocking`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from e2ehelpers import Blocking

from apertur_ext import Apertur, AsyncApertur
from apertur_local import LocalApertur


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


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, apertur_local: LocalApertur) -> Iterator[Any]:
    """A client of the shared local server (reset for this test), sync then async."""
    yield from make_client(request.param, apertur_local)


@pytest.fixture
def control(apertur_local: LocalApertur) -> Iterator[httpx.Client]:
    """Plain HTTP to the server's /_local control plane (faults, clock)."""
    with httpx.Client(base_url=apertur_local.url, trust_env=False, timeout=10) as http:
        yield http
