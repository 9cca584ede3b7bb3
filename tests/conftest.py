"""Fixtures shared by every test folder."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture
def ctrl_c_reaches_children() -> Iterator[None]:
    """Child processes started during the test handle Ctrl-C (SIGINT) as usual.

    A process started with SIGINT ignored (pytest run in the background from a script, for
    instance) passes the ignored disposition on to every child it starts, and a Python child then
    never raises KeyboardInterrupt. With a handler installed here instead, a child starts with
    the default disposition. Restored after the test.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
