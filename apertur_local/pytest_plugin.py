"""Pytest fixtures for testing an Apertur integration offline against ``apertur_local``.

Registered through the ``pytest11`` entry point, so installing ``apertur-client[local]`` makes
them available in every test suite:

* ``apertur_server`` (session scope): one :class:`~apertur_local.LocalApertur` for the whole run,
  on a free loopback port, with a temporary data directory;
* ``apertur_local`` (function scope): the same server, reset to its seeded state before the test.

Example::

    def test_upload(apertur_local):
        client = httpx.Client(base_url=apertur_local.url,
                              headers={"Authorization": f"Bearer {apertur_local.api_key}"})
        ...

Importing this module is cheap: the server is only imported when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from apertur_local._server import LocalApertur

__all__ = ["apertur_local", "apertur_server"]


@pytest.fixture(scope="session")
def apertur_server() -> Iterator[LocalApertur]:
    """One local Apertur server for the whole test session (stopped at the end)."""
    from apertur_local._server import LocalApertur

    with LocalApertur() as server:
        yield server


@pytest.fixture
def apertur_local(apertur_server: LocalApertur) -> LocalApertur:
    """The session's local Apertur server, reset to its seeded state for this test."""
    apertur_server.reset()
    return apertur_server
