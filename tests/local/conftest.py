"""Fixtures of the apertur_local tests (helpers are in localhelpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from localhelpers import FrozenClock, Receiver, client_for, with_server_key

from apertur_local import LocalApertur, LocalConfig
from apertur_local._state import AperturState, build_state


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


@pytest.fixture
def durable_state(tmp_path: Path) -> Iterator[AperturState]:
    """A state (no HTTP) on a data directory, with a :class:`FrozenClock` at 1000.0."""
    state = build_state(
        LocalConfig(data_dir=with_server_key(tmp_path / "data")), clock=FrozenClock()
    )
    yield state
    state.close()


@pytest.fixture
def reopen(tmp_path: Path) -> Iterator[Callable[[AperturState], AperturState]]:
    """Close a :func:`durable_state` and open its data directory again, as a restart does."""
    opened: list[AperturState] = []

    def again(state: AperturState) -> AperturState:
        state.close()
        opened.append(build_state(LocalConfig(data_dir=tmp_path / "data"), clock=FrozenClock()))
        return opened[-1]

    yield again
    for state in opened:
        state.close()
