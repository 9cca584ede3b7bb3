"""Fixtures of the apertur_local tests (helpers are in localhelpers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from localhelpers import Receiver, client_for

from apertur_local import LocalApertur


@pytest.fixture
def api(apertur_local: LocalApertur) -> Iterator[httpx.Client]:
    """A client of the shared server, reset for this test."""
    with client_for(apertur_local) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback HTTP receiver for webhook deliveries."""
    rec = Receiver()
    yield rec
    rec.close()
