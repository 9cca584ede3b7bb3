"""Settings shared by every test folder."""

from __future__ import annotations

import signal

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C (SIGINT) is handled as usual during the run, even when pytest started with it
    ignored (run in the background from a script, for instance).

    Tests interrupt the main thread (which does nothing while SIGINT is ignored) and send Ctrl-C
    to the CLI they started (which inherits the ignored disposition, so a Python child never raises
    KeyboardInterrupt); with Python's own handler installed, children start with the default.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
