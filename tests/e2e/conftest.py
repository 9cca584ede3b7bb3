"""Fixtures of the end-to-end tests: the shared local server and both clients.

``client`` is parametrised: each test runs once with :class:`Apertur` and once with
:class:`AsyncApertur` (seen through :class:`e2ehelpers.Blocking`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from e2ehelpers import make_client

from apertur_local import LocalApertur


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, apertur_local: LocalApertur) -> Iterator[Any]:
    """A client of the shared local server (reset for this test), sync then async."""
    yield from make_client(request.param, apertur_local)


@pytest.fixture
def control(apertur_local: LocalApertur) -> Iterator[httpx.Client]:
    """Plain HTTP to the server's /_local control plane (faults, clock)."""
    with httpx.Client(base_url=apertur_local.url, trust_env=False, timeout=10) as http:
        yield http
